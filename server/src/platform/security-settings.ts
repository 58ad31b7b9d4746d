import type { Config } from '../config.js';
import type { Queryable } from '../db/db.js';

/**
 * 安全策略 in force: set by the 安全管理员 (modules/security), stored as versions in security_settings. Without
 * any version the 等保2.0 三级 defaults apply (session limits from the configuration).
 */
export interface SecuritySettings {
  /** Consecutive failed sign-ins that lock the account … */
  lockoutThreshold: number;
  /** … for this many minutes (or until the 安全管理员 unlocks it). */
  lockoutMinutes: number;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** A new password may not be any of the last N (the current one included). */
  passwordHistory: number;
  /** Accounts holding an admin role (every role except teacher and expert) must use a TOTP second factor. */
  totpRequired: boolean;
  /** The version in force; null = the defaults. */
  version: number | null;
  changedAt: string | null;
  changedBy: string | null;
  reason: string | null;
}

export type SecurityPolicy = Omit<SecuritySettings, 'version' | 'changedAt' | 'changedBy' | 'reason'>;

export function defaultSecuritySettings(config: Pick<Config, 'session'>): SecuritySettings {
  return {
    lockoutThreshold: 5,
    lockoutMinutes: 30,
    sessionIdleMinutes: config.session.idleMinutes,
    sessionAbsoluteHours: config.session.absoluteHours,
    passwordHistory: 5,
    totpRequired: true,
    version: null,
    changedAt: null,
    changedBy: null,
    reason: null,
  };
}

interface Row {
  version: number;
  lockout_threshold: number;
  lockout_minutes: number;
  session_idle_minutes: number;
  session_absolute_hours: number;
  password_history: number;
  totp_required: boolean;
  changed_at: Date;
  changed_by: string | null;
  reason: string;
}

export function settingsFromRow(r: Row): SecuritySettings {
  return {
    lockoutThreshold: r.lockout_threshold,
    lockoutMinutes: r.lockout_minutes,
    sessionIdleMinutes: r.session_idle_minutes,
    sessionAbsoluteHours: r.session_absolute_hours,
    passwordHistory: r.password_history,
    totpRequired: r.totp_required,
    version: r.version,
    changedAt: new Date(r.changed_at).toISOString(),
    changedBy: r.changed_by,
    reason: r.reason,
  };
}

export const SETTINGS_SELECT = `SELECT s.version, s.lockout_threshold, s.lockout_minutes, s.session_idle_minutes, s.session_absolute_hours,
        s.password_history, s.totp_required, s.changed_at, u.display_name AS changed_by, s.reason
   FROM security_settings s LEFT JOIN users u ON u.id = s.changed_by`;

/** The newest version, or null when the defaults apply. */
export async function loadNewestSettings(q: Queryable): Promise<SecuritySettings | null> {
  const r = await q.query<Row>(`${SETTINGS_SELECT} ORDER BY s.version DESC LIMIT 1`);
  return r.rows[0] ? settingsFromRow(r.rows[0]) : null;
}

/** Insert a new version (the newest wins); the version number. */
export async function insertSettingsVersion(q: Queryable, s: SecurityPolicy, changedBy: number | null, reason: string): Promise<number> {
  const r = await q.query<{ version: number }>(
    `INSERT INTO security_settings (lockout_threshold, lockout_minutes, session_idle_minutes, session_absolute_hours, password_history, totp_required, changed_by, reason)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING version`,
    [s.lockoutThreshold, s.lockoutMinutes, s.sessionIdleMinutes, s.sessionAbsoluteHours, s.passwordHistory, s.totpRequired, changedBy, reason],
  );
  return r.rows[0].version;
}

/**
 * The settings, cached in the process: read once, then re-read at most every `maxAgeMs` (other app
 * processes may have changed them) and at once after a change made through this process (`reload`).
 */
export class SecuritySettingsStore {
  private cached: { at: number; value: Promise<SecuritySettings> } | null = null;
  constructor(
    private readonly db: Queryable,
    private readonly defaults: SecuritySettings,
    private readonly maxAgeMs = 10_000,
  ) {}

  get(): Promise<SecuritySettings> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.maxAgeMs) {
      const value = loadNewestSettings(this.db).then((s) => s ?? this.defaults);
      // A failed read is not kept: the next request tries again.
      value.catch(() => {
        if (this.cached?.value === value) this.cached = null;
      });
      this.cached = { at: now, value };
    }
    return this.cached.value;
  }

  /** Forget the cached value and read the newest version now. */
  reload(): Promise<SecuritySettings> {
    this.cached = null;
    return this.get();
  }

  get defaultSettings(): SecuritySettings {
    return this.defaults;
  }
}
