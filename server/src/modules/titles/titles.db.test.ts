import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../../../../test/factories.js';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';
import { hashPassword } from '../../platform/auth.js';
import { insertUser } from '../users/users.repository.js';
import { ensureSeedPolicies, policiesRepo } from '../policies/policies.service.js';
import { insertSanction } from '../integrity/sanctions.repository.js';
import { recordLedgerEntries } from '../ledger/ledger.service.js';
import { recordCredentials } from '../teachers/teacher-facts.service.js';
import { readXlsxRows } from '../../platform/excel.js';

// 职称 eligibility (issue 14 item 3) through the routes, on both databases. Hand-worked on the base date 2026-09-01
// under the platform default title rules (一级→高级: 任现职满 5 年, 2021—2025 年度考核均合格以上, 义务教育学段须交流轮岗,
// 乡村任教满 1 年) and the province plan's cycle-360 rule (002 §三（三）1: 5 年 360 学时; last completed cycle 2021—2025).

let aw: AccountsWorld;
const c: Record<string, string> = {};
const call = (who: string, method: 'GET' | 'POST', url: string, body?: unknown) => aw.call(c[who], method, url, body);
const BASE = '2026-09-01';
let seq = 0;

async function hours(teacherId: number, total: number) {
  // Spread over 2021–2025: 72 a year, the remainder in 2025.
  const per = Math.floor(total / 5);
  const entries = [2021, 2022, 2023, 2024, 2025].map((y, i) => ({
    teacherId,
    hours: i === 4 ? total - per * 4 : per,
    category: (i % 2 ? 'ethics' : 'subject') as 'ethics' | 'subject',
    occurredOn: `${y}-05-10`,
    sourceType: 'import' as const,
    description: `${y} 年度培训`,
    dedupeKey: `titles-test:${teacherId}:${y}:${++seq}`,
  }));
  await aw.t.db.tx((q) => recordLedgerEntries(q, entries));
}
async function appraisals(teacherId: number, orgId: number, grades: Record<number, string>) {
  for (const [year, grade] of Object.entries(grades))
    await aw.t.db.query(`INSERT INTO appraisal_results (teacher_id, org_id, year, grade, source) VALUES ($1,$2,$3,$4,'import')`, [
      teacherId,
      orgId,
      year,
      grade,
    ]);
}
async function rotation(teacherId: number, from: number, to: number, start: string, end: string | null, rural: boolean) {
  await aw.t.db.query(
    `INSERT INTO rotation_records (teacher_id, from_org_id, to_org_id, kind, start_date, end_date, rural) VALUES ($1,$2,$3,'supportTeaching',$4,$5,$6)`,
    [teacherId, from, to, start, end, rural],
  );
}
const ALL_PASSED = { 2021: 'qualified', 2022: 'excellent', 2023: 'qualified', 2024: 'qualified', 2025: 'qualified' };

