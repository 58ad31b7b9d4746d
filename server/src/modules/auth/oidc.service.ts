import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcConfig } from '../../config.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { createSession, sessionRulesOf } from '../../platform/auth.js';
import { audit } from '../../platform/audit.js';
import { parseNationalId } from '../../platform/national-id.js';
import * as authRepo from './auth.repository.js';
import { classifyLoginIdentifier, toHalfWidth } from './login-identifier.js';
import * as repo from './oidc.repository.js';
import { secondFactorOwed } from './totp.service.js';

/**
 * 统一身份认证 (OIDC, issue 8 item 3): sign-in through the region's identity provider with the authorization
 * code flow and PKCE (openid-client). The provider proves who the person is; the claim named by OIDC_ID_CLAIM
 * (a 身份证号 or a phone) finds their account through the keyed blind index — never by name — and the session is
 * made exactly like a password sign-in's (same cookie, audit action and gates: a TOTP account still enters its
 * code, an admin without an authenticator still binds one). Logout ends ours and sends the browser to the
 * provider's end_session_endpoint with the ID token kept (encrypted) on the session.
 */

/** How long a started sign-in waits for the browser to come back from the provider. */
export const PENDING_LOGIN_MINUTES = 10;

/** Why a sign-in through the provider did not give a session (each has its Chinese page, oidc-page.ts). */
export type OidcFailure = 'disabled' | 'unavailable' | 'state' | 'provider' | 'claim' | 'unmatched' | 'ambiguous' | 'inactive' | 'norole';

export class OidcLoginError extends Error {
  constructor(
    readonly reason: OidcFailure,
    readonly detail?: string,
  ) {
    super(reason);
  }
}

const stateHash = (state: string) => createHash('sha256').update(state).digest('base64url');

// Discovery once per configuration, at first use (the app starts even when the provider is down); a failed
// discovery is forgotten so the next sign-in tries again.
const discovered = new WeakMap<OidcConfig, Promise<client.Configuration>>();

