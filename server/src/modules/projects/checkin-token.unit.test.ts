import { describe, expect, it } from 'vitest';
import { Signer } from '../../platform/crypto.js';
import {
  CHECKIN_PERIOD_SECONDS,
  issueCheckinToken,
  issueScanTicket,
  periodIndexAt,
  SCAN_TICKET_SECONDS,
  verifyCheckinToken,
  verifyScanTicket,
} from './checkin-token.js';

const signer = new Signer('unit-test-secret-unit-test-secret-0001', 'checkin');
const t0 = new Date('2026-03-02T08:00:10Z');
const later = (s: number) => new Date(t0.getTime() + s * 1000);

describe('rotating QR check-in token', () => {
  it('rotates every 30 seconds and states its validity window', () => {
    const a = issueCheckinToken(signer, 7, t0);
    const b = issueCheckinToken(signer, 7, later(CHECKIN_PERIOD_SECONDS));
    expect(a.token).not.toBe(b.token);
    expect(a.expiresAt.getTime() - a.issuedAt.getTime()).toBe(30_000);
    expect(a.issuedAt.getTime()).toBeLessThanOrEqual(t0.getTime());
    expect(a.expiresAt.getTime()).toBeGreaterThan(t0.getTime());
  });

  it('accepts the current and the previous period, refuses older ones as expired', () => {
    const { token } = issueCheckinToken(signer, 7, t0);
    expect(verifyCheckinToken(signer, token, t0)).toEqual({ ok: true, sessionId: 7, period: periodIndexAt(t0), direction: 'in' });
    expect(verifyCheckinToken(signer, token, later(30)).ok).toBe(true);
    expect(verifyCheckinToken(signer, token, later(60))).toEqual({ ok: false, problem: 'expired' });
    expect(verifyCheckinToken(signer, token, later(3600))).toEqual({ ok: false, problem: 'expired' });
  });

  it('refuses tampered, foreign-key and future tokens as invalid', () => {
    const { token } = issueCheckinToken(signer, 7, t0);
    const forged = `${Buffer.from(`8.${periodIndexAt(t0)}`).toString('base64url')}.${token.split('.')[1]}`;
    expect(verifyCheckinToken(signer, forged, t0)).toEqual({ ok: false, problem: 'invalid' });
    const other = new Signer('another-secret-another-secret-another-1', 'checkin');
    expect(verifyCheckinToken(other, token, t0)).toEqual({ ok: false, problem: 'invalid' });
    expect(verifyCheckinToken(signer, token, later(-30))).toEqual({ ok: false, problem: 'invalid' });
    expect(verifyCheckinToken(signer, 'garbage', t0)).toEqual({ ok: false, problem: 'invalid' });
    expect(verifyCheckinToken(signer, signer.sign('7.x'), t0)).toEqual({ ok: false, problem: 'invalid' });
  });

  it('carries the direction: a check-out token is not a check-in token', () => {
    const inTok = issueCheckinToken(signer, 7, t0).token;
    const outTok = issueCheckinToken(signer, 7, t0, 'out').token;
    expect(outTok).not.toBe(inTok);
    expect(verifyCheckinToken(signer, outTok, t0)).toMatchObject({ ok: true, sessionId: 7, direction: 'out' });
    // Flipping the direction without the key breaks the signature.
    const flipped = `${Buffer.from(`7.${periodIndexAt(t0)}.o`).toString('base64url')}.${inTok.split('.')[1]}`;
    expect(verifyCheckinToken(signer, flipped, t0)).toEqual({ ok: false, problem: 'invalid' });
  });
});

describe('scan ticket (check-in after a slow login)', () => {
  const key = 'browser-key-aaaaaaaaaaaaaa';
  it('is good for 10 minutes, only with the key of the browser that scanned, and never passes as a QR token', () => {
    const ticket = issueScanTicket(signer, 7, 'in', t0, key);
    expect(verifyScanTicket(signer, ticket, key, later(SCAN_TICKET_SECONDS - 1))).toMatchObject({ ok: true, sessionId: 7, direction: 'in', scannedAt: t0 });
    expect(verifyScanTicket(signer, ticket, key, later(SCAN_TICKET_SECONDS + 1))).toEqual({ ok: false, problem: 'expired' });
    expect(verifyScanTicket(signer, ticket, 'browser-key-bbbbbbbbbbbbbb', t0)).toEqual({ ok: false, problem: 'otherBrowser' });
    expect(verifyCheckinToken(signer, ticket, t0)).toEqual({ ok: false, problem: 'invalid' });
    const { token } = issueCheckinToken(signer, 7, t0);
    expect(verifyScanTicket(signer, token, key, t0)).toEqual({ ok: false, problem: 'invalid' });
  });
});
