import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import { Pii, Signer } from './crypto.js';
import { defaultSecuritySettings, SecuritySettingsStore } from './security-settings.js';

/** What every module's routes and services are given: built once in app.ts, never global. */
export interface AppContext {
  config: Config;
  db: Db;
  pii: Pii;
  checkinSigner: Signer;
  /** 安全策略 in force (lockout, session limits, password history, TOTP), cached in the process. */
  security: SecuritySettingsStore;
}

export function buildContext(config: Config, db: Db): AppContext {
  return {
    config,
    db,
    pii: new Pii(config.secret),
    checkinSigner: new Signer(config.secret, 'checkin'),
    security: new SecuritySettingsStore(db, defaultSecuritySettings(config)),
  };
}
