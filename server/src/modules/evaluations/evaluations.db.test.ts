import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { multipartFile } from '../../../../test/uploads.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { AppError } from '../../platform/errors.js';
import { insertOrg } from '../orgs/orgs.repository.js';
import { attend, makeParticipant, makeProject, type Participant } from './evaluations.fixtures.js';
import { assertInstitutionActive } from './institutions.service.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};
let inst2: number;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  inst2 = (await insertOrg(t.db, { code: 'T-INST2', name: '测试市第二培训中心', level: 'city', kind: 'institution', parentId: w.city })).id;
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) cookies[u] = await login(t.app, u, PASSWORD);
});
afterAll(async () => t?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const req = (who: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[who] ?? who } });

const inspection = (over: Record<string, unknown> = {}) => ({
  inspectedOn: '2025-04-10',
  inspectors: '市督导室 李督学',
  findings: '培训组织有序，签到规范，课程与方案一致。',
  score: 88,
  issues: ['部分学员迟到'],
  ...over,
});

const pool: Participant[] = [];
/** Answer the project's survey by n attendees, each rating every question r. */
async function surveyAnswers(projectId: number, project: { id: number; sessionIds: number[] }, n: number, r: number, who = 'institution') {
  while (pool.length < n) pool.push(await makeParticipant(t, w));
  const people = pool.splice(0, n);
  await attend(
    t,
    project,
    people.map((p) => p.teacherId),
  );
  const s = await req(who, 'POST', `/api/projects/${projectId}/survey`, {});
  expect(s.statusCode).toBe(201);
  for (const p of people) {
    const a = await req(p.cookie, 'POST', `/api/surveys/${s.json().id}/answers`, { ratings: { q1: r, q2: r, q3: r, q4: r } });
    expect(a.statusCode).toBe(201);
  }
}

async function expertScore(projectId: number, total: number) {
  const e = await req('city.admin', 'POST', '/api/experts', { name: '评审专家', affiliation: '师范大学', fields: ['综合'], level: 'city' });
  await req('city.admin', 'POST', `/api/projects/${projectId}/experts`, { expertIds: [e.json().id] });
  const s = await req('city.admin', 'PUT', `/api/projects/${projectId}/experts/${e.json().id}/score`, {
    criteria: { design: total, faculty: total, delivery: total, effect: total },
  });
  expect(s.statusCode).toBe(200);
}

