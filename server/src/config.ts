import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';

/** Everything the app reads from the environment, validated once at boot. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Loopback by default: listening on other addresses is a choice (and needs a real secret). */
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  UPLOAD_DIR: z.string().optional(),
  /** 32+ chars; derives the PII encryption key, blind-index key and token-signing key. */
  QIANGSHI_SECRET: z.string().min(32).optional(),
  /** Demo data and the login page's demo accounts: chosen explicitly (`npm start` passes --demo), never in production. */
  DEMO: z.enum(['0', '1']).default('0'),
  /** The address users reach the app at ('https://qs.example.cn'): the base of every absolute URL (QR codes) and the CSRF origin. */
  PUBLIC_URL: z.string().optional(),
  /** Reverse proxies whose X-Forwarded-For/-Proto are believed: addresses or CIDRs, comma-separated. Default none. */
  TRUSTED_PROXIES: z.string().optional(),
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
  /** Origin (+ optional path), no trailing slash; undefined in development = http://localhost:PORT for links. */
  publicUrl?: string;
  /** Addresses/CIDRs for fastify's trustProxy; empty = forwarding headers are ignored. */
  trustedProxies: string[];
  production: boolean;
  logLevel: string;
  session: { idleMinutes: number; absoluteHours: number };
  smsGatewayModule?: string;
  oidc?: OidcConfig;
}

export const DEMO_SECRET = 'qiangshi-demo-secret-do-not-use-in-production-0001';

/** A refused configuration: the process must not start. The message is in English and Chinese. */
export class ConfigError extends Error {}

const refuse = (en: string, zh: string) => new ConfigError(`${en}\n${zh}`);

/** Whether `host` (the listen address) is reachable only from this machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUSTED_PROXIES: 'a.b.c.d, 10.0.0.0/8, loopback' → entries fastify's trustProxy (proxy-addr) accepts. */
export function parseTrustedProxies(raw: string | undefined): string[] {
  const list = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of list) {
    const [addr, bits, extra] = p.split('/');
    const kind = isIP(addr);
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (kind === 6 ? 128 : 32));
    if (!(PROXY_NAMES.includes(p) || (kind && okBits && extra === undefined)))
      throw refuse(`TRUSTED_PROXIES: "${p}" is not an IP address or CIDR`, `TRUSTED_PROXIES 中的「${p}」不是 IP 地址或网段（CIDR）`);
  }
  return list;
}

/** PUBLIC_URL → 'https://host[:port][/path]' without a trailing slash, or a refusal. */
export function parsePublicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw refuse(`PUBLIC_URL: "${raw}" is not a URL`, `PUBLIC_URL「${raw}」不是有效的网址`);
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || u.search || u.hash)
    throw refuse('PUBLIC_URL must be an http(s) address without credentials, query or fragment', 'PUBLIC_URL 须为 http(s) 网址，不含账号、查询参数或 #');
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const e = EnvSchema.parse(env);
  const production = e.NODE_ENV === 'production';
  const demo = e.DEMO === '1';
  const demoSecret = !e.QIANGSHI_SECRET || e.QIANGSHI_SECRET === DEMO_SECRET;
  const host = overrides.host ?? e.HOST;
  // The demo secret is public (it is in this file): anything signed or encrypted with it can be forged or read.
  if (production && demoSecret)
    throw refuse('QIANGSHI_SECRET must be set (and not the demo secret) in production', '生产环境必须设置 QIANGSHI_SECRET（且不能使用演示密钥）');
  if (demoSecret && !isLoopback(host))
    throw refuse(
      `Refusing to listen on ${host} with the public demo secret: set QIANGSHI_SECRET (32+ random characters) or HOST=127.0.0.1`,
      `拒绝启动：使用公开的演示密钥时只能监听本机地址（当前 HOST=${host}）。请设置 QIANGSHI_SECRET（至少 32 个随机字符）或 HOST=127.0.0.1`,
    );
  // The demo lists its accounts and passwords on the login page: never on a production deployment.
  if (production && demo)
    throw refuse('DEMO=1 is refused in production (it lists the demo accounts to anyone)', '生产环境不能开启演示模式（DEMO=1 会向任何人列出演示账号和密码）');
  const publicUrl = parsePublicUrl(e.PUBLIC_URL);
  if (production && !publicUrl)
    throw refuse(
      'PUBLIC_URL must be set in production (the address of QR codes and the CSRF origin)',
      '生产环境必须设置 PUBLIC_URL（二维码链接和跨站请求校验使用的访问地址）',
    );
  return {
    port: e.PORT,
    host,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    uploadDir: e.UPLOAD_DIR ?? `${e.DATA_DIR}/uploads`,
    secret: e.QIANGSHI_SECRET ?? DEMO_SECRET,
    demo,
    publicUrl,
    trustedProxies: parseTrustedProxies(e.TRUSTED_PROXIES),
    demoSize: e.DEMO_SIZE,
    production,
    logLevel: e.LOG_LEVEL,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    smsGatewayModule: e.SMS_GATEWAY_MODULE,
    oidc: oidcConfig(e),
    ...overrides,
  };
}

/**
 * The base of every absolute URL the server makes (certificate verification links, check-in QR codes):
 * PUBLIC_URL, never the request's Host header (which any client can forge). Without PUBLIC_URL (development,
 * demo) the local address.
 */
export function publicBaseUrl(config: Pick<Config, 'publicUrl' | 'port'>): string {
  return config.publicUrl ?? `http://localhost:${config.port}`;
}

/** Derive an independent 32-byte key for one purpose from the master secret. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return createHash('sha256').update(`${purpose}\0${secret}`).digest();
}