/** A 一级教师 (since 2020-09-01) of school1 (primary) meeting every rule unless told otherwise. */
async function candidate(name: string, o: { org?: number; titleDate?: string; hours?: number; grades?: Record<number, string>; rotation?: boolean } = {}) {
  const org = o.org ?? aw.w.school1;
  const id = await aw.teacher(org, { name, hireDate: '2010-09-01', title: 'first', titleDate: o.titleDate ?? '2020-09-01' });
  await hours(id, o.hours ?? 360);
  await appraisals(id, org, o.grades ?? ALL_PASSED);
  // 支教 at a rural school for a year (2022-09-01 … 2023-08-31 = 365 days): rotation and rural service.
  if (o.rotation !== false) await rotation(id, org, aw.w.school2, '2022-09-01', '2023-08-31', true);
  return id;
}
const eligibility = async (who: string, id: number, date = BASE) => {
  const r = await call(who, 'GET', `/api/teachers/${id}/title-eligibility?date=${date}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { eligible: boolean; target: string; reasons: { code: string; message: string; cite: string | null }[]; lastCycle: { done: number }[] };
};

beforeAll(async () => {
  aw = await accountsWorld();
  const hash = await hashPassword(PASSWORD);
  await insertUser(aw.t.db, { username: 'county2.admin', passwordHash: hash, displayName: '乙县管理员', role: 'bureauAdmin', orgId: aw.w.county2 });
  await ensureSeedPolicies(aw.t.db);
  const p = await policiesRepo.findPolicyByKey(aw.t.db, 'province-strong-teacher');
  await policiesRepo.attach(aw.t.db, p!.id, aw.w.city, null);
  for (const u of ['county.admin', 'county2.admin', 'school.admin', 'teacher']) c[u] = await aw.login(u);
});
afterAll(async () => aw?.t.close());

describe('each reason separately', () => {
  it('a teacher meeting every rule: 可申报 一级→高级', async () => {
    const e = await eligibility('school.admin', await candidate('全部满足'));
    expect(e.target).toBe('senior');
    expect(e.reasons).toEqual([]);
    expect(e.eligible).toBe(true);
    expect(e.lastCycle[0].done).toBe(360);
  });

  it('years at title: 3 years of 5, reached on 2028-09-01', async () => {
    const e = await eligibility('school.admin', await candidate('任职不足', { titleDate: '2023-09-01' }));
    expect(e.reasons.map((r) => r.message)).toEqual(['现职称任职 3 年，需满 5 年，还差 2 年（2028-09-01 起）']);
  });

  it('hours: 336 of 360 in 2021—2025, 还差 24 学时, with the 002 citation', async () => {
    const e = await eligibility('school.admin', await candidate('学时不足', { hours: 336 }));
    expect(e.reasons).toHaveLength(1);
    expect(e.reasons[0].code).toBe('hours');
    expect(e.reasons[0].message).toContain('完成 336 学时，需 360 学时，还差 24 学时');
    expect(e.reasons[0].cite).toContain('5年360学时');
  });

  it('appraisal: 2024 不合格 and 2021 missing → 3 of 5 合格, one 不合格', async () => {
    const e = await eligibility(
      'school.admin',
      await candidate('考核不足', { grades: { 2022: 'qualified', 2023: 'excellent', 2024: 'unqualified', 2025: 'qualified' } }),
    );
    expect(e.reasons.map((r) => r.message)).toEqual([
      '年度考核：2024 年度不合格（2021—2025 年度须无不合格）',
      '年度考核：2021—2025 年度合格以上 3 次，需 5 次，还差 2 次（无考核结果：2021 年度）',
    ]);
  });

  it('rotation is required only in compulsory stages; rural service in every stage', async () => {
    const primary = await eligibility('school.admin', await candidate('无轮岗小学', { rotation: false }));
    expect(primary.reasons.map((r) => r.code)).toEqual(['rotation', 'rural']);
    expect(primary.reasons[0].cite).toContain('交流輪崗');
    expect(primary.reasons[1].message).toBe('乡村学校任教（含支教）0 年 0 天，需满 1 年，还差 365 天');
    const senior = await eligibility('county2.admin', await candidate('无轮岗高中', { org: aw.w.school3, rotation: false }));
    expect(senior.reasons.map((r) => r.code)).toEqual(['rural']);
  });

  it('师德 veto (警告, 处分期内) with the sanction', async () => {
    const id = await candidate('受处分者');
    await aw.t.db.tx((q) =>
      insertSanction(q, {
        teacherId: id,
        caseId: null,
        kind: 'warning',
        decidedOn: '2026-03-01',
        validFrom: '2026-03-01',
        validUntil: '2027-03-01',
        decisionNo: '甲教师德〔2026〕1号',
        reason: '有偿补课',
        decidedByOrgId: aw.w.county1,
        recordedBy: null,
      }),
    );
    const e = await eligibility('school.admin', id);
    expect(e.reasons.map((r) => r.code)).toEqual(['veto']);
    expect(e.reasons[0].message).toContain('师德一票否决：警告');
    // Before the sanction, no veto.
    expect((await eligibility('school.admin', id, '2026-02-01')).reasons.map((r) => r.code)).not.toContain('veto');
  });
});

describe('as of a date', () => {
  it('reads the title valid on the date: 二级 until 2025-08-31 (target 一级), 一级 from 2025-09-01 (target 高级, 1 year)', async () => {
    const id = await aw.teacher(aw.w.school1, { name: '晋升过', hireDate: '2010-09-01', title: 'second', titleDate: '2015-09-01' });
    await hours(id, 360);
    await appraisals(id, aw.w.school1, { 2020: 'qualified', ...ALL_PASSED });
    await aw.t.db.tx((q) => recordCredentials(q, null, id, { title: 'first', title_date: '2025-09-01' }, '2025-09-01'));
    const before = await eligibility('school.admin', id, '2025-06-30');
    expect(before.target).toBe('first');
    // 二级→一级: 4 years (2015-09-01 → 9 years), 2021—2024 appraisals passed, no rotation needed; the cycle before
    // 2021—2025 lies before the province plan's period (from 2022), so no completed cycle is judged yet.
    expect(before.reasons).toEqual([]);
    expect(before.eligible).toBe(true);
    const after = await eligibility('school.admin', id, BASE);
    expect(after.target).toBe('senior');
    expect(after.reasons.map((r) => r.message)).toContain('现职称任职 1 年，需满 5 年，还差 4 年（2030-09-01 起）');
  });

  it('a teacher reads their own; not another school; a school list filters 可申报 / 还差', async () => {
    const me = await call('teacher', 'GET', `/api/my/title-eligibility?date=${BASE}`);
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().reasons.length).toBeGreaterThan(0);
    const other = await candidate('乙县教师', { org: aw.w.school3 });
    expect((await call('school.admin', 'GET', `/api/teachers/${other}/title-eligibility`)).statusCode).toBe(404);
    const ok = await call('school.admin', 'GET', `/api/titles/eligibility?date=${BASE}&status=eligible&target=senior`);
    expect(ok.statusCode, ok.body).toBe(200);
    const names = (ok.json().items as { name: string }[]).map((x) => x.name);
    expect(names).toContain('全部满足');
    expect(names).not.toContain('学时不足');
    const short = (await call('school.admin', 'GET', `/api/titles/eligibility?date=${BASE}&status=short`)).json().items as { name: string }[];
    expect(short.map((x) => x.name)).toContain('学时不足');
    expect(short.map((x) => x.name)).not.toContain('全部满足');
    const bad = await call('school.admin', 'GET', '/api/titles/eligibility?status=maybe');
    expect(bad.statusCode).toBe(400);
  });
});

describe('学时证明 and the review round', () => {
  it('the 学时证明 is a PDF of the 2021—2025 cycle, audit-logged', async () => {
    const id = await candidate('证明人');
    const r = await call('school.admin', 'GET', `/api/teachers/${id}/hours-proof?date=${BASE}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.rawPayload.length).toBeGreaterThan(5000);
    const a = await aw.t.db.query<{ detail: { total: number; from: string; to: string } }>(
      `SELECT detail FROM audit_log WHERE action = 'titles.hoursProof' AND entity_id = $1`,
      [String(id)],
    );
    expect(a.rows[0].detail).toMatchObject({ total: 360, from: '2021-01-01', to: '2025-12-31' });
    const mine = await call('teacher', 'GET', '/api/my/hours-proof');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a bureau opens a round; a school puts forward (an ineligible one only with a reason); the export is masked and audited', async () => {
    const created = await call('county.admin', 'POST', '/api/titles/rounds', {
      name: '2026 年度甲区中小学教师职称评审',
      year: 2026,
      baseDate: BASE,
      deadline: '2099-12-31',
      targets: ['senior'],
    });
    expect(created.statusCode, created.body).toBe(200);
    const round = created.json().id as number;
    expect(
      (
        await call('school.admin', 'POST', '/api/titles/rounds', {
          name: '学校不能开',
          year: 2026,
          baseDate: BASE,
          deadline: '2099-12-31',
          targets: ['senior'],
        })
      ).statusCode,
    ).toBe(403);
    const good = await candidate('推荐甲');
    const short = await candidate('推荐乙', { hours: 300 });
    const refused = await call('school.admin', 'POST', `/api/titles/rounds/${round}/applicants`, { target: 'senior', teacherIds: [good, short] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('推荐乙截至基准日 2026-09-01 不符合申报条件');
    expect(refused.json().message).toContain('还差 60 学时');
    // Nothing half-written: the eligible one was not put forward either.
    expect((await aw.t.db.query('SELECT 1 FROM title_applicants WHERE round_id = $1', [round])).rows).toHaveLength(0);
    const ok = await call('school.admin', 'POST', `/api/titles/rounds/${round}/applicants`, {
      target: 'senior',
      teacherIds: [good, short],
      overrideReason: '省级教学成果奖一等奖，破格申报',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ count: 2, overridden: 1 });
    expect((await call('school.admin', 'POST', `/api/titles/rounds/${round}/applicants`, { target: 'senior', teacherIds: [good] })).statusCode).toBe(409);
    expect((await call('school.admin', 'POST', `/api/titles/rounds/${round}/applicants`, { target: 'first', teacherIds: [good] })).statusCode).toBe(400);
    expect((await call('county2.admin', 'GET', `/api/titles/rounds/${round}`)).statusCode).toBe(404);
    expect((await call('school.admin', 'GET', `/api/titles/rounds/${round}/export`)).statusCode).toBe(403);
    const x = await call('county.admin', 'GET', `/api/titles/rounds/${round}/export`);
    expect(x.statusCode, x.body).toBe(200);
    const rows = await readXlsxRows(x.rawPayload);
    const flat = JSON.stringify(rows);
    expect(flat).toContain('推荐甲');
    expect(flat).toContain('破格推荐');
    expect(flat).toContain('省级教学成果奖一等奖');
    expect(flat).not.toMatch(/\d{17}[\dX]/);
    expect((await aw.t.db.query(`SELECT 1 FROM audit_log WHERE action = 'titles.round.export' AND entity_id = $1`, [String(round)])).rows).toHaveLength(1);
  });
});
