import type { Queryable } from '../../db/db.js';

export interface TotpRow {
  secret_enc: string;
  enrolled_at: Date | null;
  last_step: number | null;
}

export async function findTotp(q: Queryable, userId: number): Promise<TotpRow | null> {
  const r = await q.query<TotpRow>('SELECT secret_enc, enrolled_at, last_step FROM user_totp WHERE user_id = $1', [userId]);
  return r.rows[0] ?? null;
}

/** Start (or restart) an enrolment with a new secret; false when the account already has an enrolled authenticator. */
export async function startEnrolment(q: Queryable, userId: number, secretEnc: string): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO user_totp (user_id, secret_enc) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET secret_enc = EXCLUDED.secret_enc, created_at = now(), last_step = NULL
       WHERE user_totp.enrolled_at IS NULL`,
    [userId, secretEnc],
  );
  return r.rowCount > 0;
}

/** The first code matched: the enrolment is complete. False when it was completed meanwhile. */
export async function completeEnrolment(q: Queryable, userId: number, step: number): Promise<boolean> {
  const r = await q.query('UPDATE user_totp SET enrolled_at = now(), last_step = $2 WHERE user_id = $1 AND enrolled_at IS NULL', [userId, step]);
  return r.rowCount > 0;
}

/** Accept a code of time step `step` once: false when this step (or a later one) was used already (replay). */
export async function acceptStep(q: Queryable, userId: number, step: number): Promise<boolean> {
  const r = await q.query('UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND enrolled_at IS NOT NULL AND (last_step IS NULL OR last_step < $2)', [
    userId,
    step,
  ]);
  return r.rowCount > 0;
}

/** Replace the account's recovery codes by these (keyed hashes). */
export async function replaceRecoveryCodes(q: Queryable, userId: number, hashes: string[]): Promise<void> {
  await q.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [userId]);
  await q.query('INSERT INTO user_recovery_codes (user_id, code_hash) SELECT $1, h FROM unnest($2::text[]) AS h', [userId, hashes]);
}

/** Spend a recovery code: true when it existed and was unused (each works once, also when two tries race). */
export async function spendRecoveryCode(q: Queryable, userId: number, hash: string): Promise<boolean> {
  const r = await q.query('UPDATE user_recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL', [userId, hash]);
  return r.rowCount > 0;
}

export async function unusedRecoveryCodes(q: Queryable, userId: number): Promise<number> {
  const r = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL', [userId]);
  return r.rows[0].n;
}

/** 重置动态口令 (安全管理员): the authenticator and the recovery codes go; the next sign-in enrols anew. */
export async function removeTotp(q: Queryable, userId: number): Promise<boolean> {
  await q.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [userId]);
  return (await q.query('DELETE FROM user_totp WHERE user_id = $1', [userId])).rowCount > 0;
}

/**
 * What a new session of this account owes: 'verify' when it has an enrolled authenticator, 'enrol' when TOTP
 * is required and the account holds an admin role (not exempt) without one, else null.
 */
export async function secondFactorOwed(q: Queryable, userId: number, totpRequired: boolean, exempt: readonly string[]): Promise<'verify' | 'enrol' | null> {
  const r = await q.query<{ enrolled: boolean; admin: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM user_totp WHERE user_id = $1 AND enrolled_at IS NOT NULL) AS enrolled,
            EXISTS (SELECT 1 FROM user_roles WHERE user_id = $1 AND revoked_at IS NULL AND role <> ALL ($2::text[])) AS admin`,
    [userId, exempt],
  );
  const { enrolled, admin } = r.rows[0];
  return enrolled ? 'verify' : totpRequired && admin ? 'enrol' : null;
}
