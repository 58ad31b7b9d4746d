import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Everything the app reads from the environment, validated once at boot. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  UPLOAD_DIR: z.string().optional(),
  /** 32+ chars; derives the PII encryption key, blind-index key and token-signing key. */
  QIANGSHI_SECRET: z.string().min(32).optional(),
  DEMO: z.enum(['0', '1']).default('1'),
  DEMO_SIZE: z.coerce.number().int().min(50).max(2_000_000).default(6000),
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.string().default('info'),
  /** Sessions end after this many minutes without a request (等保: 30) … */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** … and this many hours after login whatever happens (12). */
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /** 忘记密码 by SMS: path of a module exporting an SmsGateway factory (modules/accounts/password-help.ts); unset = none. */
  SMS_GATEWAY_MODULE: z.string().min(1).optional(),
  /** 统一身份认证 (OIDC): the region's identity provider; unset = password sign-in only. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Unset: a public client (PKCE only, token_endpoint_auth_method none). */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where the provider sends the browser back: https://<host>/api/auth/oidc/callback. */
  OIDC_REDIRECT_URI: z.url().optional(),
  /** Where the provider sends the browser after its logout (default: the redirect URI's origin + /login). */
  OIDC_POST_LOGOUT_REDIRECT_URI: z.url().optional(),
  /** The claim (ID token or userinfo) carrying the person's 身份证号 or phone. */
  OIDC_ID_CLAIM: z.string().min(1).optional(),
  OIDC_ID_KIND: z.enum(['nationalId', 'phone']).default('nationalId'),
  OIDC_SCOPES: z.string().min(1).default('openid'),
  OIDC_LABEL: z.string().min(1).default('统一身份认证登录'),
});

/** 统一身份认证 (OIDC) settings, present only when OIDC_ISSUER is set. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  idClaim: string;
  idKind: 'nationalId' | 'phone';
  scopes: string;
  label: string;
}

function oidcConfig(e: z.infer<typeof EnvSchema>): OidcConfig | undefined {
  if (!e.OIDC_ISSUER) return undefined;
  const missing = (['OIDC_CLIENT_ID', 'OIDC_REDIRECT_URI', 'OIDC_ID_CLAIM'] as const).filter((k) => !e[k]);
  if (missing.length) throw new Error(`OIDC_ISSUER is set: ${missing.join(', ')} must be set too`);
  const redirectUri = e.OIDC_REDIRECT_URI as string;
  const scopes = e.OIDC_SCOPES.split(/[\s,]+/).filter(Boolean);
  if (!scopes.includes('openid')) scopes.unshift('openid');
  return {
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID as string,
    clientSecret: e.OIDC_CLIENT_SECRET,
    redirectUri,
    postLogoutRedirectUri: e.OIDC_POST_LOGOUT_REDIRECT_URI ?? `${new URL(redirectUri).origin}/login`,
    idClaim: e.OIDC_ID_CLAIM as string,
    idKind: e.OIDC_ID_KIND,
    scopes: scopes.join(' '),
    label: e.OIDC_LABEL,
  };
}

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  uploadDir: string;
  secret: string;
  demo: boolean;
  demoSize: number;
  production: boolean;
  logLevel: string;
  session: { idleMinutes: number; absoluteHours: number };
  smsGatewayModule?: string;
  oidc?: OidcConfig;
}

const DEMO_SECRET = 'qiangshi-demo-secret-do-not-use-in-production-0001';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const e = EnvSchema.parse(env);
  const production = e.NODE_ENV === 'production';
  if (production && !e.QIANGSHI_SECRET) throw new Error('QIANGSHI_SECRET must be set in production');
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    uploadDir: e.UPLOAD_DIR ?? `${e.DATA_DIR}/uploads`,
    secret: e.QIANGSHI_SECRET ?? DEMO_SECRET,
    demo: e.DEMO === '1',
    demoSize: e.DEMO_SIZE,
    production,
    logLevel: e.LOG_LEVEL,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    smsGatewayModule: e.SMS_GATEWAY_MODULE,
    oidc: oidcConfig(e),
    ...overrides,
  };
}

/** Derive an independent 32-byte key for one purpose from the master secret. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return createHash('sha256').update(`${purpose}\0${secret}`).digest();
}
