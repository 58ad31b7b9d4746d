import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createOpenProject, proposal, recogniseHours } from '../../../../test/projects.js';
import { account, call, teacher } from './projects.fixtures.js';
import { markProjectEvaluated } from './lifecycle.service.js';

let t: TestApp;
let w: World;
const c: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) c[u] = await login(t.app, u, PASSWORD);
  c['county2.admin'] = (await account(t, 'bureauAdmin', w.county2)).cookie;
});
afterAll(async () => t?.close());

const as = (who: string) => c[who] ?? who;
const req = (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => call(t, as(who), method, url, payload);

async function propose(who: string, over: Record<string, unknown> = {}) {
  const r = await req(who, 'POST', '/api/projects', proposal(over));
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: number; status: string };
}
async function act(who: string, id: number, action: string, comment?: string) {
  return req(who, 'POST', `/api/projects/${id}/actions/${action}`, {
    ...(comment === undefined ? {} : { comment }),
    // These tests close early on purpose: the close warnings are confirmed (close-checks.db.test.ts tests them).
    ...(action === 'submitRecognition' ? { confirmWarnings: true } : {}),
  });
}
async function ok(who: string, id: number, action: string, comment?: string) {
  const r = await act(who, id, action, comment);
  expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
  return r.json().project as { status: string; filingNo: string | null; pendingOrgName: string | null };
}
const get = async (who: string, id: number) => (await req(who, 'GET', `/api/projects/${id}`)).json();
const history = async (who: string, id: number) =>
  (await req(who, 'GET', `/api/projects/${id}/history`)).json() as {
    action: string;
    from: string | null;
    to: string;
    comment: string | null;
    userName: string;
    orgName: string;
    at: string;
  }[];
const inbox = async (who: string) =>
  (await req(who, 'GET', '/api/notifications')).json().items as { kind: string; title: string; body: string; link: string }[];

