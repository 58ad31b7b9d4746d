import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import { Pii, Signer } from './crypto.js';

/** What every module's routes and services are given: built once in app.ts, never global. */
export interface AppContext {
  config: Config;
  db: Db;
  pii: Pii;
  checkinSigner: Signer;
}

export function buildContext(config: Config, db: Db): AppContext {
  return {
    config,
    db,
    pii: new Pii(config.secret),
    checkinSigner: new Signer(config.secret, 'checkin'),
  };
}
