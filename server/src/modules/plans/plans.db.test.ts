import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../../../../test/factories.js';
import { multipartFile } from '../../../../test/uploads.js';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';
import { hashPassword } from '../../platform/auth.js';
import { todayInChina } from '../../platform/china-time.js';
import type { CurrentUser } from '../../platform/access.js';
import { insertUser } from '../users/users.repository.js';
import { insertOrg } from '../orgs/orgs.repository.js';
import { createPolicy } from '../policies/policies.service.js';
import { filePlan, uploadDocument } from './plans.service.js';
import { remindPlans } from './plans.reminders.js';
import type { FileBody } from './plans.schema.js';

// 计划报备与年度考核 (issue 14 item 5) on both databases: filing before and after the deadline (004: 5 月 31 日前, as
// China dates), return → resubmit → accept with every version kept, the missing and late lists, reminders, to-dos,
// and the 年度考核 score worked by hand.

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/**
 * The county's plan for 2025 (attached to 甲区): one hours rule (每年学科培训 10 学时) and the plan cycle with the
 * seed's deadline and weights 40 / 30 / 30 (学时达标 / 项目实施 / 教育局评议).
 */
const POLICY = `policy: plan-cycle-test
version: 1
title: 计划报备测试政策
source: { file: test.txt }
appliesTo: {}
period: { from: 2025-01-01, to: 2025-12-31 }
rules:
  - id: annual-subject
    kind: hours
    title: 每年学科培训 10 学时
    who: { all: true }
    categories: [subject]
    atLeast: 10
    window: { every: year }
    cite: { section: 一, text: 每年学科培训不少于10学时 }
planCycle:
  deadline: '05-31'
  reminderDays: [14, 7, 1]
  components:
    - { code: hours, label: 教师学时达标, source: compliance, weight: 40 }
    - { code: projects, label: 计划培训项目实施, source: projects, weight: 30 }
    - { code: funds, label: 培训经费执行, source: funds, weight: 10 }
    - { code: judgement, label: 计划执行与管理, source: bureau, weight: 30 }
`;

let aw: AccountsWorld;
const c: Record<string, string> = {};
const call = (who: string, method: 'GET' | 'POST', url: string, body?: unknown) => aw.call(c[who], method, url, body);
let school9 = 0;
let school8 = 0;
let projectRun = 0;
let schoolAdmin: CurrentUser;
let school2Admin: CurrentUser;

/** Instants around the 2025 deadline: 23:59 and 00:00 in China are 15:59 and 16:00 UTC. */
const LAST_MINUTE = new Date('2025-05-31T15:59:00Z');
const FIRST_MINUTE_LATE = new Date('2025-05-31T16:00:00Z');

async function fileAs(user: CurrentUser, body: Partial<FileBody>, now: Date) {
  const doc = await uploadDocument(aw.t.ctx, user, PDF, '年度计划.pdf');
  return filePlan(aw.t.ctx, user, { year: 2025, planFileId: doc.fileId, trainingFileId: null, note: null, items: [], ...body }, now);
}

const unitRow = (list: { units: { orgId: number }[] }, orgId: number) => list.units.find((u) => u.orgId === orgId) as Record<string, unknown>;