describe('inspections', () => {
  it('records an inspection by a bureau admin of the region, with validation and scope', async () => {
    const p = await makeProject(t, w.institution);
    const r = await req('city.admin', 'POST', `/api/projects/${p.id}/inspections`, inspection());
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ inspectedOn: '2025-04-10', score: 88, issues: ['部分学员迟到'], recordedBy: '市局管理员', files: [] });
    const future = await req('city.admin', 'POST', `/api/projects/${p.id}/inspections`, inspection({ inspectedOn: '2999-01-01' }));
    expect(future.statusCode).toBe(400);
    expect(future.json().fields[0].field).toBe('inspectedOn');
    const over = await req('city.admin', 'POST', `/api/projects/${p.id}/inspections`, inspection({ score: 120 }));
    expect(over.statusCode).toBe(400);
    expect(over.json().fields[0].field).toBe('score');
    expect((await req('institution', 'POST', `/api/projects/${p.id}/inspections`, inspection())).statusCode).toBe(403);
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/inspections`, inspection())).statusCode).toBe(404);
    // The institution sees the inspections of its own project.
    expect((await req('institution', 'GET', `/api/projects/${p.id}/inspections`)).json()).toHaveLength(1);
  });

  it('takes PDF/image attachments checked by content, downloadable only within scope', async () => {
    const p = await makeProject(t, w.institution);
    const i = (await req('city.admin', 'POST', `/api/projects/${p.id}/inspections`, inspection())).json();
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 0x20)]);
    const up = multipartFile('督导报告.pdf', pdf);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/inspections/${i.id}/files`,
      payload: up.payload,
      headers: { ...up.headers, cookie: cookies['city.admin'] },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ name: '督导报告.pdf', mime: 'application/pdf' });
    const fake = multipartFile('report.pdf', Buffer.from('MZ this is really an exe'));
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/inspections/${i.id}/files`,
      payload: fake.payload,
      headers: { ...fake.headers, cookie: cookies['city.admin'] },
    });
    expect(bad.statusCode).toBe(415);

    const url = `/api/inspections/${i.id}/files/${r.json().id}`;
    const dl = await req('institution', 'GET', url);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await req('county.admin', 'GET', url)).statusCode).toBe(404);
    // The right file through the wrong inspection is not found either.
    const other = (await req('city.admin', 'POST', `/api/projects/${p.id}/inspections`, inspection())).json();
    expect((await req('city.admin', 'GET', `/api/inspections/${other.id}/files/${r.json().id}`)).statusCode).toBe(404);
    expect((await req('city.admin', 'GET', `/api/projects/${p.id}/inspections`)).json().find((x: { id: number }) => x.id === i.id).files).toHaveLength(1);
  });
});

describe('combined project score', () => {
  it('weights participants 40 %, experts 30 %, inspection 30 %', async () => {
    const p = await makeProject(t, w.institution);
    await surveyAnswers(p.id, p, 5, 4); // 4.0 → 80
    await expertScore(p.id, 90);
    await req('city.admin', 'POST', `/api/projects/${p.id}/inspections`, inspection({ score: 70 }));
    const e = (await req('city.admin', 'GET', `/api/projects/${p.id}/evaluation`)).json();
    expect(e.participants).toEqual({ answers: 5, threshold: 5, score: 80 });
    expect(e.combined).toMatchObject({ score: 80, renormalised: false }); // 32 + 27 + 21
  });

  it('renormalises over the parts present and says so; a survey under 5 answers counts as missing', async () => {
    const p = await makeProject(t, w.institution);
    await surveyAnswers(p.id, p, 3, 5);
    await expertScore(p.id, 90);
    await req('city.admin', 'POST', `/api/projects/${p.id}/inspections`, inspection({ score: 80 }));
    await req('city.admin', 'POST', `/api/projects/${p.id}/inspections`, inspection({ score: 60 }));
    const e = (await req('institution', 'GET', `/api/projects/${p.id}/evaluation`)).json();
    expect(e.participants.score).toBeNull();
    expect(e.inspection).toEqual({ count: 2, average: 70 });
    // (90·0.3 + 70·0.3) / 0.6 = 80
    expect(e.combined.score).toBe(80);
    expect(e.combined.renormalised).toBe(true);
    expect(e.combined.note).toContain('缺少学员匿名评价');
    expect(e.combined.parts.map((x: { effectiveWeight: number }) => x.effectiveWeight)).toEqual([0, 0.5, 0.5]);

    const none = await makeProject(t, w.institution);
    expect((await req('city.admin', 'GET', `/api/projects/${none.id}/evaluation`)).json().combined).toMatchObject({ score: null });
    expect((await req('county.admin', 'GET', `/api/projects/${none.id}/evaluation`)).statusCode).toBe(404);
    expect((await req('teacher', 'GET', `/api/projects/${none.id}/evaluation`)).statusCode).toBe(403);
  });
});

describe('institution scorecard and qualification status', () => {
  it('ranks institutions by average project score, with satisfaction, attendance and a yearly trend', async () => {
    const instA = (await insertOrg(t.db, { code: 'T-INST-A', name: '甲培训学校', level: 'city', kind: 'institution', parentId: w.city })).id;
    const a1 = await makeProject(t, instA, { startDate: '2025-03-01' });
    await surveyAnswers(a1.id, a1, 5, 4, 'city.admin'); // 80
    await expertScore(a1.id, 90);
    await req('city.admin', 'POST', `/api/projects/${a1.id}/inspections`, inspection({ score: 70 })); // → 80
    const a2 = await makeProject(t, instA, { startDate: '2025-09-01' });
    await expertScore(a2.id, 60); // → 60
    const a3 = await makeProject(t, instA, { startDate: '2024-05-01' });
    await req('city.admin', 'POST', `/api/projects/${a3.id}/inspections`, inspection({ score: 50 })); // → 50
    // The second institution: one excellent project, and one still being proposed (not counted).
    const good = await makeProject(t, inst2, { startDate: '2025-06-01' });
    await req('city.admin', 'POST', `/api/projects/${good.id}/inspections`, inspection({ score: 95 }));
    await makeProject(t, inst2, { status: 'draft' });

    const sc = await req('city.admin', 'GET', '/api/evaluations/institutions');
    expect(sc.statusCode).toBe(200);
    const body = sc.json();
    const items = body.items as { orgId: number; rank: number | null }[];
    const b = body.items.find((x: { orgId: number }) => x.orgId === inst2);
    const a = body.items.find((x: { orgId: number }) => x.orgId === instA);
    expect(b).toMatchObject({ rank: 1, projects: 1, scoredProjects: 1, averageScore: 95, status: 'admitted' });
    expect(a).toMatchObject({ projects: 3, scoredProjects: 3, averageScore: 63.3, satisfaction: 4, attendanceRate: 1 });
    expect(a.trend).toEqual([
      { year: 2024, projects: 1, averageScore: 50 },
      { year: 2025, projects: 2, averageScore: 70 },
    ]);
    // Ranked by average score: the list order and the rank numbers agree.
    expect(items[0].orgId).toBe(inst2);
    const scored = items.filter((x) => x.rank !== null);
    expect(scored.map((x) => x.rank)).toEqual(scored.map((_, i) => i + 1));
    expect(items.findIndex((x) => x.orgId === instA)).toBeGreaterThan(items.findIndex((x) => x.orgId === w.institution));
    expect(body.years).toEqual([2024, 2025]);
    // Year filter.
    const y2024 = (await req('city.admin', 'GET', '/api/evaluations/institutions?fromYear=2024&toYear=2024')).json();
    expect(y2024.items.find((i: { orgId: number }) => i.orgId === instA)).toMatchObject({ projects: 1, averageScore: 50 });
    // Detail: the institution's projects with their parts.
    const d = (await req('city.admin', 'GET', `/api/evaluations/institutions/${instA}`)).json();
    expect(d.projects.find((x: { id: number }) => x.id === a1.id)).toMatchObject({
      participants: 80,
      experts: 90,
      inspection: 70,
      score: 80,
      renormalised: false,
    });
    // Scope and permissions.
    expect((await req('county.admin', 'GET', '/api/evaluations/institutions')).json().items).toEqual([]);
    expect((await req('county.admin', 'GET', `/api/evaluations/institutions/${instA}`)).statusCode).toBe(404);
    for (const who of ['institution', 'school.admin', 'teacher']) expect((await req(who, 'GET', '/api/evaluations/institutions')).statusCode).toBe(403);
  });

  it('computes the attendance rate as present ÷ (enrolled × sessions)', async () => {
    const inst3 = (await insertOrg(t.db, { code: 'T-INST3', name: '第三培训中心', level: 'city', kind: 'institution', parentId: w.city })).id;
    const p = await makeProject(t, inst3, { sessions: 2 });
    const a = await makeParticipant(t, w);
    const b = await makeParticipant(t, w);
    await attend(t, p, [a.teacherId], p.sessionIds);
    await attend(t, p, [b.teacherId], [p.sessionIds[0]]);
    const row = (await req('city.admin', 'GET', '/api/evaluations/institutions')).json().items.find((i: { orgId: number }) => i.orgId === inst3);
    expect(row).toMatchObject({ projects: 1, attendanceRate: 0.75, averageScore: null, rank: null });
  });

  it('changes the status with a reason, keeps the history, and refuses new projects while suspended', async () => {
    const url = `/api/evaluations/institutions/${inst2}/status`;
    const short = await req('city.admin', 'POST', url, { status: 'warning', reason: '差' });
    expect(short.statusCode).toBe(400);
    expect(short.json().fields[0].field).toBe('reason');
    expect((await req('city.admin', 'POST', url, { status: 'admitted', reason: '维持准入资格不变' })).statusCode).toBe(409);

    const warn = await req('city.admin', 'POST', url, { status: 'warning', reason: '学员满意度连续两期偏低' });
    expect(warn.statusCode).toBe(200);
    expect(warn.json()).toMatchObject({ status: 'warning', allowedStatusActions: [{ action: 'admit' }, { action: 'suspend' }] });
    const again = await req('city.admin', 'POST', url, { status: 'warning', reason: '再次警告该机构' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('当前状态「警告」不能执行「警告」');

    await expect(assertInstitutionActive(t.db, inst2)).resolves.toBeUndefined();
    const sus = await req('city.admin', 'POST', url, { status: 'suspended', reason: '督导发现虚报学时，暂停资质' });
    expect(sus.statusCode).toBe(200);
    const err = await assertInstitutionActive(t.db, inst2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(409);
    expect((err as AppError).message).toContain('培训资质已暂停');
    expect((err as AppError).message).toContain('虚报学时');
    // An org under the suspended institution is refused too; another institution is not.
    const branch = (await insertOrg(t.db, { code: 'T-INST2-B', name: '第二培训中心分部', level: 'city', kind: 'institution', parentId: inst2 })).id;
    await expect(assertInstitutionActive(t.db, branch)).rejects.toBeInstanceOf(AppError);
    await expect(assertInstitutionActive(t.db, w.institution)).resolves.toBeUndefined();

    const d = (await req('city.admin', 'GET', `/api/evaluations/institutions/${inst2}`)).json();
    expect(d.status).toBe('suspended');
    expect(d.history.map((h: { from: string; to: string; reason: string; by: string }) => [h.from, h.to, h.reason, h.by])).toEqual([
      ['warning', 'suspended', '督导发现虚报学时，暂停资质', '市局管理员'],
      ['admitted', 'warning', '学员满意度连续两期偏低', '市局管理员'],
    ]);
    const back = await req('city.admin', 'POST', url, { status: 'admitted', reason: '整改完成，恢复准入' });
    expect(back.json().status).toBe('admitted');
    await expect(assertInstitutionActive(t.db, inst2)).resolves.toBeUndefined();

    // Only bureau admins of a region above the institution change it.
    expect((await req('county.admin', 'POST', url, { status: 'warning', reason: '区里要求警告该机构' })).statusCode).toBe(404);
    expect((await req('institution', 'POST', url, { status: 'warning', reason: '机构自己要求警告' })).statusCode).toBe(403);
  });

  it('tells the institution when its status changes', async () => {
    const r = await req('city.admin', 'POST', `/api/evaluations/institutions/${w.institution}/status`, { status: 'warning', reason: '结项材料提交不及时' });
    expect(r.statusCode).toBe(200);
    const inbox = await t.db.query<{ title: string; body: string }>(
      `SELECT n.title, n.body FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'institution' AND n.title LIKE '培训资质%'`,
    );
    expect(inbox.rows).toEqual([{ title: '培训资质变更为「警告」', body: '测试市教育局：结项材料提交不及时' }]);
    expect(
      (await req('city.admin', 'GET', '/api/evaluations/institutions')).json().items.find((i: { orgId: number }) => i.orgId === w.institution).status,
    ).toBe('warning');
  });
});
