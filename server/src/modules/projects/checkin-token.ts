import type { Signer } from '../../platform/crypto.js';

/** The QR code on the organiser's screen changes every period, so a photo of it goes stale quickly. */
export const CHECKIN_PERIOD_SECONDS = 30;

export const periodIndexAt = (now: Date): number => Math.floor(now.getTime() / 1000 / CHECKIN_PERIOD_SECONDS);

/** 签到 (in) or 签退 (out): the same mechanism, the direction is part of the signed payload. */
export type Direction = 'in' | 'out';

export interface IssuedToken {
  token: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** Sign `${sessionId}.${periodIndex}` (check-in) or `${sessionId}.${periodIndex}.o` (check-out) for the period containing now. */
export function issueCheckinToken(signer: Signer, sessionId: number, now: Date, direction: Direction = 'in'): IssuedToken {
  const period = periodIndexAt(now);
  return {
    token: signer.sign(`${sessionId}.${period}${direction === 'out' ? '.o' : ''}`),
    issuedAt: new Date(period * CHECKIN_PERIOD_SECONDS * 1000),
    expiresAt: new Date((period + 1) * CHECKIN_PERIOD_SECONDS * 1000),
  };
}

export type TokenCheck = { ok: true; sessionId: number; period: number; direction: Direction } | { ok: false; problem: 'invalid' | 'expired' };

/**
 * Accept a token of the current period or the one before (a scan right at the rotation);
 * anything older is expired. A token "from the future" can only be forged or skewed: invalid.
 */
export function verifyCheckinToken(signer: Signer, token: string, now: Date): TokenCheck {
  const payload = token.length <= 200 ? signer.verify(token) : null;
  const m = payload ? /^(\d{1,10})\.(\d{1,12})(\.o)?$/.exec(payload) : null;
  if (!m) return { ok: false, problem: 'invalid' };
  const sessionId = Number(m[1]);
  const period = Number(m[2]);
  const current = periodIndexAt(now);
  if (period > current) return { ok: false, problem: 'invalid' };
  if (period < current - 1) return { ok: false, problem: 'expired' };
  return { ok: true, sessionId, period, direction: m[3] ? 'out' : 'in' };
}