beforeAll(async () => {
  aw = await accountsWorld();
  const hash = await hashPassword(PASSWORD);
  aw.ids['school2.admin'] = await insertUser(aw.t.db, {
    username: 'school2.admin',
    passwordHash: hash,
    displayName: '二中管理员',
    role: 'schoolAdmin',
    orgId: aw.w.school2,
  });
  school9 = (await insertOrg(aw.t.db, { code: 'T-S9', name: '甲区第九小学', level: 'school', kind: 'school', stage: 'primary', parentId: aw.w.county1 })).id;
  school8 = (await insertOrg(aw.t.db, { code: 'T-S8', name: '甲区第八小学', level: 'school', kind: 'school', stage: 'primary', parentId: aw.w.county1 })).id;
  aw.ids['school9.admin'] = await insertUser(aw.t.db, {
    username: 'school9.admin',
    passwordHash: hash,
    displayName: '九小管理员',
    role: 'schoolAdmin',
    orgId: school9,
  });
  const policyId = (await createPolicy(aw.t.ctx, aw.w.cityAdmin, POLICY, null)).id;
  await aw.t.db.query('INSERT INTO policy_attachments (policy_id, org_id) VALUES ($1, $2)', [policyId, aw.w.county1]);
  for (const u of ['county.admin', 'school.admin', 'school2.admin', 'school9.admin', 'city.admin']) c[u] = await aw.login(u);
  schoolAdmin = await aw.asUser('school.admin');
  school2Admin = await aw.asUser('school2.admin');
  // 九小: four teachers on the 2025 roster, three of them with 10 学时 of 学科 in 2025 (3 / 4 = 75 % meet the rule).
  for (const [i, h] of [10, 12, 10, 4].entries()) {
    const id = await aw.teacher(school9, { name: `九小教师${i + 1}`, hireDate: '2015-09-01' });
    await aw.t.db.query(
      `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description, dedupe_key) VALUES ($1,$2,'subject','2025-04-10','import','测试',$3)`,
      [id, h, `plans:${i}`],
    );
  }
  // A project of 九小 that ran in 2025 (a session on 2025-04-10) and one planned but never held.
  projectRun = (
    await aw.t.db.query<{ id: number }>(
      `INSERT INTO projects (org_id, code, name, level, form, target_hours) VALUES ($1, 'PLAN-RUN', '九小青年教师课堂教学能力提升', 'school', 'schoolBased', 10) RETURNING id`,
      [school9],
    )
  ).rows[0].id;
  await aw.t.db.query(
    `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category) VALUES ($1, '第一讲', '2025-04-10', '14:00', '17:00', '会议室', 3, 'subject')`,
    [projectRun],
  );
});

afterAll(async () => {
  await aw?.t.close();
});

