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
});

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
    ...overrides,
  };
}

/** Derive an independent 32-byte key for one purpose from the master secret. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return createHash('sha256').update(`${purpose}\0${secret}`).digest();
}