describe('approval chain per level', () => {
  it('a school proposes a 校本 project: its county approves, files and reviews the plan', async () => {
    const p = await propose('school.admin', { name: '一小校本研修：课堂观察', level: 'school', form: 'schoolBased' });
    expect(p.status).toBe('draft');
    const submitted = await ok('school.admin', p.id, 'submit');
    expect(submitted).toMatchObject({ status: 'submitted', pendingOrgName: '甲区教育局' });

    const view = await get('county.admin', p.id);
    expect(view.approvalChain).toEqual([{ orgId: w.county1, orgName: '甲区教育局', done: false, current: true }]);
    expect(view.allowedActions.map((a: { action: string }) => a.action)).toEqual(['approve', 'return', 'reject']);
    expect((await get('school.admin', p.id)).allowedActions.map((a: { action: string }) => a.action)).toEqual(['withdraw']);
    const pending = (await req('county.admin', 'GET', '/api/approvals/projects')).json().items;
    expect(pending.find((x: { id: number }) => x.id === p.id)).toMatchObject({ waitingFor: '立项审批', step: 1, steps: 1 });
    expect(
      (await inbox('county.admin')).some(
        (n) => n.kind === 'approval' && n.title === '待审批：「一小校本研修：课堂观察」立项申报' && n.link === `/projects/${p.id}`,
      ),
    ).toBe(true);

    expect((await ok('county.admin', p.id, 'approve')).status).toBe('approved');
    expect((await req('county.admin', 'GET', '/api/approvals/projects')).json().items.find((x: { id: number }) => x.id === p.id).waitingFor).toBe('备案');
    const filed = await ok('county.admin', p.id, 'file');
    expect(filed.status).toBe('filed');
    expect(filed.filingNo).toMatch(/^备\d{4}-T-C1-校-\d{4}$/);
    expect((await ok('school.admin', p.id, 'submitPlan')).status).toBe('planReview');
    expect((await ok('county.admin', p.id, 'approvePlan')).status).toBe('open');

    const h = await history('school.admin', p.id);
    expect(h.map((x) => [x.action, x.from, x.to])).toEqual([
      ['create', null, 'draft'],
      ['submit', 'draft', 'submitted'],
      ['approve', 'submitted', 'approved'],
      ['file', 'approved', 'filed'],
      ['submitPlan', 'filed', 'planReview'],
      ['approvePlan', 'planReview', 'open'],
    ]);
    expect(h[2]).toMatchObject({ userName: '甲区管理员', orgName: '甲区教育局' });
    expect(h[1].userName).toBe('一小管理员');
    expect(Date.parse(h[5].at)).toBeGreaterThanOrEqual(Date.parse(h[0].at));
    const mine = await inbox('school.admin');
    expect(mine.map((n) => n.title)).toEqual(
      expect.arrayContaining([
        '「一小校本研修：课堂观察」已通过立项审批',
        `「一小校本研修：课堂观察」已备案（${filed.filingNo}）`,
        '「一小校本研修：课堂观察」培训方案审核通过',
      ]),
    );
  });

  it("a school's city-level project goes school → county → city; each approver acts only at its step", async () => {
    const p = await propose('school.admin', { name: '一小申报市级项目', level: 'city' });
    await ok('school.admin', p.id, 'submit');
    expect((await get('county.admin', p.id)).allowedActions.map((a: { action: string }) => a.action)).toEqual(['approveStep', 'return', 'reject']);
    const early = await act('county.admin', p.id, 'approve');
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('还需报上级审批，请使用「审批通过并报上级」');
    // The city cannot act before the county.
    const jump = await act('city.admin', p.id, 'approve');
    expect(jump.statusCode).toBe(403);
    expect(jump.json().message).toBe('该项目正等待「甲区教育局」处理');

    const fwd = await ok('county.admin', p.id, 'approveStep');
    expect(fwd).toMatchObject({ status: 'submitted', pendingOrgName: '测试市教育局' });
    const again = await act('county.admin', p.id, 'approveStep');
    expect(again.statusCode).toBe(403);
    expect(again.json().message).toBe('该项目正等待「测试市教育局」处理');
    const chain = (await get('city.admin', p.id)).approvalChain;
    expect(chain.map((s: { orgName: string; done: boolean; current: boolean }) => [s.orgName, s.done, s.current])).toEqual([
      ['甲区教育局', true, false],
      ['测试市教育局', false, true],
    ]);
    expect((await inbox('city.admin')).some((n) => n.title === '待审批：「一小申报市级项目」立项申报' && n.body.includes('甲区教育局已审批通过'))).toBe(true);
    expect((await inbox('school.admin')).some((n) => n.title === '「一小申报市级项目」已通过甲区教育局审批')).toBe(true);
    const last = await act('city.admin', p.id, 'approveStep');
    expect(last.statusCode).toBe(409);
    expect(last.json().message).toBe('已是最后一级审批，请使用「审批通过」');
    await ok('city.admin', p.id, 'approve');
    // The county approved but the city files.
    expect((await act('county.admin', p.id, 'file')).statusCode).toBe(403);
    expect((await ok('city.admin', p.id, 'file')).filingNo).toMatch(/^备\d{4}-T-CITY-市-\d{4}$/);
    expect((await history('school.admin', p.id)).map((x) => x.action)).toEqual(['create', 'submit', 'approveStep', 'approve', 'file']);
  });

  it('an institution proposes a city project: the city approves; a county project it cannot propose', async () => {
    const p = await propose('institution', { name: '学院市级项目', level: 'city' });
    await ok('institution', p.id, 'submit');
    expect((await get('institution', p.id)).approvalChain.map((s: { orgName: string }) => s.orgName)).toEqual(['测试市教育局']);
    expect((await req('county.admin', 'GET', `/api/projects/${p.id}`)).statusCode).toBe(404);
    expect((await ok('city.admin', p.id, 'approve')).status).toBe('approved');

    const low = await propose('institution', { name: '学院县级项目', level: 'county' });
    const r = await act('institution', low.id, 'submit');
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe('「测试市教师培训学院」及其上级中没有旗县区教育局，不能申报「县级」项目');
    expect(r.json().fields).toEqual([{ field: 'level', message: r.json().message }]);
    const prov = await propose('institution', { name: '学院省培项目', level: 'province' });
    expect((await act('institution', prov.id, 'submit')).json().message).toContain('不能申报「省培(区培)」项目');
    // Nothing moved.
    expect((await get('institution', low.id)).status).toBe('draft');
  });

  it('a county proposes its own project and its bureau approves it; a county cannot propose a 校本 project', async () => {
    const p = await propose('county.admin', { name: '甲区县级项目' });
    await ok('county.admin', p.id, 'submit');
    await ok('county.admin', p.id, 'approve');
    const f1 = (await ok('county.admin', p.id, 'file')).filingNo as string;
    expect(f1).toMatch(/^备\d{4}-T-C1-县-\d{4}$/);
    // The bureau's filing numbers count up without gaps.
    const q = await createOpenProject(t.app, [c['county.admin']], { name: '甲区县级项目二' });
    const f2 = (await get('county.admin', q.id)).filingNo as string;
    expect(Number(f2.slice(-4))).toBe(Number(f1.slice(-4)) + 1);

    const school = await propose('county.admin', { name: '县里的校本项目', level: 'school', form: 'schoolBased' });
    const r = await act('county.admin', school.id, 'submit');
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe('校本项目只能由学校申报');
  });
});

