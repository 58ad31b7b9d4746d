import type { Queryable } from '../../db/db.js';
import { AppError } from '../../platform/errors.js';
import type { SecuritySettings } from '../../platform/security-settings.js';
import * as repo from './lockout.repository.js';

/**
 * Brute-force defences of sign-in (issue 9 item 3):
 * - per account: `lockoutThreshold` consecutive failures (password or second factor) lock it for
 *   `lockoutMinutes` (安全策略), or until the 安全管理员 unlocks it;
 * - per address: a school behind one NAT shares an address, so an address is never banned. Its first
 *   IP_FREE_FAILURES failures in a window cost nothing; after that it must wait 2^(n − free) seconds (at most
 *   IP_MAX_DELAY_SECONDS) after its last failure before it may try again. Successful sign-ins are never counted.
 * The address is req.ip (which proxies are trusted to set it is the server's configuration, not ours).
 */
export const IP_WINDOW_MINUTES = 15;
export const IP_FREE_FAILURES = 20;
export const IP_MAX_DELAY_SECONDS = 60;

/** How long an address with `failures` failures in its window waits after its last failure. */
export function ipDelaySeconds(failures: number): number {
  if (failures < IP_FREE_FAILURES) return 0;
  return Math.min(2 ** (failures - IP_FREE_FAILURES), IP_MAX_DELAY_SECONDS);
}

/** A short refusal: this address must wait `retryAfter` seconds (sent as Retry-After). */
export class ThrottledError extends AppError {
  constructor(readonly retryAfter: number) {
    super('RATE_LIMITED', `该网络登录失败次数较多，请 ${retryAfter} 秒后再试`);
  }
}

/** Throw ThrottledError when this address is in its back-off. */
export async function checkIpBackoff(q: Queryable, ip: string): Promise<void> {
  const f = await repo.ipFailures(q, ip, IP_WINDOW_MINUTES);
  if (!f) return;
  const wait = Math.ceil(ipDelaySeconds(f.failures) - f.since);
  if (wait > 0) throw new ThrottledError(wait);
}

export function lockedError(until: Date | null): AppError {
  const when = until
    ? `，请于 ${until.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' })} 后再试`
    : '，请稍后再试';
  return new AppError('ACCOUNT_LOCKED', `登录失败次数过多，账号已被锁定${when}，或联系安全管理员解锁`);
}

/**
 * A failed check of these (reserved) accounts from this address: count it for the address, lock each account
 * that reached the threshold. Returns the accounts locked by this failure (with the end of their lock).
 */
export async function recordFailure(
  q: Queryable,
  userIds: number[],
  ip: string,
  s: Pick<SecuritySettings, 'lockoutThreshold' | 'lockoutMinutes'>,
): Promise<{ userId: number; until: Date }[]> {
  await repo.recordIpFailure(q, ip, IP_WINDOW_MINUTES);
  const locked: { userId: number; until: Date }[] = [];
  for (const id of userIds) {
    const until = await repo.lockIfReached(q, id, s.lockoutThreshold, s.lockoutMinutes);
    if (until) locked.push({ userId: id, until });
  }
  return locked;
}

export const { reserveAttempt, releaseAttempt, confirmSuccess, lockedUntil } = repo;

/** Forget addresses whose last failure is a day old, hourly in this process; returns a stop function. */
export function startIpFailurePurge(q: Queryable, onError: (err: unknown) => void): () => void {
  const timer = setInterval(() => void repo.purgeIpFailures(q).catch(onError), 3600_000);
  timer.unref();
  return () => clearInterval(timer);
}
