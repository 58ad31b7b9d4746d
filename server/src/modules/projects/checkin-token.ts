import { createHash, timingSafeEqual } from 'node:crypto';
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

// ------------------------------------------------------------ scan tickets (a check-in that survives a slow login)

/** How long a scan stays good for the login that follows it. */
export const SCAN_TICKET_SECONDS = 600;

/** The browser's own random key (kept in the page's sessionStorage): 22–64 URL-safe characters. */
export const BROWSER_KEY = /^[A-Za-z0-9_-]{22,64}$/;

/** The hash of a browser key that a ticket carries: the key itself never sits in a ticket. */
export const browserKeyHash = (key: string): string => createHash('sha256').update(`qs-checkin-browser:${key}`).digest('base64url').slice(0, 22);

/** What is stored once a ticket is used: its hash, never the ticket. */
export const ticketHash = (ticket: string): string => createHash('sha256').update(ticket).digest('hex');

/**
 * A scan ticket: the server's signed record that THIS browser scanned a code of this session and direction
 * at `scannedAt`, while the code was valid. Payload `s.<session>.<i|o>.<scan ms>.<browser key hash>`: the
 * `s.` prefix keeps a ticket from ever passing as a QR token and the other way round.
 */
export function issueScanTicket(signer: Signer, sessionId: number, direction: Direction, scannedAt: Date, key: string): string {
  return signer.sign(`s.${sessionId}.${direction === 'out' ? 'o' : 'i'}.${scannedAt.getTime()}.${browserKeyHash(key)}`);
}

export type TicketCheck =
  | { ok: true; sessionId: number; direction: Direction; scannedAt: Date; hash: string }
  | { ok: false; problem: 'invalid' | 'expired' | 'otherBrowser' };

/** A ticket is good for SCAN_TICKET_SECONDS after the scan, only with the key of the browser that scanned. */
export function verifyScanTicket(signer: Signer, ticket: string, key: string, now: Date): TicketCheck {
  const payload = ticket.length <= 200 ? signer.verify(ticket) : null;
  const m = payload ? /^s\.(\d{1,10})\.([io])\.(\d{1,15})\.([A-Za-z0-9_-]{22})$/.exec(payload) : null;
  if (!m) return { ok: false, problem: 'invalid' };
  const scannedAt = new Date(Number(m[3]));
  if (scannedAt.getTime() > now.getTime() + 5000) return { ok: false, problem: 'invalid' };
  if (now.getTime() - scannedAt.getTime() > SCAN_TICKET_SECONDS * 1000) return { ok: false, problem: 'expired' };
  const want = Buffer.from(m[4]);
  const got = Buffer.from(browserKeyHash(key));
  if (!BROWSER_KEY.test(key) || !timingSafeEqual(want, got)) return { ok: false, problem: 'otherBrowser' };
  return { ok: true, sessionId: Number(m[1]), direction: m[2] === 'o' ? 'out' : 'in', scannedAt, hash: ticketHash(ticket) };
}