describe('returns, rejections and withdrawals', () => {
  it('return needs a comment, goes back to draft, tells the proposer why; the proposer edits and resubmits', async () => {
    const p = await propose('school.admin', { name: '退回测试项目', level: 'school', form: 'schoolBased' });
    await ok('school.admin', p.id, 'submit');
    const bare = await act('county.admin', p.id, 'return');
    expect(bare.statusCode).toBe(400);
    expect(bare.json().fields).toEqual([{ field: 'comment', message: '请填写意见' }]);
    expect((await ok('county.admin', p.id, 'return', '预算偏高，请压缩到 3 万元以内')).status).toBe('draft');
    expect((await inbox('school.admin')).find((n) => n.title === '「退回测试项目」被退回修改')?.body).toBe('甲区教育局：预算偏高，请压缩到 3 万元以内');

    // Edits are allowed in draft, not while under approval.
    const edit = await req(
      'school.admin',
      'PUT',
      `/api/projects/${p.id}`,
      proposal({ name: '退回测试项目', level: 'school', form: 'schoolBased', budget: 30000 }),
    );
    expect(edit.statusCode).toBe(200);
    expect(edit.json().budget).toBe(30000);
    await ok('school.admin', p.id, 'submit');
    const locked = await req('school.admin', 'PUT', `/api/projects/${p.id}`, proposal({ level: 'school', form: 'schoolBased' }));
    expect(locked.statusCode).toBe(409);
    expect(locked.json().message).toBe('当前状态「审批中」不能修改项目方案');
    // Only the proposer org edits.
    expect((await req('county.admin', 'PUT', `/api/projects/${p.id}`, proposal({ level: 'school', form: 'schoolBased' }))).statusCode).toBe(403);

    const h = await history('school.admin', p.id);
    expect(h.map((x) => x.action)).toEqual(['create', 'submit', 'return', 'edit', 'submit']);
    expect(h[2]).toMatchObject({ from: 'submitted', to: 'draft', comment: '预算偏高，请压缩到 3 万元以内', orgName: '甲区教育局' });
  });

  it('reject is terminal', async () => {
    const p = await propose('school.admin', { name: '驳回测试项目', level: 'school', form: 'schoolBased' });
    await ok('school.admin', p.id, 'submit');
    expect((await act('county.admin', p.id, 'reject')).statusCode).toBe(400);
    expect((await ok('county.admin', p.id, 'reject', '与区级项目重复')).status).toBe('rejected');
    expect((await inbox('school.admin')).some((n) => n.title === '「驳回测试项目」不予立项' && n.body.includes('与区级项目重复'))).toBe(true);
    const again = await act('school.admin', p.id, 'submit');
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('当前状态「不予立项」不能执行「提交立项申报」');
    expect((await get('school.admin', p.id)).allowedActions).toEqual([]);
    expect((await req('school.admin', 'PUT', `/api/projects/${p.id}`, proposal({ level: 'school', form: 'schoolBased' }))).statusCode).toBe(409);
    expect(
      (
        await req('school.admin', 'POST', `/api/projects/${p.id}/sessions`, {
          title: '第一讲',
          date: '2026-03-10',
          startTime: '09:00',
          endTime: '11:00',
          place: '报告厅',
          hours: 2,
          category: 'ethics',
        })
      ).json().message,
    ).toBe('项目未获立项');
  });

  it('the proposer withdraws a submitted proposal; the approver then has nothing to approve', async () => {
    const p = await propose('school.admin', { name: '撤回测试项目', level: 'school', form: 'schoolBased' });
    await ok('school.admin', p.id, 'submit');
    expect((await ok('school.admin', p.id, 'withdraw')).status).toBe('draft');
    const r = await act('county.admin', p.id, 'approve');
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toBe('当前状态「草稿」不能执行「审批通过」');
    expect((await req('county.admin', 'GET', '/api/approvals/projects')).json().items.some((x: { id: number }) => x.id === p.id)).toBe(false);
  });

  it('refuses the wrong actor: proposer approving, teacher, another county, an org outside scope', async () => {
    const p = await propose('school.admin', { name: '权限测试项目', level: 'school', form: 'schoolBased' });
    expect((await act('county.admin', p.id, 'submit')).statusCode).toBe(403);
    await ok('school.admin', p.id, 'submit');
    expect((await act('school.admin', p.id, 'approve')).statusCode).toBe(403);
    expect((await act('teacher', p.id, 'approve')).statusCode).toBe(403);
    expect((await act('county2.admin', p.id, 'approve')).statusCode).toBe(404);
    expect((await act('institution', p.id, 'approve')).statusCode).toBe(404);
    expect((await act('county.admin', p.id, 'nonsense')).statusCode).toBe(400);
    expect((await get('school.admin', p.id)).status).toBe('submitted');
  });
});

