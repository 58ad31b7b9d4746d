import type { Queryable } from '../../db/db.js';
import { sessionTokenHash } from '../../platform/auth.js';

export interface PendingOidcLogin {
  nonce: string;
  code_verifier: string;
  return_to: string;
}

/** Keep a sign-in started at the provider until the browser comes back (and clear the expired ones). */
export async function insertPendingLogin(q: Queryable, stateHash: string, p: PendingOidcLogin, minutes: number): Promise<void> {
  await q.query('DELETE FROM oidc_logins WHERE expires_at < now()');
  await q.query(
    `INSERT INTO oidc_logins (state_hash, nonce, code_verifier, return_to, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5::int))`,
    [stateHash, p.nonce, p.code_verifier, p.return_to, minutes],
  );
}

/** Take the pending sign-in of this state (single use: the row is deleted); null when unknown, used or expired. */
export async function takePendingLogin(q: Queryable, stateHash: string): Promise<PendingOidcLogin | null> {
  const r = await q.query<PendingOidcLogin & { live: boolean }>(
    'DELETE FROM oidc_logins WHERE state_hash = $1 RETURNING nonce, code_verifier, return_to, expires_at > now() AS live',
    [stateHash],
  );
  const row = r.rows[0];
  return row?.live ? { nonce: row.nonce, code_verifier: row.code_verifier, return_to: row.return_to } : null;
}

/** Remember the provider's ID token (encrypted) on the session it signed in, for logout. */
export async function setSessionIdToken(q: Queryable, sessionToken: string, idTokenEnc: string): Promise<void> {
  await q.query('UPDATE auth_sessions SET oidc_id_token_enc = $2 WHERE token_hash = $1', [sessionTokenHash(sessionToken), idTokenEnc]);
}

/** The encrypted ID token of a session signed in through the provider; null for a password session. */
export async function sessionIdToken(q: Queryable, sessionToken: string): Promise<string | null> {
  const r = await q.query<{ t: string | null }>('SELECT oidc_id_token_enc AS t FROM auth_sessions WHERE token_hash = $1', [sessionTokenHash(sessionToken)]);
  return r.rows[0]?.t ?? null;
}
