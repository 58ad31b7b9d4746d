import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { recordLedgerEntries } from './ledger.service.js';

// Issue 9 item 14: a county reversed hours the city recognised with no notice or second approval. A correction
// of a parent's record now goes to that parent as a request; the teacher is told when the hours change.

let t: TestApp;
let w: World;
const c: Record<string, string> = {};
let seq = 0;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'teacher']) c[u] = await login(t.app, u, PASSWORD);
});
afterAll(async () => t?.close());

type Method = 'GET' | 'POST';
const req = (who: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: c[who] } });

/** An entry of 张老师 (甲区第一小学) from a closed project run by `orgId`, whose hours `orgId` confirmed. */
async function entryOf(orgId: number, hours = 4): Promise<number> {
  const n = ++seq;
  const p = (
    await t.db.query<{ id: number }>(
      `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status, approval_chain)
       VALUES ($1, $2, $3, 'city', 'inPerson', '{ethics}', $4, '2025-03-01', '2025-03-31', 'closed', ARRAY[$1]::int[]) RETURNING id`,
      [orgId, `CR-${n}`, `更正测试项目${n}`, hours],
    )
  ).rows[0].id;
  await recordLedgerEntries(t.db, [
    {
      teacherId: w.teacherId,
      hours,
      category: 'ethics',
      occurredOn: '2025-03-10',
      sourceType: 'project',
      projectId: p,
      description: `更正测试项目${n}`,
      dedupeKey: `cr:${n}`,
    },
  ]);
  return Number((await t.db.query<{ id: string }>('SELECT id FROM ledger_entries WHERE dedupe_key = $1', [`cr:${n}`])).rows[0].id);
}

const reversed = async (entryId: number) => (await t.db.query('SELECT 1 FROM ledger_entries WHERE reverses_id = $1', [entryId])).rows.length === 1;
const inbox = async (who: string) => (await req(who, 'GET', '/api/notifications')).json().items as { title: string; body: string; link: string }[];

describe('correcting hours across levels', () => {
  it('the county’s correction of hours the city recognised goes to the city; the city approves; the teacher is told', async () => {
    const entry = await entryOf(w.city);
    const r = await req('county.admin', 'POST', `/api/ledger/${entry}/reverse`, { reason: '该教师实际未参加' });
    expect(r.statusCode).toBe(202);
    expect(r.json()).toMatchObject({ requested: true, message: '该学时由测试市教育局认定，已提交更正申请，待其审核', request: { status: 'pending' } });
    // Nothing reversed, nobody's hours changed yet.
    expect(await reversed(entry)).toBe(false);
    expect((await inbox('teacher')).some((n) => n.title.includes('已更正'))).toBe(false);
    // A second request for the same entry while the first is open: 409.
    expect((await req('county.admin', 'POST', `/api/ledger/${entry}/reverse`, { reason: '再申请一次' })).statusCode).toBe(409);

    // The city sees it to decide; the county sees it as sent, and cannot decide it.
    expect((await inbox('city.admin')).some((n) => n.title.startsWith('待审核：甲区教育局申请冲销') && n.link === '/hours/corrections')).toBe(true);
    const cityList = (await req('city.admin', 'GET', '/api/ledger/corrections?status=pending')).json().items as {
      id: number;
      entryId: number;
      canDecide: boolean;
    }[];
    const mine = cityList.find((x) => x.entryId === entry);
    expect(mine).toMatchObject({ canDecide: true });
    const countyList = (await req('county.admin', 'GET', '/api/ledger/corrections')).json().items as {
      entryId: number;
      canDecide: boolean;
      outgoing: boolean;
    }[];
    expect(countyList.find((x) => x.entryId === entry)).toMatchObject({ canDecide: false, outgoing: true });
    expect((await req('county.admin', 'POST', `/api/ledger/corrections/${mine!.id}/decision`, { decision: 'approve' })).statusCode).toBe(404);

    // Refusing needs a reason.
    const bare = await req('city.admin', 'POST', `/api/ledger/corrections/${mine!.id}/decision`, { decision: 'refuse' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().fields).toEqual([{ field: 'comment', message: '请填写原因' }]);

    const ok = await req('city.admin', 'POST', `/api/ledger/corrections/${mine!.id}/decision`, { decision: 'approve', comment: '核实无误' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', statusLabel: '已同意', decidedByName: expect.any(String), canDecide: false });
    expect(await reversed(entry)).toBe(true);
    const rev = (
      await t.db.query<{ reason: string; recognised_by: number }>('SELECT reason, recognised_by FROM ledger_entries WHERE reverses_id = $1', [entry])
    ).rows[0];
    expect(rev.reason).toBe('该教师实际未参加');
    expect(
      (await inbox('teacher')).some((n) => n.title === `您的学时记录已更正：冲销「更正测试项目${seq}」4 学时` && n.body === '原因：该教师实际未参加'),
    ).toBe(true);
    expect((await inbox('county.admin')).some((n) => n.title === `测试市教育局同意冲销「更正测试项目${seq}」4 学时`)).toBe(true);
    // Decided once.
    expect((await req('city.admin', 'POST', `/api/ledger/corrections/${mine!.id}/decision`, { decision: 'refuse', comment: '改主意' })).statusCode).toBe(409);
    const audits = (
      await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'ledger.correction.%' ORDER BY id`, [
        String(entry),
      ])
    ).rows;
    expect(audits.map((a) => a.action)).toEqual(['ledger.correction.request', 'ledger.correction.approve']);
  });

  it('a refusal keeps the hours and tells the county why', async () => {
    const entry = await entryOf(w.city, 6);
    expect((await req('county.admin', 'POST', `/api/ledger/${entry}/reverse`, { reason: '重复认定' })).statusCode).toBe(202);
    const id = ((await req('city.admin', 'GET', '/api/ledger/corrections?status=pending')).json().items as { id: number; entryId: number }[]).find(
      (x) => x.entryId === entry,
    )!.id;
    const r = await req('city.admin', 'POST', `/api/ledger/corrections/${id}/decision`, { decision: 'refuse', comment: '签到记录齐全，不属重复' });
    expect(r.json()).toMatchObject({ status: 'refused', decisionComment: '签到记录齐全，不属重复' });
    expect(await reversed(entry)).toBe(false);
    expect((await inbox('county.admin')).some((n) => n.title.startsWith('测试市教育局未同意冲销') && n.body === '签到记录齐全，不属重复')).toBe(true);
    // Refused: the county may ask again.
    expect((await req('county.admin', 'POST', `/api/ledger/${entry}/reverse`, { reason: '补充材料后再次申请' })).statusCode).toBe(202);
  });

  it('an org corrects its own records and those below it at once, and the teacher is told', async () => {
    const own = await entryOf(w.county1, 3);
    const r = await req('county.admin', 'POST', `/api/ledger/${own}/reverse`, { reason: '录入错误' });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ hours: -3, reversesId: own });
    expect((await inbox('teacher')).some((n) => n.title === `您的学时记录已更正：冲销「更正测试项目${seq}」3 学时`)).toBe(true);
    // The city corrects the county's record directly too.
    const below = await entryOf(w.county1, 2);
    expect((await req('city.admin', 'POST', `/api/ledger/${below}/reverse`, { reason: '市级复核' })).statusCode).toBe(201);
    expect(await reversed(below)).toBe(true);
  });
});
