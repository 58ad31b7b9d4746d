import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../test/harness.js';
import { PASSWORD } from '../../../test/factories.js';
import { DEMO_TRACKING_CODE, DEMO_TRACKING_SECRET } from './ethics.js';
import { seedDemo } from './seed.js';
import { todayInChina } from '../platform/china-time.js';

let t: TestApp;
const logs: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.ctx, { teachers: 300, seed: 7, asOf: todayInChina(), log: (m) => logs.push(m) });
});
afterAll(async () => t?.close());

describe('demo 师德 data', () => {
  it('gives the 师德专干 a board with something in every part', async () => {
    const officer = await login(t.app, 'ethics.officer', PASSWORD);
    const from = new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10);
    const b = (await t.app.inject({ method: 'GET', url: `/api/ethics/board?from=${from}`, headers: { cookie: officer } })).json();
    expect(b.period.reports).toBeGreaterThanOrEqual(3);
    expect(b.overdue.respond).toBeGreaterThanOrEqual(1);
    expect(b.overdue.conclude).toBeGreaterThanOrEqual(1);
    expect(b.overdue.escalated).toBeGreaterThanOrEqual(1);
    expect(b.casesByStage.filter((s: { n: number }) => s.n > 0).length).toBeGreaterThanOrEqual(3);
    // In force: the 记过 (twelve months) among others; the 警告 of an earlier year has ended (not counted).
    expect(b.sanctionsInForce.byKind.map((k: { kind: string }) => k.kind)).toContain('demerit');
    const ended = await t.db.query(`SELECT 1 FROM ethics_sanctions WHERE kind = 'warning' AND valid_until < CURRENT_DATE - 200`);
    expect(ended.rows).toHaveLength(1);
    expect(b.answerRate.byOrg).toHaveLength(1);
    expect(b.answerRate.settled).toBeGreaterThan(b.answerRate.onTime);
  });

  it('has a notice confirmed by two schools, waiting at the demo school, and a meeting with check-ins', async () => {
    const admin = await login(t.app, 'school.admin', PASSWORD);
    const list = (await t.app.inject({ method: 'GET', url: '/api/ethics/notices', headers: { cookie: admin } })).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ mySchool: true, myConfirmedAt: null });
    expect(list.items[0].subjectLabel).toMatch(/^.{1,2}某某$/);
    const officer = await login(t.app, 'ethics.officer', PASSWORD);
    const s = (await t.app.inject({ method: 'GET', url: `/api/ethics/notices/${list.items[0].id}/schools`, headers: { cookie: officer } })).json();
    expect(s.confirmed).toBe(2);
    expect(s.items.filter((i: { confirmedByName: string | null }) => i.confirmedByName).length).toBe(2);
    const meetings = (await t.app.inject({ method: 'GET', url: '/api/ethics/meetings', headers: { cookie: officer } })).json();
    expect(meetings.items).toHaveLength(1);
    expect(meetings.items[0].attended).toBeGreaterThan(0);
  });

  it('prints a tracking code whose secret matches the stored hash (as intake checks it)', async () => {
    const line = logs.find((l) => l.includes('查询码'));
    expect(line).toContain(`${DEMO_TRACKING_CODE.slice(0, 4)}-${DEMO_TRACKING_CODE.slice(4)}`);
    const r = (
      await t.db.query<{ secret_hash: string; anonymous: boolean }>('SELECT secret_hash, anonymous FROM ethics_reports WHERE tracking_code = $1', [
        DEMO_TRACKING_CODE,
      ])
    ).rows[0];
    expect(r.anonymous).toBe(true);
    expect(r.secret_hash).toBe(createHash('sha256').update(`ethics-report:${DEMO_TRACKING_CODE}:${DEMO_TRACKING_SECRET}`).digest('hex'));
    // Sealed: no content in clear.
    const clear = await t.db.query(`SELECT 1 FROM ethics_reports WHERE content_enc LIKE '%补课%' OR reporter_enc LIKE '%家长%'`);
    expect(clear.rows).toHaveLength(0);
  });
});
