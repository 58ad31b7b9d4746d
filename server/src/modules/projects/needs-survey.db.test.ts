import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { proposal } from '../../../../test/projects.js';
import { call, teacherAccount } from './projects.fixtures.js';

let t: TestApp;
let w: World;
const c: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution']) c[u] = await login(t.app, u, PASSWORD);
});
afterAll(async () => t?.close());

const req = (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => call(t, c[who] ?? who, method, url, payload);

const questionnaire = {
  title: '小学语文教师培训需求调研',
  questions: [
    { type: 'single', title: '您的教龄', options: ['5年以下', '5-15年', '15年以上'] },
    { type: 'multiple', title: '最希望提升的方面', options: ['课堂教学', '作业设计', '信息技术', '班级管理'] },
    { type: 'text', title: '其他建议', required: false },
  ],
};

async function draftProject(name: string, over: Record<string, unknown> = {}) {
  const r = await req('county.admin', 'POST', '/api/projects', proposal({ name, audience: { stages: ['primary'] }, ...over }));
  expect(r.statusCode).toBe(201);
  return r.json().id as number;
}

describe('needs survey (训前需求调研)', () => {
  it('validates the questionnaire', async () => {
    const id = await draftProject('问卷校验项目');
    const tooMany = await req('county.admin', 'PUT', `/api/projects/${id}/needs-survey`, {
      title: '问卷',
      questions: Array.from({ length: 21 }, (_, i) => ({ type: 'text', title: `问题${i + 1}` })),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().fields[0]).toEqual({ field: 'questions', message: '问卷最多 20 道题' });
    const oneOption = await req('county.admin', 'PUT', `/api/projects/${id}/needs-survey`, {
      title: '问卷',
      questions: [{ type: 'single', title: '单选题', options: ['唯一'] }],
    });
    expect(oneOption.statusCode).toBe(400);
    expect(oneOption.json().fields[0]).toEqual({ field: 'questions.0.options', message: '选择题至少需要 2 个选项' });
    expect((await req('teacher', 'PUT', `/api/projects/${id}/needs-survey`, questionnaire)).statusCode).toBe(403);
    expect((await req('school.admin', 'PUT', `/api/projects/${id}/needs-survey`, questionnaire)).statusCode).toBe(404);
  });

  it('publishes to the target teachers, who answer once; the organiser sees aggregates', async () => {
    const id = await draftProject('需求调研项目');
    const saved = await req('county.admin', 'PUT', `/api/projects/${id}/needs-survey`, questionnaire);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ survey: { status: 'draft', statusLabel: '草稿' }, responses: 0, canEdit: true });

    const a = await teacherAccount(t, w, w.school1, { name: '调研甲' });
    const b = await teacherAccount(t, w, w.school1, { name: '调研乙' });
    const junior = await teacherAccount(t, w, w.school2, { stage: 'junior' });
    const far = await teacherAccount(t, w, w.school3);
    // Not visible before publishing.
    expect((await call(t, a.cookie, 'GET', '/api/my/needs-surveys')).json().items).toEqual([]);

    const pub = await req('county.admin', 'POST', `/api/projects/${id}/needs-survey/publish`);
    expect(pub.json().survey.status).toBe('published');
    expect((await req('county.admin', 'POST', `/api/projects/${id}/needs-survey/publish`)).json().message).toBe('当前状态「调研中」不能执行「发布问卷」');
    const edit = await req('county.admin', 'PUT', `/api/projects/${id}/needs-survey`, questionnaire);
    expect(edit.statusCode).toBe(409);
    expect(edit.json().message).toBe('问卷调研中，不能再修改');

    const notes = (await call(t, a.cookie, 'GET', '/api/notifications')).json().items;
    const surveyId = pub.json().survey.id as number;
    expect(
      notes.some((n: { title: string; link: string }) => n.title === '需求调研：小学语文教师培训需求调研' && n.link === `/m/needs-surveys/${surveyId}`),
    ).toBe(true);
    const mine = (await call(t, a.cookie, 'GET', '/api/my/needs-surveys')).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: surveyId, projectName: '需求调研项目', answered: false });
    // Outside the audience (junior) or the region: not offered, cannot answer.
    expect((await call(t, junior.cookie, 'GET', '/api/my/needs-surveys')).json().items).toEqual([]);
    expect((await call(t, far.cookie, 'GET', `/api/needs-surveys/${surveyId}`)).statusCode).toBe(404);
    expect((await call(t, junior.cookie, 'POST', `/api/needs-surveys/${surveyId}/answers`, { answers: [0, [0], null] })).statusCode).toBe(404);

    const missing = await call(t, a.cookie, 'POST', `/api/needs-surveys/${surveyId}/answers`, { answers: [null, [], null] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().fields).toEqual([
      { field: 'answers.0', message: '第 1 题：必答' },
      { field: 'answers.1', message: '第 2 题：必答' },
    ]);
    const range = await call(t, a.cookie, 'POST', `/api/needs-surveys/${surveyId}/answers`, { answers: [3, [0, 0], null] });
    expect(range.json().fields.map((f: { field: string }) => f.field)).toEqual(['answers.0', 'answers.1']);
    expect((await call(t, a.cookie, 'POST', `/api/needs-surveys/${surveyId}/answers`, { answers: [0, [0]] })).statusCode).toBe(400);

    expect((await call(t, a.cookie, 'POST', `/api/needs-surveys/${surveyId}/answers`, { answers: [1, [0, 2], '希望多安排听评课'] })).statusCode).toBe(201);
    const twice = await call(t, a.cookie, 'POST', `/api/needs-surveys/${surveyId}/answers`, { answers: [0, [1], null] });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe('您已提交过该问卷');
    expect((await call(t, b.cookie, 'POST', `/api/needs-surveys/${surveyId}/answers`, { answers: [1, [2], '  '] })).statusCode).toBe(201);
    expect((await call(t, a.cookie, 'GET', '/api/my/needs-surveys')).json().items[0].answered).toBe(true);

    const res = (await req('county.admin', 'GET', `/api/projects/${id}/needs-survey/results`)).json();
    expect(res.responses).toBe(2);
    expect(res.targets).toBeGreaterThanOrEqual(3); // the world's teacher, 调研甲, 调研乙 (primary, in 甲区)
    expect(res.questions[0].options).toEqual([
      { label: '5年以下', count: 0 },
      { label: '5-15年', count: 2 },
      { label: '15年以上', count: 0 },
    ]);
    expect(res.questions[1].options.map((o: { count: number }) => o.count)).toEqual([1, 0, 2, 0]);
    expect(res.questions[2]).toMatchObject({ answered: 1, texts: [{ teacherName: '调研甲', orgName: '甲区第一小学', text: '希望多安排听评课' }] });
    expect((await req('school.admin', 'GET', `/api/projects/${id}/needs-survey/results`)).statusCode).toBe(404);
  });

  it('belongs before the plan is final: closed when the plan is approved, refused afterwards', async () => {
    const id = await draftProject('方案确定后调研项目');
    await req('county.admin', 'PUT', `/api/projects/${id}/needs-survey`, questionnaire);
    const pub = await req('county.admin', 'POST', `/api/projects/${id}/needs-survey/publish`);
    const surveyId = pub.json().survey.id as number;
    const me = await teacherAccount(t, w, w.school1);
    for (const a of ['submit', 'approve', 'file', 'submitPlan', 'approvePlan'])
      expect((await req('county.admin', 'POST', `/api/projects/${id}/actions/${a}`, {})).statusCode).toBe(200);
    const s = (await req('county.admin', 'GET', `/api/projects/${id}/needs-survey`)).json();
    expect(s.survey.status).toBe('closed');
    const late = await call(t, me.cookie, 'POST', `/api/needs-surveys/${surveyId}/answers`, { answers: [0, [0], null] });
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toBe('需求调研已结束');
    expect(
      (await req('county.admin', 'GET', '/api/projects/' + id + '/history')).json().find((h: { action: string }) => h.action === 'approvePlan').detail,
    ).toEqual({ surveyClosed: true });

    const open = await draftProject('已开放项目再调研');
    for (const a of ['submit', 'approve', 'file', 'submitPlan', 'approvePlan']) await req('county.admin', 'POST', `/api/projects/${open}/actions/${a}`, {});
    const refused = await req('county.admin', 'PUT', `/api/projects/${open}/needs-survey`, questionnaire);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe('培训方案已确定（当前状态「报名中」），不能再发起需求调研');
    // A survey can be closed by hand too.
    const other = await draftProject('手动结束调研项目');
    await req('county.admin', 'PUT', `/api/projects/${other}/needs-survey`, questionnaire);
    expect((await req('county.admin', 'POST', `/api/projects/${other}/needs-survey/close`)).json().message).toBe('当前状态「草稿」不能执行「结束调研」');
    await req('county.admin', 'POST', `/api/projects/${other}/needs-survey/publish`);
    expect((await req('county.admin', 'POST', `/api/projects/${other}/needs-survey/close`)).json().survey.status).toBe('closed');
  });
});
