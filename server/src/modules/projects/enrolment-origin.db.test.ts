import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createOpenProject } from '../../../../test/projects.js';
import { call, teacherAccount } from './projects.fixtures.js';

// Issue 9 item 13: a teacher could cancel an enrolment the school or bureau assigned. Only a self-enrolment
// is the teacher's to cancel; an assigned one needs 请假 (per session) or the assigner.

let t: TestApp;
let w: World;
const c: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['county.admin', 'school.admin']) c[u] = await login(t.app, u, PASSWORD);
});
afterAll(async () => t?.close());

const statusOf = async (projectId: number, teacherId: number) =>
  (await t.db.query<{ status: string }>('SELECT status FROM enrolments WHERE project_id = $1 AND teacher_id = $2', [projectId, teacherId])).rows[0]?.status;

describe('who may cancel an enrolment', () => {
  it('an assigned enrolment is not the teacher’s to cancel; a self-enrolment is; the assigner still can', async () => {
    const p = await createOpenProject(t.app, [c['county.admin']], { name: '自主选学：课堂观察', selfEnrol: true });
    const assigned = await teacherAccount(t, w, w.school1, { name: '选派甲' });
    const self = await teacherAccount(t, w, w.school1, { name: '自选甲' });

    // The county enrols one teacher (assigned); the other applies and the school approves (self).
    expect((await call(t, c['county.admin'], 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: [assigned.teacherId] })).json().added).toBe(1);
    expect((await call(t, self.cookie, 'POST', `/api/projects/${p.id}/self-enrol`)).json().status).toBe('pending');
    expect((await call(t, c['school.admin'], 'POST', `/api/projects/${p.id}/enrolments/${self.teacherId}/approve`, {})).statusCode).toBe(200);

    // The list tells the assigned teacher to ask for leave instead of offering to cancel.
    const mine = (await call(t, assigned.cookie, 'GET', '/api/my/enrollable')).json().items.find((x: { id: number }) => x.id === p.id);
    expect(mine).toMatchObject({ myStatus: 'approved', canWithdraw: false, assigned: true });
    const theirs = (await call(t, self.cookie, 'GET', '/api/my/enrollable')).json().items.find((x: { id: number }) => x.id === p.id);
    expect(theirs).toMatchObject({ myStatus: 'approved', canWithdraw: true, assigned: false });

    // The assigned teacher cannot cancel through the API either.
    const refused = await call(t, assigned.cookie, 'POST', `/api/projects/${p.id}/self-enrol/withdraw`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('由学校或教育局选派，不能自行取消');
    expect(await statusOf(p.id, assigned.teacherId)).toBe('approved');

    // The self-enrolled teacher can.
    expect((await call(t, self.cookie, 'POST', `/api/projects/${p.id}/self-enrol/withdraw`, {})).statusCode).toBe(200);
    expect(await statusOf(p.id, self.teacherId)).toBe('withdrawn');

    // The assigner withdraws the assigned one.
    expect((await call(t, c['county.admin'], 'DELETE', `/api/projects/${p.id}/enrolments/${assigned.teacherId}`)).statusCode).toBe(204);
    expect(await statusOf(p.id, assigned.teacherId)).toBe('withdrawn');
  });
});