describe('plan review', () => {
  const badPlan = [
    { title: '学科教学能力', hours: 8, category: 'subject' },
    { title: '师德专题', hours: 2, category: 'ethics' },
  ];
  it('the first module must be 思想政治和师德师风, at submission and at plan review', async () => {
    const p = await propose('county.admin', { name: '方案规则测试', plan: badPlan });
    const r = await act('county.admin', p.id, 'submit');
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe('培训方案的第一个模块必须是“思想政治和师德师风”');
    expect(r.json().fields).toEqual([{ field: 'plan', message: '培训方案的第一个模块必须是“思想政治和师德师风”' }]);

    await req('county.admin', 'PUT', `/api/projects/${p.id}`, proposal({ name: '方案规则测试' }));
    await ok('county.admin', p.id, 'submit');
    await ok('county.admin', p.id, 'approve');
    await ok('county.admin', p.id, 'file');
    // After filing the plan may still change, but not the level; a bad plan cannot go to review.
    const lvl = await req('county.admin', 'PUT', `/api/projects/${p.id}`, proposal({ name: '方案规则测试', level: 'city' }));
    expect(lvl.statusCode).toBe(400);
    expect(lvl.json().fields[0].field).toBe('level');
    const edited = await req('county.admin', 'PUT', `/api/projects/${p.id}`, proposal({ name: '方案规则测试', plan: badPlan }));
    expect(edited.statusCode).toBe(200);
    expect(edited.json().targetHours).toBe(10);
    expect((await act('county.admin', p.id, 'submitPlan')).json().message).toBe('培训方案的第一个模块必须是“思想政治和师德师风”');
    await req('county.admin', 'PUT', `/api/projects/${p.id}`, proposal({ name: '方案规则测试' }));
    await ok('county.admin', p.id, 'submitPlan');
    expect((await act('county.admin', p.id, 'returnPlan')).statusCode).toBe(400);
    expect((await ok('county.admin', p.id, 'returnPlan', '请增加实践环节')).status).toBe('filed');
    await ok('county.admin', p.id, 'submitPlan');
    expect((await ok('county.admin', p.id, 'approvePlan')).status).toBe('open');
    const put = await req('county.admin', 'PUT', `/api/projects/${p.id}`, proposal({ name: '方案规则测试' }));
    expect(put.json().message).toBe('当前状态「报名中」不能修改项目方案');
  });
});

