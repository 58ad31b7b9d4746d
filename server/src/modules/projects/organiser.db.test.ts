/**
 * Fewer clicks for organisers (issue 11 item 3): steps the same org takes are combined, drafts can be
 * deleted, attendance is marked in bulk and exported, quotas are split by formula, nomination candidates
 * are filtered and every message names the teacher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { proposal } from '../../../../test/projects.js';
import { buildXlsx, readXlsxRows } from '../../platform/excel.js';
import { multipartFile } from '../../../../test/uploads.js';
import { insertOrg } from '../orgs/orgs.repository.js';
import { createPolicy } from '../policies/policies.service.js';
import { account, call, teacher } from './projects.fixtures.js';
import { todayInChina } from '../../platform/china-time.js';

let t: TestApp;
let w: World;
const c: Record<string, string> = {};
const year = todayInChina().slice(0, 4);

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) c[u] = await login(t.app, u, PASSWORD);
}, 120_000);
afterAll(async () => t?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const req = (who: string, method: Method, url: string, payload?: unknown) => call(t, c[who] ?? who, method, url, payload);

async function create(who: string, over: Record<string, unknown> = {}) {
  const r = await req(who, 'POST', '/api/projects', proposal(over));
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: number; status: string };
}
const history = async (who: string, id: number) =>
  (await req(who, 'GET', `/api/projects/${id}/history`)).json() as {
    action: string;
    actionLabel: string;
    from: string | null;
    to: string;
    detail: Record<string, unknown>;
  }[];
const statusOf = async (id: number) => (await t.db.query<{ status: string }>('SELECT status FROM projects WHERE id = $1', [id])).rows[0].status;
const audits = async (action: string, entityId: number, entity = action.startsWith('attendance') ? 'session' : 'project') =>
  (
    await t.db.query<{ detail: Record<string, unknown> }>('SELECT detail FROM audit_log WHERE action = $1 AND entity = $2 AND entity_id = $3 ORDER BY id', [
      action,
      entity,
      String(entityId),
    ])
  ).rows;

/** A county project opened by the county alone, in one combined action. */
async function openCountyProject(over: Record<string, unknown> = {}) {
  const p = await create('county.admin', over);
  const r = await req('county.admin', 'POST', `/api/projects/${p.id}/fast-track`);
  expect(r.statusCode, r.body).toBe(200);
  return p;
}

