-- 统一身份认证 (OIDC, issue 8 item 3). A sign-in started at the provider waits here until the browser comes
-- back: state (only its hash), nonce and PKCE verifier, the page to return to. Single use: the callback
-- deletes the row it uses, so a replayed callback finds nothing. Rows older than their expiry are cleared at
-- the next start.
CREATE TABLE oidc_logins (
  state_hash     text PRIMARY KEY,
  nonce          text NOT NULL,
  code_verifier  text NOT NULL,
  return_to      text NOT NULL DEFAULT '/',
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL
)
--;
CREATE INDEX oidc_logins_expires_idx ON oidc_logins (expires_at)
--;
-- The provider's ID token of a session signed in through it, for RP-initiated logout (id_token_hint). It holds
-- the person's claims (a 身份证号 or phone), so it is stored AES-256-GCM encrypted like other personal data.
ALTER TABLE auth_sessions ADD COLUMN oidc_id_token_enc text
