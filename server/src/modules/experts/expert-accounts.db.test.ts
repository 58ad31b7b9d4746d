import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, loginAll, type Cookies, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { makeProject } from '../evaluations/evaluations.fixtures.js';

// 评审专家 sign in: 开通账号 / 关联账号 on the pool, the expert's own 我的评审 (scoped by assignment, not by
// org), their own scores while the evaluation is open, and refusals everywhere else.

let t: TestApp;
let w: World;
let cookies: Cookies;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  cookies = await loginAll(t.app);
});
afterAll(async () => t?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const req = (who: string, method: Method, url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as object, headers: { cookie: cookies[who] ?? who } });

const criteria = { design: 90, faculty: 80, delivery: 85, effect: 75 };
let seq = 0;

async function newExpert(who = 'city.admin', name = '王教授') {
  const r = await req(who, 'POST', '/api/experts', {
    name,
    affiliation: '内蒙古师范大学',
    fields: ['班主任工作'],
    level: 'province',
    phone: `1371234${String(++seq).padStart(4, '0')}`,
  });
  expect(r.statusCode).toBe(201);
  return r.json() as { id: number; account: string | null };
}

/** A new expert with a login, logged in; the expert id, username and cookie. */
async function expertWithLogin(username: string) {
  const e = await newExpert();
  const r = await req('city.admin', 'POST', `/api/experts/${e.id}/account`, { mode: 'create', username });
  expect(r.statusCode).toBe(201);
  const cookie = await login(t.app, username, r.json().initialPassword);
  cookies[username] = cookie;
  return { id: e.id, username, cookie };
}