describe('提交并开放报名: steps the same org takes are one action', () => {
  it("a bureau's own project opens in two user actions (create, then one button), every step in the history", async () => {
    const p = await create('county.admin', { name: '甲区师德专题培训' }); // action 1
    const offer = (await req('county.admin', 'GET', `/api/projects/${p.id}/fast-track`)).json().offer;
    expect(offer).toMatchObject({ label: '提交并开放报名', steps: ['submit', 'approve', 'file', 'submitPlan', 'approvePlan'] });
    expect(offer.labels).toEqual(['提交立项申报', '审批通过', '备案', '提交方案审核', '方案审核通过']);

    const r = await req('county.admin', 'POST', `/api/projects/${p.id}/fast-track`); // action 2
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().project).toMatchObject({ status: 'open', pendingOrgId: null });
    expect(r.json().project.filingNo).toMatch(/^备\d{4}-T-C1-县-\d{4}$/);
    expect(r.json().steps.map((s: { label: string }) => s.label)).toEqual(['提交立项申报', '审批通过', '备案', '提交方案审核', '方案审核通过']);

    const h = await history('county.admin', p.id);
    expect(h.map((x) => [x.action, x.from, x.to])).toEqual([
      ['create', null, 'draft'],
      ['submit', 'draft', 'submitted'],
      ['approve', 'submitted', 'approved'],
      ['file', 'approved', 'filed'],
      ['submitPlan', 'filed', 'planReview'],
      ['approvePlan', 'planReview', 'open'],
    ]);
    expect(h.slice(1).map((x) => x.actionLabel)).toEqual([
      '提交立项申报（一并办理）',
      '审批通过（一并办理）',
      '备案（一并办理）',
      '提交方案审核（一并办理）',
      '方案审核通过（一并办理）',
    ]);
    expect(h.slice(1).every((x) => x.detail.combined === '一并办理')).toBe(true);
    // Nobody of the county is asked to approve, file or review what it has just done.
    const inbox = (await req('county.admin', 'GET', '/api/notifications')).json().items as { title: string }[];
    expect(inbox.filter((n) => n.title.includes('甲区师德专题培训'))).toEqual([]);
    expect((await req('county.admin', 'GET', `/api/projects/${p.id}/fast-track`)).json().offer).toBeNull();
  });

  it('a school proposal still needs the bureau; the bureau approves and files it in one action', async () => {
    const p = await create('school.admin', { name: '一小校本研修：作业设计', level: 'school', form: 'schoolBased' });
    expect((await req('school.admin', 'GET', `/api/projects/${p.id}/fast-track`)).json().offer).toBeNull();
    const refused = await req('school.admin', 'POST', `/api/projects/${p.id}/fast-track`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe('下一步需由其他单位办理，请使用相应的操作按钮');
    expect(await statusOf(p.id)).toBe('draft');
    expect((await history('school.admin', p.id)).map((x) => x.action)).toEqual(['create']);

    expect((await req('school.admin', 'POST', `/api/projects/${p.id}/actions/submit`, {})).statusCode).toBe(200);
    expect((await req('county.admin', 'GET', `/api/projects/${p.id}/fast-track`)).json().offer).toMatchObject({
      label: '审批通过并备案',
      steps: ['approve', 'file'],
    });
    const r = await req('county.admin', 'POST', `/api/projects/${p.id}/fast-track`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().project.status).toBe('filed');
    // The plan is the school's to submit: the county has nothing more to combine.
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/fast-track`)).statusCode).toBe(409);
    const h = await history('school.admin', p.id);
    expect(h.map((x) => x.actionLabel)).toEqual(['创建草稿', '提交立项申报', '审批通过（一并办理）', '备案（一并办理）']);
    // The school hears that its proposal was filed.
    const inbox = (await req('school.admin', 'GET', '/api/notifications')).json().items as { title: string }[];
    expect(inbox.some((n) => n.title.startsWith('「一小校本研修：作业设计」已备案'))).toBe(true);
  });

  it("a county's city-level project: the county's own approval is combined, the city still decides", async () => {
    const p = await create('county.admin', { name: '甲区申报的市级项目', level: 'city' });
    expect((await req('county.admin', 'GET', `/api/projects/${p.id}/fast-track`)).json().offer).toMatchObject({
      label: '提交并审批通过（报上级审批）',
      steps: ['submit', 'approveStep'],
    });
    const r = await req('county.admin', 'POST', `/api/projects/${p.id}/fast-track`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().project).toMatchObject({ status: 'submitted', pendingOrgName: '测试市教育局' });
    const inbox = (await req('city.admin', 'GET', '/api/notifications')).json().items as { title: string }[];
    expect(inbox.some((n) => n.title === '待审批：「甲区申报的市级项目」立项申报')).toBe(true);
  });
});

describe('删除草稿', () => {
  it('only a draft, only by its own org; it leaves the list, its history and the audit log stay', async () => {
    const p = await create('school.admin', { name: '待删除的校本草稿', level: 'school', form: 'schoolBased' });
    const detail = (await req('school.admin', 'GET', `/api/projects/${p.id}`)).json();
    expect(detail.allowedActions.map((a: { action: string }) => a.action)).toContain('discard');
    // The county manages the school's projects but does not own this proposal.
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/actions/discard`, {})).statusCode).toBe(403);
    const r = await req('school.admin', 'POST', `/api/projects/${p.id}/actions/discard`, {});
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().project.status).toBe('deleted');
    const list = (await req('school.admin', 'GET', '/api/projects?pageSize=200')).json().items as { id: number }[];
    expect(list.some((x) => x.id === p.id)).toBe(false);
    expect((await req('school.admin', 'GET', '/api/projects?status=deleted')).json().items.map((x: { id: number }) => x.id)).toContain(p.id);
    expect((await history('school.admin', p.id)).map((x) => [x.action, x.actionLabel, x.to])).toEqual([
      ['create', '创建草稿', 'draft'],
      ['discard', '删除草稿', 'deleted'],
    ]);
    expect(await audits('project.delete', p.id)).toEqual([{ detail: expect.objectContaining({ name: '待删除的校本草稿' }) }]);
    expect((await req('school.admin', 'PUT', `/api/projects/${p.id}`, proposal())).statusCode).toBe(409);

    const submitted = await create('school.admin', { name: '已提交的校本项目', level: 'school', form: 'schoolBased' });
    await req('school.admin', 'POST', `/api/projects/${submitted.id}/actions/submit`, {});
    const no = await req('school.admin', 'POST', `/api/projects/${submitted.id}/actions/discard`, {});
    expect(no.statusCode).toBe(409);
    expect(await statusOf(submitted.id)).toBe('submitted');
  });
});