describe('计划报备: deadline, late list, missing list', () => {
  it('reminds units without a plan 14, 7 and 1 days before 5-31, once each, and not after the deadline', async () => {
    const notes = async () =>
      Number(
        (
          await aw.t.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'school.admin' AND n.dedupe_key LIKE 'plan:%'`,
          )
        ).rows[0].n,
      );
    expect(await notes()).toBe(0);
    expect((await remindPlans(aw.t.ctx, '2025-05-10')).due).toBe(0); // 21 days left: not yet
    const first = await remindPlans(aw.t.ctx, '2025-05-17'); // 14 days left
    expect(first.due).toBeGreaterThanOrEqual(5); // both counties' bureaus and the schools of 甲区 and 乙县
    expect(await notes()).toBe(1);
    expect((await remindPlans(aw.t.ctx, '2025-05-17')).sent).toBe(0); // idempotent
    await remindPlans(aw.t.ctx, '2025-05-20'); // 11 days left: still the 14-day reminder, not sent again
    expect(await notes()).toBe(1);
    await remindPlans(aw.t.ctx, '2025-05-24'); // 7 days left
    await remindPlans(aw.t.ctx, '2025-05-31'); // the last day: the 1-day reminder
    await remindPlans(aw.t.ctx, '2025-06-01'); // past the deadline: no reminder
    expect(await notes()).toBe(3);
  });

  it('a plan filed at 23:59 on 5-31 China time is on time; at 00:00 on 6-01 China time (16:00 UTC on 5-31) it is late', async () => {
    const onTime = await fileAs(schoolAdmin, { items: [{ kind: 'budget', title: '外出培训', category: '培训费', amount: 20000 }] }, LAST_MINUTE);
    expect(onTime.version).toBe(1);
    await fileAs(school2Admin, {}, FIRST_MINUTE_LATE);
    const list = (await call('county.admin', 'GET', '/api/plans/review?year=2025')).json();
    expect(list.deadline).toBe('2025-05-31');
    expect(unitRow(list, aw.w.school1)).toMatchObject({ status: 'submitted', statusLabel: '待审核', firstOn: '2025-05-31', late: false });
    expect(unitRow(list, aw.w.school2)).toMatchObject({ status: 'submitted', firstOn: '2025-06-01', late: true });
    // Not filed, and the deadline has passed: missing and overdue.
    expect(unitRow(list, school8)).toMatchObject({ status: 'missing', statusLabel: '未报送', late: false, overdue: true });
    expect(list.counts).toMatchObject({ late: 1, submitted: 2 });
    // 乙县's school files with 乙县, not 甲区; the city sees the two county bureaus (not their schools).
    expect(unitRow(list, aw.w.school3)).toBeUndefined();
    const city = (await call('city.admin', 'GET', '/api/plans/review?year=2025')).json();
    expect(city.units.map((u: { orgId: number }) => u.orgId).sort()).toEqual([aw.w.county1, aw.w.county2].sort());
    // The bureau's to-do counts the plans waiting for it.
    const todo = (await call('county.admin', 'GET', '/api/todo')).json();
    expect(todo.items.find((i: { kind: string }) => i.kind === 'planReviews').count).toBe(2);
  });

  it('refuses a second filing while one waits, a return without a reason, and a file of another unit', async () => {
    const again = await fileAs(schoolAdmin, {}, LAST_MINUTE).catch((e: Error) => e);
    expect((again as Error).message).toBe('本年度计划已报送，正在审核中，不能重复报送');
    const v1 = unitRow((await call('county.admin', 'GET', '/api/plans/review?year=2025')).json(), aw.w.school1).latestId;
    const noReason = await call('county.admin', 'POST', `/api/plans/filings/${v1}/decide`, { decision: 'returned' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toContain('退回时请填写退回原因');
    const otherDoc = await uploadDocument(aw.t.ctx, school2Admin, PDF, '二中计划.pdf');
    const r = await call('school9.admin', 'POST', '/api/plans', { year: 2025, planFileId: otherDoc.fileId });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe('请先上传年度计划文件');
    // A school cannot review; another county cannot see the plan.
    expect((await call('school.admin', 'POST', `/api/plans/filings/${v1}/decide`, { decision: 'accepted' })).statusCode).toBe(403);
  });
});

describe('计划报备: return → resubmit → accept', () => {
  it('the school sees the reason and a notification; the new version keeps the old one; the first filing decides lateness', async () => {
    const v1 = unitRow((await call('county.admin', 'GET', '/api/plans/review?year=2025')).json(), aw.w.school1).latestId as number;
    const back = await call('county.admin', 'POST', `/api/plans/filings/${v1}/decide`, { decision: 'returned', reason: '经费预算未列专家费，请补充' });
    expect(back.statusCode, back.body).toBe(200);
    const mine = (await call('school.admin', 'GET', '/api/plans/mine?year=2025')).json();
    expect(mine).toMatchObject({ status: 'returned', statusLabel: '已退回', canFile: true, late: false });
    expect(mine.versions[0]).toMatchObject({ version: 1, decision: 'returned', reason: '经费预算未列专家费，请补充' });
    const inbox = (await call('school.admin', 'GET', '/api/notifications')).json();
    expect(JSON.stringify(inbox)).toContain('退回原因：经费预算未列专家费，请补充');
    // Filed again after the deadline: version 2, still not late (the first filing was on time).
    const v2 = await fileAs(
      schoolAdmin,
      {
        items: [
          { kind: 'budget', title: '外出培训', category: '培训费', amount: 20000 },
          { kind: 'budget', title: '专家讲座', category: '专家费', amount: 6000 },
        ],
      },
      new Date('2025-06-10T02:00:00Z'),
    );
    expect(v2.version).toBe(2);
    expect((await call('county.admin', 'POST', `/api/plans/filings/${v1}/decide`, { decision: 'accepted' })).statusCode).toBe(409);
    expect((await call('county.admin', 'POST', `/api/plans/filings/${v2.id}/decide`, { decision: 'accepted' })).statusCode).toBe(200);
    const after = (await call('school.admin', 'GET', '/api/plans/mine?year=2025')).json();
    expect(after.status).toBe('accepted');
    expect(after.versions.map((v: { version: number; decision: string; items: unknown[] }) => [v.version, v.decision, v.items.length])).toEqual([
      [2, 'accepted', 2],
      [1, 'returned', 1],
    ]);
    const row = unitRow((await call('county.admin', 'GET', '/api/plans/review?year=2025')).json(), aw.w.school1);
    expect(row).toMatchObject({ status: 'accepted', version: 2, firstOn: '2025-05-31', latestOn: '2025-06-10', late: false });
    const done = await fileAs(schoolAdmin, {}, new Date('2025-06-11T02:00:00Z')).catch((e: Error) => e);
    expect((done as Error).message).toBe('本年度计划已通过审核，不能再报送');
  });

  it('a returned plan of this year is on the school’s to-do until it is filed again (through the routes)', async () => {
    const year = Number(todayInChina().slice(0, 4));
    const m = multipartFile('本年度计划.pdf', PDF);
    const up = await aw.t.app.inject({ method: 'POST', url: '/api/plans/files', payload: m.payload, headers: { ...m.headers, cookie: c['school.admin'] } });
    expect(up.statusCode, up.body).toBe(201);
    const filed = await call('school.admin', 'POST', '/api/plans', {
      year,
      planFileId: up.json().fileId,
      items: [{ kind: 'hoursTarget', title: '全员达标', targetPercent: 95 }],
    });
    expect(filed.statusCode, filed.body).toBe(201);
    // The document opens for the school and for its bureau, not for a sibling school.
    expect((await call('school.admin', 'GET', `/api/plans/files/${up.json().fileId}`)).statusCode).toBe(200);
    expect((await call('county.admin', 'GET', `/api/plans/files/${up.json().fileId}`)).statusCode).toBe(200);
    expect((await call('school2.admin', 'GET', `/api/plans/files/${up.json().fileId}`)).statusCode).toBe(404);
    await call('county.admin', 'POST', `/api/plans/filings/${filed.json().id}/decide`, { decision: 'returned', reason: '请补充培训项目' });
    const todo = async () => (await call('school.admin', 'GET', '/api/todo')).json().items.find((i: { kind: string }) => i.kind === 'planFiling').count;
    expect(await todo()).toBe(1);
    const m2 = multipartFile('本年度计划（修改）.pdf', PDF);
    const up2 = await aw.t.app.inject({ method: 'POST', url: '/api/plans/files', payload: m2.payload, headers: { ...m2.headers, cookie: c['school.admin'] } });
    expect((await call('school.admin', 'POST', '/api/plans', { year, planFileId: up2.json().fileId })).statusCode).toBe(201);
    expect(await todo()).toBe(0);
  });
});

describe('年度考核 of plan completion', () => {
  it('scores 九小’s 2025 by hand: 学时 75 % of a 90 % target, 1 of 2 projects run, the bureau’s 80', async () => {
    const school9Admin = await aw.asUser('school9.admin');
    const v = await fileAs(
      school9Admin,
      {
        items: [
          { kind: 'project', title: '青年教师课堂教学能力提升', projectId: projectRun },
          { kind: 'project', title: '班主任专题培训', projectId: null },
          { kind: 'hoursTarget', title: '教师年度学时达标', targetPercent: 90 },
        ],
      },
      new Date('2025-05-20T02:00:00Z'),
    );
    expect((await call('county.admin', 'POST', `/api/plans/filings/${v.id}/decide`, { decision: 'accepted' })).statusCode).toBe(200);
    const page = (await call('county.admin', 'GET', `/api/plans/annual-review?orgId=${school9}&year=2025`)).json();
    expect(page.asOf).toBe('2025-12-31');
    const byCode = Object.fromEntries(page.components.map((x: { code: string }) => [x.code, x]));
    // 3 / 4 teachers = 75 %; against the 90 % target 75 ÷ 90 = 83.3.
    expect(byCode.hours).toMatchObject({ score: 83.3, weight: 40 });
    expect(byCode.hours.detail).toContain('3 / 4 名教师');
    expect(byCode.projects).toMatchObject({ score: 50, weight: 30 });
    expect(byCode.judgement).toMatchObject({ score: null, source: 'bureau' });
    // No 经费预算 line in this plan: 经费执行 is left out (its weight too).
    expect(byCode.funds).toMatchObject({ score: null, weight: 10, detail: '计划未列经费预算，不计此项' });
    // Without the bureau's score the review is refused.
    const missing = await call('county.admin', 'POST', '/api/plans/annual-review', { orgId: school9, year: 2025, components: [] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toBe('请为「计划执行与管理」评分');
    // (40 × 83.3 + 30 × 50 + 30 × 80) ÷ 100 = 72.32 → 72.3
    const first = await call('county.admin', 'POST', '/api/plans/annual-review', {
      orgId: school9,
      year: 2025,
      components: [{ code: 'judgement', bureauScore: 80, comment: '计划执行较好' }],
      comment: '良好',
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().total).toBe(72.3);
    // Re-scored with the bureau's own 90 for 学时 (its judgement counts): (40 × 90 + 1500 + 2400) ÷ 100 = 75.0; the first is superseded.
    const second = await call('county.admin', 'POST', '/api/plans/annual-review', {
      orgId: school9,
      year: 2025,
      components: [
        { code: 'hours', bureauScore: 90, comment: '含外出研修未录入平台的学时' },
        { code: 'judgement', bureauScore: 80 },
      ],
    });
    expect(second.json().total).toBe(75);
    const history = (await call('county.admin', 'GET', `/api/plans/annual-review?orgId=${school9}&year=2025`)).json().history;
    expect(history.map((h: { total: number; supersededAt: string | null }) => [h.total, h.supersededAt === null])).toEqual([
      [75, true],
      [72.3, false],
    ]);
    const stored = (await aw.t.db.query<{ superseded_by: number | null }>('SELECT superseded_by FROM plan_reviews WHERE org_id = $1 ORDER BY id', [school9]))
      .rows;
    expect(stored[0].superseded_by).toBe(second.json().id);
    expect(unitRow((await call('county.admin', 'GET', '/api/plans/review?year=2025')).json(), school9).reviewTotal).toBe(75);
    // A school is not a reviewer; the county cannot review a unit outside its subtree.
    expect((await call('school.admin', 'GET', `/api/plans/annual-review?orgId=${school9}&year=2025`)).statusCode).toBe(403);
    expect((await call('county.admin', 'GET', `/api/plans/annual-review?orgId=${aw.w.school3}&year=2025`)).statusCode).toBe(404);
  });

  it('经费执行 from the funds records: 一小’s 2025 budget 26,000 yuan, 15,600 spent after a 冲销 → 60', async () => {
    const review = async () =>
      Object.fromEntries(
        (await call('county.admin', 'GET', `/api/plans/annual-review?orgId=${aw.w.school1}&year=2025`))
          .json()
          .components.map((x: { code: string }) => [x.code, x]),
      );
    // The accepted plan (version 2 above) budgets 20,000 + 6,000; no funds record of 一小 in 2025 yet.
    expect((await review()).funds).toMatchObject({ score: null, detail: '平台没有该单位 2025 年的经费记录，不计此项（计划预算 26,000 元）' });
    const entry = async (fen: number, reverses: number | null = null) =>
      (
        await aw.t.db.query<{ id: number }>(
          `INSERT INTO fund_entries (org_id, entry_date, project_id, category, amount_fen, reverses, reason) VALUES ($1, '2025-06-01', $2, 'training', $3, $4, $5) RETURNING id`,
          [aw.w.school1, projectRun, fen, reverses, reverses ? '重复录入' : null],
        )
      ).rows[0].id;
    await entry(1_560_000);
    await entry(-200_000, await entry(200_000));
    // 15,600 ÷ 26,000 = 60 %.
    expect((await review()).funds).toMatchObject({ score: 60, weight: 10, detail: '计划预算 26,000 元，已支出 15,600 元' });
  });
});