describe('opening an account for an expert', () => {
  it('creates a 评审专家 login with an initial password shown once (argon2 hash stored)', async () => {
    const e = await newExpert();
    expect(e.account).toBeNull();
    const r = await req('city.admin', 'POST', `/api/experts/${e.id}/account`, { mode: 'create', username: 'wang.expert' });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body).toMatchObject({ username: 'wang.expert', expert: { id: e.id, account: 'wang.expert' } });
    expect(body.initialPassword).toMatch(/^[A-Za-z2-9]{12}$/);
    const u = await t.db.query<{ role: string; password_hash: string; display_name: string }>(
      `SELECT r.role, u.password_hash, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.username = 'wang.expert'`,
    );
    expect(u.rows[0]).toMatchObject({ role: 'expert', display_name: '王教授' });
    expect(u.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(u.rows[0].password_hash).not.toContain(body.initialPassword);
    // Shown once: reading the expert again never returns it.
    const again = await req('city.admin', 'GET', `/api/experts/${e.id}`);
    expect(again.json().account).toBe('wang.expert');
    expect(again.body).not.toContain(body.initialPassword);

    const cookie = await login(t.app, 'wang.expert', body.initialPassword);
    const me = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).json();
    expect(me).toMatchObject({ role: 'expert', roleLabel: '评审专家', permissions: ['experts.review'] });
    const audit = await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'expert.account' AND entity_id = $1`, [String(e.id)]);
    expect(audit.rows).toHaveLength(1);
  });

  it('refuses a second account, a taken or malformed username, and non-managers, in Chinese', async () => {
    const e = await newExpert();
    expect((await req('city.admin', 'POST', `/api/experts/${e.id}/account`, { mode: 'create', username: 'li.expert' })).statusCode).toBe(201);
    const twice = await req('city.admin', 'POST', `/api/experts/${e.id}/account`, { mode: 'create', username: 'li.expert2' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe('该专家已开通账号（用户名 li.expert）');

    const other = await newExpert();
    const taken = await req('city.admin', 'POST', `/api/experts/${other.id}/account`, { mode: 'create', username: 'city.admin' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().message).toContain('已被使用');
    const bad = await req('city.admin', 'POST', `/api/experts/${other.id}/account`, { mode: 'create', username: '张 三' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0]).toMatchObject({ field: 'username', message: expect.stringContaining('用户名只能包含') });

    // The county sees the city's expert but may not open an account for it; schools have no access at all.
    const county = await req('county.admin', 'POST', `/api/experts/${other.id}/account`, { mode: 'create', username: 'x.expert' });
    expect(county.statusCode).toBe(403);
    expect(county.json().message).toContain('上级专家库');
    expect((await req('school.admin', 'POST', `/api/experts/${other.id}/account`, { mode: 'create', username: 'y.expert' })).statusCode).toBe(403);
  });

  it('links an existing 评审专家 account (the same person in a county pool), but no other role', async () => {
    const city = await expertWithLogin('zhao.expert');
    const countyExpert = await newExpert('county.admin', '赵专家');
    const asAdmin = await req('county.admin', 'POST', `/api/experts/${countyExpert.id}/account`, { mode: 'link', username: 'school.admin' });
    expect(asAdmin.statusCode).toBe(409);
    expect(asAdmin.json().message).toBe('只能关联角色为“评审专家”的账号');
    expect((await req('county.admin', 'POST', `/api/experts/${countyExpert.id}/account`, { mode: 'link', username: 'nobody' })).statusCode).toBe(404);
    const r = await req('county.admin', 'POST', `/api/experts/${countyExpert.id}/account`, { mode: 'link', username: 'zhao.expert' });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ username: 'zhao.expert', initialPassword: null, expert: { account: 'zhao.expert' } });

    // Assignments of both pool entries appear on the one login.
    const p1 = await makeProject(t, w.institution, { name: '市级项目' });
    const p2 = await makeProject(t, w.county1, { name: '区级项目' });
    await req('city.admin', 'POST', `/api/projects/${p1.id}/experts`, { expertIds: [city.id] });
    await req('county.admin', 'POST', `/api/projects/${p2.id}/experts`, { expertIds: [countyExpert.id] });
    const mine = (await req('zhao.expert', 'GET', '/api/my/reviews')).json();
    expect(mine.items.map((i: { projectId: number }) => i.projectId).sort()).toEqual([p1.id, p2.id].sort());

    // Unlinking the county entry takes its project off the list.
    expect((await req('county.admin', 'DELETE', `/api/experts/${countyExpert.id}/account`)).statusCode).toBe(204);
    expect((await req('zhao.expert', 'GET', '/api/my/reviews')).json().items.map((i: { projectId: number }) => i.projectId)).toEqual([p1.id]);
  });
});

describe('我的评审', () => {
  it('lists only assigned projects, with the summary; any other project is 404', async () => {
    const x = await expertWithLogin('sun.expert');
    const assigned = await makeProject(t, w.institution, { name: '班主任研修班', sessions: 3 });
    const other = await makeProject(t, w.institution, { name: '未指派项目' });
    await req('city.admin', 'POST', `/api/projects/${assigned.id}/experts`, { expertIds: [x.id] });
    const list = await req('sun.expert', 'GET', '/api/my/reviews');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0]).toMatchObject({
      projectId: assigned.id,
      expertId: x.id,
      name: '班主任研修班',
      status: 'closed',
      statusLabel: '已结项',
      orgName: '测试市教师培训学院',
      sessionCount: 3,
      open: true,
      closedReason: null,
      score: null,
    });
    expect((await req('sun.expert', 'GET', `/api/my/reviews/${assigned.id}`)).json().name).toBe('班主任研修班');
    const hidden = await req('sun.expert', 'GET', `/api/my/reviews/${other.id}`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().message).toBe('评审项目不存在或无权访问');
    expect((await req('sun.expert', 'PUT', `/api/my/reviews/${other.id}/score`, { criteria })).statusCode).toBe(404);
    // Admins have no 我的评审.
    expect((await req('city.admin', 'GET', '/api/my/reviews')).statusCode).toBe(403);
  });

  it('records the expert as the one who scored; an admin entry is 代录; edits allowed until the evaluation ends', async () => {
    const x = await expertWithLogin('qian.expert');
    const helper = await newExpert('city.admin', '代录专家');
    const p = await makeProject(t, w.institution);
    await req('city.admin', 'POST', `/api/projects/${p.id}/experts`, { expertIds: [x.id, helper.id] });

    const s = await req('qian.expert', 'PUT', `/api/my/reviews/${p.id}/score`, { criteria, comment: '实施规范' });
    expect(s.statusCode).toBe(200);
    expect(s.json().score).toMatchObject({ criteria, total: 82.5, comment: '实施规范', byExpert: true });
    const edited = await req('qian.expert', 'PUT', `/api/my/reviews/${p.id}/score`, { criteria: { ...criteria, effect: 95 } });
    expect(edited.json().score).toMatchObject({ total: 87.5, comment: '', byExpert: true });
    await req('city.admin', 'PUT', `/api/projects/${p.id}/experts/${helper.id}/score`, { criteria });

    const admin = (await req('city.admin', 'GET', `/api/projects/${p.id}/experts`)).json();
    const own = admin.items.find((i: { expertId: number }) => i.expertId === x.id);
    const proxy = admin.items.find((i: { expertId: number }) => i.expertId === helper.id);
    expect(own.score).toMatchObject({ total: 87.5, byExpert: true, recordedBy: '王教授' });
    expect(proxy.score).toMatchObject({ total: 82.5, byExpert: false, recordedBy: '市局管理员' });
    const rec = await t.db.query<{ recorded_by: number }>('SELECT s.recorded_by FROM expert_scores s WHERE project_id = $1 AND expert_id = $2', [p.id, x.id]);
    const uid = await t.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'qian.expert'`);
    expect(rec.rows[0].recorded_by).toBe(uid.rows[0].id);
    // An admin correcting the expert's score makes it 代录 again.
    await req('city.admin', 'PUT', `/api/projects/${p.id}/experts/${x.id}/score`, { criteria });
    expect((await req('qian.expert', 'GET', `/api/my/reviews/${p.id}`)).json().score).toMatchObject({ total: 82.5, byExpert: false });

    const bad = await req('qian.expert', 'PUT', `/api/my/reviews/${p.id}/score`, { criteria: { ...criteria, design: 120 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0]).toMatchObject({ field: 'criteria.design', message: '分数应在 0–100 之间' });

    // 完成绩效评估 closes scoring.
    await t.db.query(`UPDATE projects SET status = 'evaluated' WHERE id = $1`, [p.id]);
    const late = await req('qian.expert', 'PUT', `/api/my/reviews/${p.id}/score`, { criteria });
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toBe('该项目已完成绩效评估，评分已截止');
    expect((await req('qian.expert', 'GET', `/api/my/reviews/${p.id}`)).json()).toMatchObject({
      open: false,
      closedReason: '该项目已完成绩效评估，评分已截止',
    });
  });

  it('a 停用 expert no longer sees or scores their projects', async () => {
    const x = await expertWithLogin('feng.expert');
    const p = await makeProject(t, w.institution);
    await req('city.admin', 'POST', `/api/projects/${p.id}/experts`, { expertIds: [x.id] });
    expect((await req('feng.expert', 'GET', '/api/my/reviews')).json().items).toHaveLength(1);
    await t.db.query(`UPDATE experts SET status = 'inactive' WHERE id = $1`, [x.id]);
    expect((await req('feng.expert', 'GET', '/api/my/reviews')).json().items).toHaveLength(0);
    expect((await req('feng.expert', 'PUT', `/api/my/reviews/${p.id}/score`, { criteria })).statusCode).toBe(404);
  });

  it('refuses scoring before the training has run', async () => {
    const x = await expertWithLogin('zhou.expert');
    const p = await makeProject(t, w.institution, { status: 'open' });
    await req('city.admin', 'POST', `/api/projects/${p.id}/experts`, { expertIds: [x.id] });
    const r = await req('zhou.expert', 'PUT', `/api/my/reviews/${p.id}/score`, { criteria });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toBe('项目尚未实施（当前状态「报名中」），暂不能评分');
    expect(await t.db.query('SELECT 1 FROM expert_scores WHERE project_id = $1', [p.id]).then((x) => x.rows)).toHaveLength(0);
  });

  it('gives the expert nothing else: other APIs answer 403 or 404', async () => {
    const x = await expertWithLogin('wu.expert');
    const p = await makeProject(t, w.institution);
    await req('city.admin', 'POST', `/api/projects/${p.id}/experts`, { expertIds: [x.id] });
    const calls: [Method, string, unknown?][] = [
      ['GET', '/api/teachers'],
      ['GET', `/api/teachers/${w.teacherId}`],
      ['GET', '/api/compliance/summary?policyId=1'],
      ['GET', '/api/compliance/worklist'],
      ['GET', '/api/projects'],
      ['GET', `/api/projects/${p.id}`],
      ['GET', `/api/projects/${p.id}/evaluation`],
      ['GET', `/api/projects/${p.id}/experts`],
      ['PUT', `/api/projects/${p.id}/experts/${x.id}/score`, { criteria }],
      ['POST', `/api/projects/${p.id}/experts`, { expertIds: [x.id] }],
      ['GET', '/api/experts'],
      ['GET', `/api/experts/${x.id}`],
      ['POST', `/api/experts/${x.id}/account`, { mode: 'create', username: 'self.made' }],
      ['GET', '/api/evaluations/institutions'],
      ['GET', '/api/hours/summary'],
    ];
    for (const [m, url, body] of calls) {
      const r = await req('wu.expert', m, url, body);
      expect([403, 404], `${m} ${url} → ${r.statusCode} ${r.body.slice(0, 200)}`).toContain(r.statusCode);
      expect(r.json().message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await req('wu.expert', 'GET', '/api/teachers')).json().message).toBe('无权执行此操作');
  });

  it('logs in with the password given (a wrong one is refused)', async () => {
    const e = await newExpert();
    const r = await req('city.admin', 'POST', `/api/experts/${e.id}/account`, { mode: 'create', username: 'zheng.expert' });
    await expect(login(t.app, 'zheng.expert', PASSWORD)).rejects.toThrow(/401|400/);
    await expect(login(t.app, 'zheng.expert', r.json().initialPassword)).resolves.toContain('qs_session=');
  });
});