function providerConfiguration(cfg: OidcConfig, production: boolean): Promise<client.Configuration> {
  let p = discovered.get(cfg);
  if (!p) {
    const insecure = new URL(cfg.issuer).protocol === 'http:';
    if (insecure && production) return Promise.reject(new Error('OIDC_ISSUER must be https in production'));
    p = client.discovery(
      new URL(cfg.issuer),
      cfg.clientId,
      cfg.clientSecret ? { client_secret: cfg.clientSecret } : undefined,
      cfg.clientSecret ? client.ClientSecretBasic(cfg.clientSecret) : client.None(),
      // Plain http only outside production (a provider on the intranet in a test or a demo).
      insecure ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    discovered.set(cfg, p);
    p.catch(() => discovered.delete(cfg));
  }
  return p;
}

async function configured(ctx: AppContext): Promise<{ cfg: OidcConfig; provider: client.Configuration }> {
  const cfg = ctx.config.oidc;
  if (!cfg) throw new OidcLoginError('disabled');
  try {
    return { cfg, provider: await providerConfiguration(cfg, ctx.config.production) };
  } catch (e) {
    throw new OidcLoginError('unavailable', e instanceof Error ? e.message : String(e));
  }
}

/** What the login page needs: whether the button is shown, and its text. */
export function oidcInfo(ctx: AppContext): { enabled: boolean; label: string | null } {
  return { enabled: !!ctx.config.oidc, label: ctx.config.oidc?.label ?? null };
}

/** A page of this app to return to after sign-in: a local path only (no other site, no API). */
export function safeReturnPath(p: string | undefined): string {
  if (!p || !/^\/(?![/\\])[^\s\\]*$/.test(p) || p.startsWith('/api/')) return '/';
  return p;
}

/**
 * Start a sign-in: a fresh state, nonce and PKCE verifier kept in oidc_logins (single use, 10 minutes); the
 * provider's authorization URL to send the browser to, and the state to bind to this browser (a cookie).
 */
export async function startOidcLogin(ctx: AppContext, returnTo: string | undefined): Promise<{ url: string; state: string }> {
  const { cfg, provider } = await configured(ctx);
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  await repo.insertPendingLogin(ctx.db, stateHash(state), { nonce, code_verifier: codeVerifier, return_to: safeReturnPath(returnTo) }, PENDING_LOGIN_MINUTES);
  const url = client.buildAuthorizationUrl(provider, {
    redirect_uri: cfg.redirectUri,
    scope: cfg.scopes,
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, state };
}

/** The claim's value as the blind index wants it (the same normalisation as the password sign-in's), or null. */
export function normaliseIdClaim(kind: 'nationalId' | 'phone', raw: unknown): string | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const v = toHalfWidth(String(raw)).trim();
  if (kind === 'nationalId') {
    const id = parseNationalId(v.toUpperCase());
    return id.ok ? id.info.value : null;
  }
  const ident = classifyLoginIdentifier(v);
  return ident.kind === 'phone' ? ident.value : null;
}

/**
 * The browser is back from the provider (`query`: the callback's query string; `boundState`: the state cookie of
 * this browser). Checks the state (bound to this browser, single use), exchanges the code with the PKCE verifier,
 * checks the ID token (signature, issuer, audience, nonce), reads the claim from the ID token or else userinfo,
 * and signs in the one active account it matches. Throws OidcLoginError for every refusal (audited as a failed
 * login with method oidc; the claim's value is never written anywhere).
 */
export async function finishOidcLogin(
  ctx: AppContext,
  query: string,
  boundState: string | undefined,
  ip: string,
): Promise<{ token: string; returnTo: string; secondFactor: 'verify' | 'enrol' | null }> {
  const { cfg, provider } = await configured(ctx);
  const fail = async (reason: OidcFailure, user: authRepo.LoginCandidate | null = null, detail?: string): Promise<never> => {
    await audit(
      ctx.db,
      user ? { id: user.id, orgId: user.org_id } : null,
      'login.failed',
      'user',
      user?.id ?? null,
      { by: cfg.idKind, method: 'oidc', reason },
      ip,
    );
    throw new OidcLoginError(reason, detail);
  };
  const params = new URLSearchParams(query);
  const state = params.get('state');
  // A state this browser did not start (login CSRF), or one used or expired: nothing is exchanged.
  if (!state || state !== boundState) return fail('state');
  const pending = await repo.takePendingLogin(ctx.db, stateHash(state));
  if (!pending) return fail('state');
  if (params.get('error')) return fail('provider', null, (params.get('error_description') ?? params.get('error') ?? '').slice(0, 200));

  const currentUrl = new URL(cfg.redirectUri);
  currentUrl.search = params.toString();
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(provider, currentUrl, {
      pkceCodeVerifier: pending.code_verifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (e) {
    return fail('provider', null, e instanceof Error ? e.message.slice(0, 200) : undefined);
  }
  const claims = tokens.claims();
  const idToken = tokens.id_token;
  if (!claims || !idToken) return fail('provider');
  let raw = claims[cfg.idClaim];
  // Many providers put person claims only in userinfo (OIDC Core 5.4 for the code flow).
  if (raw === undefined) {
    try {
      raw = (await client.fetchUserInfo(provider, tokens.access_token, claims.sub))[cfg.idClaim];
    } catch {
      raw = undefined;
    }
  }
  const value = normaliseIdClaim(cfg.idKind, raw);
  if (!value) return fail('claim');

  const idx = ctx.pii.blindIndex(value);
  const candidates = cfg.idKind === 'nationalId' ? await authRepo.byNationalIdIndex(ctx.db, idx) : await authRepo.byPhoneIndex(ctx.db, idx);
  const active = candidates.filter((c) => c.active);
  if (!candidates.length) return fail('unmatched');
  if (!active.length) return fail('inactive', candidates.length === 1 ? candidates[0] : null);
  if (active.length > 1) return fail('ambiguous');
  const u = active[0];

  const settings = await ctx.security.get();
  const owed = await secondFactorOwed(ctx, u.id);
  try {
    const token = await ctx.db.tx(async (q) => {
      const s = await createSession(q, u.id, { policy: sessionRulesOf(settings), pendingSecondFactor: owed === 'verify' });
      await repo.setSessionIdToken(q, s.token, ctx.pii.encrypt(idToken));
      const orgId = s.orgId;
      // The same actions as a password sign-in (login, or login.password_ok while the code is owed).
      await audit(q, { id: u.id, orgId }, owed === 'verify' ? 'login.password_ok' : 'login', 'user', u.id, { by: cfg.idKind, method: 'oidc' }, ip);
      return s.token;
    });
    return { token, returnTo: pending.return_to, secondFactor: owed };
  } catch (e) {
    if (e instanceof AppError && e.code === 'FORBIDDEN') return fail('norole', u);
    throw e;
  }
}

/**
 * The provider's logout URL for a session signed in through it (id_token_hint, post_logout_redirect_uri), or
 * null (a password session, no OIDC configured, or a provider without an end_session_endpoint).
 */
export async function oidcLogoutUrl(ctx: AppContext, idTokenEnc: string | null): Promise<string | null> {
  if (!idTokenEnc || !ctx.config.oidc) return null;
  try {
    const { cfg, provider } = await configured(ctx);
    if (!provider.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(provider, {
      id_token_hint: ctx.pii.decrypt(idTokenEnc),
      post_logout_redirect_uri: cfg.postLogoutRedirectUri,
      client_id: cfg.clientId,
    }).href;
  } catch {
    // The provider cannot be reached: our session ends anyway.
    return null;
  }
}

/** The encrypted ID token of a session (read before the session is deleted at logout). */
export const sessionIdToken = repo.sessionIdToken;