describe('running to evaluated', () => {
  it('open → running → closed → evaluated; enrolment only once open', async () => {
    const p = await propose('county.admin', { name: '全流程项目' });
    const tid = await teacher(t, w, w.school1);
    // Sessions may be planned on a draft; enrolment waits until the plan is approved.
    const s = await req('county.admin', 'POST', `/api/projects/${p.id}/sessions`, {
      title: '开班式',
      date: '2026-03-10',
      startTime: '09:00',
      endTime: '11:00',
      place: '报告厅',
      hours: 2,
      category: 'ethics',
    });
    expect(s.statusCode).toBe(201);
    const early = await req('county.admin', 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: [tid] });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('项目尚未开放报名（方案审核通过后开放）');
    expect((await req('county.admin', 'POST', `/api/sessions/${s.json().id}/checkin/open`)).statusCode).toBe(409);

    for (const a of ['submit', 'approve', 'file', 'submitPlan', 'approvePlan']) await ok('county.admin', p.id, a);
    expect((await req('county.admin', 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: [tid] })).json().added).toBe(1);
    expect((await ok('county.admin', p.id, 'start')).status).toBe('running');
    expect((await act('county.admin', p.id, 'start')).json().message).toBe('当前状态「实施中」不能执行「开始实施」');
    await req('county.admin', 'PUT', `/api/sessions/${s.json().id}/attendance/${tid}`, { present: true });
    expect((await ok('county.admin', p.id, 'submitRecognition')).status).toBe('recognitionPending');
    const closed = await act('county.admin', p.id, 'confirmRecognition');
    expect(closed.json()).toMatchObject({ project: { status: 'closed' }, recognition: { entriesCreated: 1, teachers: 1, hours: 2 } });
    expect((await act('school.admin', p.id, 'evaluate')).statusCode).toBe(404);
    expect((await ok('city.admin', p.id, 'evaluate')).status).toBe('evaluated');
    expect((await act('county.admin', p.id, 'evaluate')).statusCode).toBe(409);
    expect((await history('county.admin', p.id)).map((x) => x.to).slice(-5)).toEqual(['open', 'running', 'recognitionPending', 'closed', 'evaluated']);
  });

  it('markProjectEvaluated moves only closed projects (for the evaluation module)', async () => {
    const p = await createOpenProject(t.app, [c['county.admin']], { name: '评估标记项目' });
    expect(await t.db.tx((q) => markProjectEvaluated(q, p.id, null, null))).toBe(false);
    await recogniseHours(t.app, p.id, c['county.admin']);
    expect(await t.db.tx((q) => markProjectEvaluated(q, p.id, null, null))).toBe(true);
    expect((await get('county.admin', p.id)).status).toBe('evaluated');
    expect(await t.db.tx((q) => markProjectEvaluated(q, p.id, null, null))).toBe(false);
  });
});

describe('policy engine', () => {
  const policy = `policy: t-c2-test
version: 1
title: 乙县教师培训测试政策
issuer: 乙县教育局
source:
  file: test.txt
appliesTo:
  org: T-C2
  name: 乙县
  level: county
period:
  from: 2020-01-01
  to: null
rules:
  - id: ethics-module
    kind: planContent
    title: 培训方案包含师德模块
    module: { category: ethics, position: any }
    window: { every: year }
    cite:
      section: 二（一）
      text: 各类培训均应包含师德师风模块。
  - id: session-rate
    kind: participation
    title: 每次集中培训参训率不低于 90%
    measure: sessionRate
    trainings: { forms: inPerson }
    atLeast: 0.9
    window: { every: year }
    cite:
      section: 三（一）
      text: 每次集中培训参训人数不低于 90%。
`;
  it('takes the plan rule and the participation threshold from the policy in force at the owner org', async () => {
    const up = await req('county2.admin', 'POST', '/api/policies', { text: policy });
    expect(up.statusCode, up.body).toBe(201);
    const plan = [
      { title: '学科教学能力', hours: 8, category: 'subject' },
      { title: '师德专题', hours: 2, category: 'ethics' },
    ];
    const p = await propose('county2.admin', { name: '乙县政策测试项目', plan });
    expect((await ok('county2.admin', p.id, 'submit')).status).toBe('submitted');
    expect((await get('county2.admin', p.id)).participationThreshold).toEqual({ threshold: 0.9, source: '乙县教师培训测试政策 §三（一）' });
    // Elsewhere the seed rule (ethics first, 95 %) still applies.
    const q = await propose('county.admin', { name: '甲区政策对照项目', plan });
    expect((await act('county.admin', q.id, 'submit')).statusCode).toBe(400);
    expect((await get('county.admin', q.id)).participationThreshold.threshold).toBe(0.95);
  });
});