describe('批量考勤 and 考勤导出', () => {
  let projectId: number;
  let sessionId: number;
  const tids: number[] = [];
  beforeAll(async () => {
    projectId = (await openCountyProject({ name: '批量考勤测试项目' })).id;
    const s = await req('county.admin', 'POST', `/api/projects/${projectId}/sessions`, {
      title: '开班第一讲',
      date: '2026-03-10',
      startTime: '09:00',
      endTime: '11:00',
      place: '报告厅',
      hours: 2,
      category: 'ethics',
    });
    expect(s.statusCode, s.body).toBe(201);
    sessionId = s.json().id;
    for (const name of ['批量甲', '批量乙', '批量丙']) tids.push(await teacher(t, w, w.school1, { name }));
    expect((await req('county.admin', 'POST', `/api/projects/${projectId}/enrolments`, { teacherIds: tids })).json().added).toBe(3);
  });

  it('marks the selected teachers 出勤, 请假 or 缺勤 in one action, audited', async () => {
    const present = await req('county.admin', 'PUT', `/api/sessions/${sessionId}/attendance`, { teacherIds: [tids[0], tids[1]], mark: 'present' });
    expect(present.statusCode, present.body).toBe(200);
    expect(present.json()).toMatchObject({ mark: 'present', markLabel: '出勤', count: 2, changed: 2 });
    const byId = (items: { teacherId: number; present: boolean; apology: string | null; method: string | null }[]) =>
      new Map(items.map((i) => [i.teacherId, i]));
    let rows = byId(present.json().items);
    expect([rows.get(tids[0])?.present, rows.get(tids[1])?.present, rows.get(tids[2])?.present]).toEqual([true, true, false]);
    expect(rows.get(tids[0])?.method).toBe('manual');

    const leave = await req('county.admin', 'PUT', `/api/sessions/${sessionId}/attendance`, {
      teacherIds: [tids[1], tids[2]],
      mark: 'leave',
      reason: '参加区教研活动',
    });
    expect(leave.statusCode, leave.body).toBe(200);
    rows = byId(leave.json().items);
    expect(rows.get(tids[1])).toMatchObject({ present: false, apology: '参加区教研活动' });
    expect(rows.get(tids[2])).toMatchObject({ present: false, apology: '参加区教研活动' });

    const absent = await req('county.admin', 'PUT', `/api/sessions/${sessionId}/attendance`, { teacherIds: [tids[2]], mark: 'absent' });
    rows = byId(absent.json().items);
    expect(rows.get(tids[2])).toMatchObject({ present: false, apology: null });

    const marks = (await audits('attendance.batch', sessionId)).map((a) => a.detail.mark);
    expect(marks).toEqual(['present', 'leave', 'absent']);
  });

  it('refuses the whole batch when a teacher is not enrolled, naming the teacher', async () => {
    const outsider = await teacher(t, w, w.school1, { name: '未报名者' });
    const r = await req('county.admin', 'PUT', `/api/sessions/${sessionId}/attendance`, { teacherIds: [tids[2], outsider], mark: 'present' });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe('未报名者（甲区第一小学）未报名该项目');
    expect(r.json().fields).toEqual([{ field: 'teacherIds.1', message: '未报名者（甲区第一小学）未报名该项目' }]);
    const list = (await req('county.admin', 'GET', `/api/sessions/${sessionId}/attendance`)).json().items as { teacherId: number; present: boolean }[];
    expect(list.find((x) => x.teacherId === tids[2])?.present).toBe(false);
    const bad = await req('county.admin', 'PUT', `/api/sessions/${sessionId}/attendance`, { teacherIds: [], mark: 'late' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['mark', 'teacherIds']);
  });

  it('exports attendance per session and per project (.xlsx, audited, phone only for roles that may see it)', async () => {
    const r = await req('county.admin', 'GET', `/api/sessions/${sessionId}/attendance.xlsx`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(r.headers['content-disposition']))).toContain('考勤_批量考勤测试项目_开班第一讲.xlsx');
    const rows = await readXlsxRows(r.rawPayload);
    expect(rows[0].cells).toEqual(['场次', '日期', '姓名', '学校', '手机号（已隐去部分）', '考勤状态', '签到时间', '签到方式', '签退时间', '请假原因']);
    const cell = (x: { cells: unknown[] }, i: number) => x.cells[i] ?? null;
    const body = rows.slice(1).map((x) => [2, 3, 5, 7, 9].map((i) => cell(x, i)));
    // Teachers of a school in name order (code point order on every server: 丙 乙 甲).
    expect(body.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual(
      [
        ['批量丙', '甲区第一小学', '缺勤', null, null],
        ['批量甲', '甲区第一小学', '出勤', '手工补录', null],
        ['批量乙', '甲区第一小学', '请假', null, '参加区教研活动'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const presentRow = rows.find((x) => x.cells[2] === '批量甲');
    const phone = presentRow?.cells[4];
    if (phone) expect(String(phone)).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(String(presentRow?.cells[6])).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(await audits('attendance.export', sessionId)).toEqual([{ detail: { projectId, rows: 3, phone: true } }]);

    const whole = await req('county.admin', 'GET', `/api/projects/${projectId}/attendance.xlsx`);
    expect(whole.statusCode).toBe(200);
    expect((await readXlsxRows(whole.rawPayload)).length).toBe(4);
    expect(await audits('attendance.export', projectId, 'project')).toHaveLength(1);
    // Outside the caller's subtree: not found.
    expect((await req('school.admin', 'GET', `/api/projects/${projectId}/attendance.xlsx`)).statusCode).toBe(404);
  });

  it('a role that may not see personal data exports no phone column', async () => {
    const centre = await insertOrg(t.db, { code: 'T-C1-DEV', name: '甲区教师发展中心', level: 'county', kind: 'devCenter', parentId: w.county1 });
    const dev = await account(t, 'devCenter', centre.id);
    const p = await t.db.query<{ id: number }>(
      `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status, capacity, budget, plan, created_by)
       VALUES ($1, 'T-DEV-1', '中心培训项目', 'county', 'inPerson', '{ethics}', 2, '2026-03-01', '2026-06-30', 'open', 50, 0,
               '[{"title":"师德专题","hours":2,"category":"ethics"}]', $2) RETURNING id`,
      [centre.id, dev.userId],
    );
    const s = await t.db.query<{ id: number }>(
      `INSERT INTO project_sessions (project_id, title, date, start_time, end_time, place, hours, category)
       VALUES ($1, '第一场', '2026-03-10', '09:00', '11:00', '报告厅', 2, 'ethics') RETURNING id`,
      [p.rows[0].id],
    );
    await t.db.query('INSERT INTO enrolments (project_id, teacher_id, enrolled_by) VALUES ($1, $2, $3)', [p.rows[0].id, tids[0], dev.userId]);
    const r = await call(t, dev.cookie, 'GET', `/api/sessions/${s.rows[0].id}/attendance.xlsx`);
    expect(r.statusCode, r.body).toBe(200);
    const rows = await readXlsxRows(r.rawPayload);
    expect(rows[0].cells).not.toContain('手机号（已隐去部分）');
    expect(rows[1].cells.slice(2, 5)).toEqual(['批量甲', '甲区第一小学', '缺勤']);
    expect(await audits('attendance.export', s.rows[0].id)).toEqual([{ detail: { projectId: p.rows[0].id, rows: 1, phone: false } }]);
  });
});

describe('按公式分配名额', () => {
  it('previews an even, per-teacher or per-need split of the units below, summing to the total', async () => {
    const p = await openCountyProject({ name: '名额公式测试项目' });
    for (let i = 0; i < 3; i++) await teacher(t, w, w.school2, { name: `二中教师${i}` });
    const count = async (orgId: number) =>
      (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM teachers WHERE org_id = $1 AND status = 'active'`, [orgId])).rows[0].n;
    const [n1, n2] = [await count(w.school1), await count(w.school2)];

    const even = await req('county.admin', 'GET', `/api/projects/${p.id}/quotas/split?method=even&total=9`);
    expect(even.statusCode, even.body).toBe(200);
    expect(even.json().items.map((x: { orgName: string; quota: number }) => [x.orgName, x.quota])).toEqual([
      ['甲区第一小学', 5],
      ['甲区第二中学', 4],
    ]);
    const byTeachers = (await req('county.admin', 'GET', `/api/projects/${p.id}/quotas/split?method=teachers&total=20`)).json();
    expect(byTeachers.items.map((x: { teachers: number }) => x.teachers)).toEqual([n1, n2]);
    expect(byTeachers.items.reduce((s: number, x: { quota: number }) => s + x.quota, 0)).toBe(20);
    expect(byTeachers.items[0].quota).toBe(Math.round((20 * n1) / (n1 + n2)));

    // The preview is saved through the ordinary quota route.
    const items = byTeachers.items.map((x: { orgId: number; quota: number }) => ({ orgId: x.orgId, quota: x.quota }));
    expect((await req('county.admin', 'PUT', `/api/projects/${p.id}/quotas`, { items })).statusCode).toBe(200);

    const bad = await req('county.admin', 'GET', `/api/projects/${p.id}/quotas/split?method=random&total=-1`);
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['method', 'total']);
  });
});

describe('导入名额表', () => {
  it('reads a 单位, 名额 sheet into quotas for the units below, naming the rows it cannot read; nothing is saved', async () => {
    const p = await openCountyProject({ name: '名额表导入测试项目' });
    const xlsx = await buildXlsx([
      {
        name: '名额',
        columns: [{ header: '单位' }, { header: '名额' }],
        rows: [
          ['甲区第一小学', 6],
          ['乙县第一中学', 2],
          ['甲区第二中学', '两个'],
        ],
      },
    ]);
    const m = multipartFile('名额表.xlsx', xlsx);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${p.id}/quotas/sheet`,
      payload: m.payload,
      headers: { ...m.headers, cookie: c['county.admin'] },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({
      items: [{ orgId: w.school1, quota: 6 }],
      problems: ['第 3 行：找不到单位「乙县第一中学」', '第 4 行：「甲区第二中学」的名额「两个」不是非负整数'],
      rows: 4,
    });
    expect((await req('county.admin', 'GET', `/api/projects/${p.id}/quotas`)).json().allocated).toBe(0);
    const none = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${p.id}/quotas/sheet`,
      payload: m.payload,
      headers: { ...m.headers, cookie: c['school.admin'] },
    });
    expect(none.statusCode).toBe(404);
  });
});

describe('学员选派: filters, reasons and names', () => {
  it('filters candidates by school, stage, subject and "still needs this training", showing why others cannot be chosen', async () => {
    // One rule that this project's 师德 hours count towards: 6 学时 of 师德 every year.
    await createPolicy(
      t.ctx,
      w.cityAdmin,
      `policy: organiser-needs-test
version: 1
title: 选派测试政策
source: { file: test.txt }
appliesTo: {}
period: { from: 2020-01-01, to: 2035-12-31 }
rules:
  - id: yearly-ethics
    kind: hours
    title: 每年师德培训 6 学时
    who: { all: true }
    categories: [ethics]
    atLeast: 6
    window: { every: year }
    cite: { section: 一, text: 每年师德培训不少于6学时 }
`,
      null,
    );
    const p = await openCountyProject({ name: '选派筛选测试项目', audience: { stages: ['primary'], subjects: ['语文'], roles: [], titles: [] } });
    expect((await req('county.admin', 'PUT', `/api/projects/${p.id}/quotas`, { items: [{ orgId: w.school1, quota: 5 }] })).statusCode).toBe(200);
    const done = await teacher(t, w, w.school1, { name: '已达标语文', subjects: ['语文'] });
    const short = await teacher(t, w, w.school1, { name: '未达标语文', subjects: ['语文'] });
    const maths = await teacher(t, w, w.school1, { name: '数学教师', subjects: ['数学'] });
    await t.db.query(
      `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description, dedupe_key)
       VALUES ($1, 6, 'ethics', $2, 'import', '测试', 'organiser:done')`,
      [done, `${year}-01-15`],
    );
    const list = async (query: string) => {
      const r = await req('school.admin', 'GET', `/api/projects/${p.id}/nomination/candidates${query}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json().items as { teacherId: number; name: string; unavailable: string | null }[];
    };
    const ids = (xs: { teacherId: number }[]) => xs.map((x) => x.teacherId);

    const yuwen = await list('?subject=语文');
    expect(ids(yuwen)).toEqual(expect.arrayContaining([done, short]));
    expect(ids(yuwen)).not.toContain(maths);
    const needing = ids(await list('?subject=语文&needsTraining=1'));
    expect(needing).toContain(short);
    expect(needing).not.toContain(done);
    expect(ids(await list(`?orgId=${w.school2}`))).toEqual([]);
    expect(ids(await list('?stage=junior'))).toEqual([]);

    const all = await list('');
    expect(all.find((x) => x.teacherId === maths)?.unavailable).toBe('不符合报名条件（任教学科）：本项目面向语文教师，该教师任教数学');
    expect(all.find((x) => x.teacherId === short)?.unavailable).toBeNull();
    const nominated = await req('school.admin', 'POST', `/api/projects/${p.id}/nominations`, { teacherIds: [short] });
    expect(nominated.statusCode, nominated.body).toBe(200);
    expect((await list('')).find((x) => x.teacherId === short)?.unavailable).toBe('已报名');

    const again = await req('school.admin', 'POST', `/api/projects/${p.id}/nominations`, { teacherIds: [short, maths] });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe(
      '未达标语文（甲区第一小学）已报名该项目；数学教师（甲区第一小学）不符合报名条件（任教学科）：本项目面向语文教师，该教师任教数学',
    );
    expect(again.json().message).not.toMatch(/#\d/);
    const bad = await req('school.admin', 'GET', `/api/projects/${p.id}/nomination/candidates?stage=college&needsTraining=maybe`);
    expect(bad.statusCode).toBe(400);
  });
});
