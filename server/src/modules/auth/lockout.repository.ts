import type { Queryable } from '../../db/db.js';

/**
 * Account lockout (等保2.0 三级 登录失败处理). Every attempt is counted BEFORE its password or code is checked
 * (`reserveAttempt`), so however many attempts run at once, at most `threshold` of them are ever checked per
 * lock period; a success resets the count, a failure that reaches the threshold locks the account.
 */

/** Count one attempt; false when the account is locked or the attempts in flight already fill the allowance. */
export async function reserveAttempt(q: Queryable, userId: number, threshold: number): Promise<boolean> {
  const r = await q.query<{ failed_logins: number }>(
    `UPDATE users SET failed_logins = failed_logins + 1, locked_until = NULL
      WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now()) RETURNING failed_logins`,
    [userId],
  );
  return r.rows.length > 0 && r.rows[0].failed_logins <= threshold;
}

/** Take back a counted attempt that was not a failure of this account (the password was someone else's, or a step succeeded half-way). */
export async function releaseAttempt(q: Queryable, userId: number): Promise<void> {
  await q.query('UPDATE users SET failed_logins = greatest(failed_logins - 1, 0) WHERE id = $1', [userId]);
}

/** After a failed check: lock the account when the count has reached the threshold. The end of the lock, if it was locked now. */
export async function lockIfReached(q: Queryable, userId: number, threshold: number, minutes: number): Promise<Date | null> {
  const r = await q.query<{ locked_until: Date }>(
    `UPDATE users SET locked_until = now() + make_interval(mins => $3::int), failed_logins = 0
      WHERE id = $1 AND failed_logins >= $2 AND (locked_until IS NULL OR locked_until <= now()) RETURNING locked_until`,
    [userId, threshold, minutes],
  );
  return r.rows[0]?.locked_until ?? null;
}

/** A full success: the count starts again. False when the account was locked meanwhile (then the success does not count). */
export async function confirmSuccess(q: Queryable, userId: number): Promise<boolean> {
  const r = await q.query('UPDATE users SET failed_logins = 0 WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now())', [userId]);
  return r.rowCount > 0;
}

/** When the account's current lock ends (null: not locked). */
export async function lockedUntil(q: Queryable, userId: number): Promise<Date | null> {
  const r = await q.query<{ locked_until: Date | null }>('SELECT locked_until FROM users WHERE id = $1 AND locked_until > now()', [userId]);
  return r.rows[0]?.locked_until ?? null;
}

/** 解锁 by the 安全管理员: the lock and the count end. False when the account was not locked. */
export async function unlock(q: Queryable, userId: number): Promise<boolean> {
  const r = await q.query('UPDATE users SET locked_until = NULL, failed_logins = 0 WHERE id = $1 AND locked_until > now()', [userId]);
  return r.rowCount > 0;
}

// ---- per-IP back-off

export interface IpFailures {
  failures: number;
  /** Seconds since the last failure from this address. */
  since: number;
}

/** Failed sign-ins from this address in its current window (15 minutes from the window's first failure). */
export async function ipFailures(q: Queryable, ip: string, windowMinutes: number): Promise<IpFailures | null> {
  const r = await q.query<{ failures: number; since: number }>(
    `SELECT failures, extract(epoch FROM now() - last_at)::float8 AS since FROM login_ip_failures
      WHERE ip = $1 AND first_at > now() - make_interval(mins => $2::int)`,
    [ip, windowMinutes],
  );
  return r.rows[0] ?? null;
}

export async function recordIpFailure(q: Queryable, ip: string, windowMinutes: number): Promise<void> {
  await q.query(
    `INSERT INTO login_ip_failures (ip, failures, first_at, last_at) VALUES ($1, 1, now(), now())
     ON CONFLICT (ip) DO UPDATE SET
       failures = CASE WHEN login_ip_failures.first_at <= now() - make_interval(mins => $2::int) THEN 1 ELSE login_ip_failures.failures + 1 END,
       first_at = CASE WHEN login_ip_failures.first_at <= now() - make_interval(mins => $2::int) THEN now() ELSE login_ip_failures.first_at END,
       last_at = now()`,
    [ip, windowMinutes],
  );
}

/** Forget addresses whose last failure is a day old (housekeeping). */
export async function purgeIpFailures(q: Queryable): Promise<number> {
  return (await q.query(`DELETE FROM login_ip_failures WHERE last_at < now() - interval '1 day'`)).rowCount;
}
