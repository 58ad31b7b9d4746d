import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';

// 课题 (issue 13 item 5) through the routes, on both databases: application, review steps in order, illegal steps
// refused, 中期检查 needing work, 结题 needing an output, termination, and who sees what.

let aw: AccountsWorld;
const c: Record<string, string> = {};
const call = (who: string, method: 'GET' | 'POST', url: string, body?: unknown) => aw.call(c[who], method, url, body);
let colleague: number;
let elsewhere: number;

beforeAll(async () => {
  aw = await accountsWorld();
  for (const u of ['county.admin', 'school.admin', 'city.admin', 'teacher']) c[u] = await aw.login(u);
  colleague = await aw.teacher(aw.w.school1, { name: '同事老师' });
  elsewhere = await aw.teacher(aw.w.school3, { name: '外县老师' });
});
afterAll(async () => aw?.t.close());

const todoCount = async (who: string, kind: string) =>
  ((await call(who, 'GET', '/api/todo')).json().items as { kind: string; count: number }[]).find((i) => i.kind === kind)?.count;

const apply = (who: string, body: Record<string, unknown>) =>
  call(who, 'POST', '/api/research-projects', {
    title: '生成式人工智能支持下的小学语文作文教学研究',
    level: 'county',
    category: 'aiTeaching',
    plan: '研究目标、内容、方法与进度安排。',
    ...body,
  });

describe('课题', () => {
  it('goes from application through 开题, 中期检查 and 结题, with every step in its history', async () => {
    const bad = await apply('teacher', { memberTeacherIds: [elsewhere] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields).toEqual([{ field: 'memberTeacherIds.0', message: '教师不存在或不在本单位' }]);
    const r = await apply('teacher', { memberTeacherIds: [colleague] });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id;
    const step = (s: string, body: Record<string, unknown> = {}) => call('county.admin', 'POST', `/api/research-projects/${id}/${s}`, body);

    expect((await call('teacher', 'POST', `/api/research-projects/${id}/approve`, {})).statusCode).toBe(403);
    expect((await call('school.admin', 'POST', `/api/research-projects/${id}/approve`, {})).statusCode).toBe(403);
    const early = await step('conclude');
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('当前状态「已申报」不能执行「结题」');
    // 待办 待立项课题: the county approving it, not the city above.
    expect(await todoCount('county.admin', 'researchReviews')).toBe(1);
    expect(await todoCount('city.admin', 'researchReviews')).toBe(0);
    expect((await step('approve', { comment: '同意立项' })).json()).toEqual({ status: 'approved', statusLabel: '已立项' });
    expect(await todoCount('county.admin', 'researchReviews')).toBe(0);
    expect((await step('start')).json().status).toBe('started');
    expect((await step('midterm')).json().fields).toEqual([{ field: 'result', message: '请选择通过或需改进' }]);
    expect((await step('midterm', { result: 'needsWork' })).statusCode).toBe(400);
    expect((await step('midterm', { result: 'needsWork', comment: '研究数据不足' })).json()).toEqual({ status: 'started', statusLabel: '已开题' });
    expect((await step('midterm', { result: 'pass' })).json().status).toBe('midtermPassed');
    expect((await step('conclude')).json().message).toBe('结题前请先登记研究成果（论文、课例或研究报告）');
    // A member is not the leader: only the leader (or the school) records outputs.
    const out = await call('teacher', 'POST', `/api/research-projects/${id}/outputs`, { kind: 'paper', title: 'AI 辅助作文评改的实践' });
    expect(out.statusCode, out.body).toBe(201);
    expect((await call('school.admin', 'POST', `/api/research-projects/${id}/outputs`, { kind: 'lesson', title: '作文评改课例' })).statusCode).toBe(201);
    expect((await step('conclude', { comment: '准予结题' })).json().status).toBe('concluded');
    expect((await step('terminate', { comment: 'x' })).statusCode).toBe(409);
    expect((await call('school.admin', 'POST', `/api/research-projects/${id}/outputs`, { kind: 'report', title: '迟到的报告' })).statusCode).toBe(409);

    const d = (await call('teacher', 'GET', `/api/research-projects/${id}`)).json();
    expect(d).toMatchObject({ status: 'concluded', categoryLabel: 'AI 教学专项课题', levelLabel: '县级', approvingName: '甲区教育局', actions: [] });
    expect(d.members.map((m: { name: string; roleLabel: string }) => [m.name, m.roleLabel])).toEqual([
      ['张老师', '主持人'],
      ['同事老师', '成员'],
    ]);
    expect(d.outputs.map((o: { kindLabel: string }) => o.kindLabel)).toEqual(['论文', '课例']);
    expect(d.steps.map((s: { stepLabel: string; result: string | null; statusAfterLabel: string }) => [s.stepLabel, s.result, s.statusAfterLabel])).toEqual([
      ['申报', null, '已申报'],
      ['立项', null, '已立项'],
      ['开题', null, '已开题'],
      ['中期检查', 'needsWork', '已开题'],
      ['中期检查', 'pass', '中期检查通过'],
      ['结题', null, '已结题'],
    ]);
  });

  it('lets the school apply for its teacher, the bureau reject with a reason, and shows each side its own', async () => {
    const none = await apply('school.admin', {});
    expect(none.json().fields).toEqual([{ field: 'leaderTeacherId', message: '请选择课题主持人' }]);
    expect((await apply('school.admin', { leaderTeacherId: elsewhere })).statusCode).toBe(400);
    const id = (await apply('school.admin', { leaderTeacherId: colleague, title: '德育一体化课题研究', category: 'moralEducation' })).json().id;
    expect((await call('county.admin', 'POST', `/api/research-projects/${id}/reject`, {})).json().fields).toEqual([
      { field: 'comment', message: '请填写意见' },
    ]);
    expect((await call('county.admin', 'POST', `/api/research-projects/${id}/reject`, { comment: '选题重复' })).json().status).toBe('rejected');
    // The teacher (张老师) is neither leader nor member of this one.
    expect((await call('teacher', 'GET', `/api/research-projects/${id}`)).statusCode).toBe(404);
    expect((await call('teacher', 'GET', '/api/research-projects')).json()).toHaveLength(1);
    expect((await call('school.admin', 'GET', '/api/research-projects')).json()).toHaveLength(2);
    // A city-level project is the city's to approve: the county sees it (its school) but may not approve it.
    const city = (await apply('teacher', { level: 'city', title: '市级课题：信息技术与学科融合' })).json().id;
    expect((await call('county.admin', 'POST', `/api/research-projects/${city}/approve`, {})).statusCode).toBe(403);
    expect((await call('city.admin', 'POST', `/api/research-projects/${city}/approve`, {})).json().status).toBe('approved');
  });
});
