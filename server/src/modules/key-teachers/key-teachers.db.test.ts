import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../../../../test/factories.js';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';
import { hashPassword } from '../../platform/auth.js';
import { insertUser } from '../users/users.repository.js';
import { insertOrg } from '../orgs/orgs.repository.js';
import { assignSchool } from '../teachers/teacher-facts.service.js';
import { ensureSeedPolicies, policiesRepo } from '../policies/policies.service.js';
import { insertSanction } from '../integrity/sanctions.repository.js';

// 骨干教师 三级三类 (issue 13 item 2) through the routes, on both databases: the round's lifecycle and refusals,
// the quota, each eligibility reason, the designation written to teacher_designations, renewal and exit.

let aw: AccountsWorld;
const c: Record<string, string> = {};
let office = 0;
const call = (who: string, method: 'GET' | 'POST', url: string, body?: unknown) => aw.call(c[who], method, url, body);
const AS_OF = '2025-12-31';

/** A teacher of school1 (primary) with a rotation behind them and long service: eligible by default. */
async function eligible(name: string, org = aw.w.school1) {
  const id = await aw.teacher(org, { name, hireDate: '2010-09-01' });
  await aw.t.db.tx(async (q) => {
    await assignSchool(q, null, id, aw.w.school2, 'rotation', '2023-09-01');
    await assignSchool(q, null, id, org, 'transfer', '2024-09-01');
  });
  return id;
}

async function polish(teacherId: number, evaluatorOrgId: number, result: 'passed' | 'failed', heldOn: string) {
  await aw.t.db.query(
    `INSERT INTO polish_rounds (teacher_id, school_org_id, subject, lesson, held_on, purpose, evaluator_org_id, result)
     VALUES ($1, $2, '语文', '《秋天》', $3, 'keyCandidate', $4, $5)`,
    [teacherId, aw.w.school1, heldOn, evaluatorOrgId, result],
  );
}

async function openRound(quota = 2, over: Record<string, unknown> = {}) {
  const r = await call('county.admin', 'POST', '/api/key-teachers/rounds', {
    title: '2025 年甲区骨干教师评选',
    tier: 'county',
    categories: ['keyTeacher', 'subjectLeader'],
    asOf: AS_OF,
    nominateUntil: '2099-12-31',
    quotas: [
      { orgId: aw.w.school1, quota },
      { orgId: aw.w.school2, quota: 1 },
    ],
    ...over,
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json().id as number;
}

beforeAll(async () => {
  aw = await accountsWorld();
  const hash = await hashPassword(PASSWORD);
  await insertUser(aw.t.db, { username: 'county2.admin', passwordHash: hash, displayName: '乙县管理员', role: 'bureauAdmin', orgId: aw.w.county2 });
  await insertUser(aw.t.db, { username: 'school3.admin', passwordHash: hash, displayName: '乙县一中管理员', role: 'schoolAdmin', orgId: aw.w.school3 });
  office = (await insertOrg(aw.t.db, { code: 'T-RO1', name: '甲区教研室', level: 'county', kind: 'researchOffice', parentId: aw.w.county1 })).id;
  for (const u of ['county.admin', 'county2.admin', 'school.admin', 'school3.admin', 'teacher']) c[u] = await aw.login(u);
});
afterAll(async () => aw?.t.close());

describe('a selection round', () => {
  it('opens, takes nominations within quota, reviews, publicizes with objections, and designates through teacher_designations', async () => {
    const a = await eligible('骨干甲');
    const b = await eligible('骨干乙');
    const x = await eligible('超额丙');
    const round = await openRound(2);

    const over = await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, { category: 'keyTeacher', teacherIds: [a, b, x] });
    expect(over.statusCode).toBe(409);
    expect(over.json().message).toContain('超出名额');
    const badCat = await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, { category: 'master', teacherIds: [a] });
    expect(badCat.statusCode).toBe(400);
    const ok = await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, { category: 'keyTeacher', teacherIds: [a, b] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, { category: 'keyTeacher', teacherIds: [x] })).statusCode).toBe(
      409,
    );
    // Not yet in review: refused.
    const [na, nb] = ok.json().ids as number[];
    expect((await call('county.admin', 'POST', `/api/key-teachers/nominations/${na}/review`, { passed: true })).statusCode).toBe(409);
    // A school cannot run the round; another county does not see it.
    expect((await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/close`)).statusCode).toBe(403);
    expect((await call('county2.admin', 'GET', `/api/key-teachers/rounds/${round}`)).statusCode).toBe(404);

    expect((await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/close`)).statusCode).toBe(200);
    expect((await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, { category: 'keyTeacher', teacherIds: [x] })).statusCode).toBe(
      409,
    );
    expect((await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/publicize`, { from: '2026-02-01', until: '2026-02-07' })).statusCode).toBe(
      409,
    );
    expect(
      (await call('county.admin', 'POST', `/api/key-teachers/nominations/${na}/review`, { passed: true, score: 92, comment: '示范课优秀' })).statusCode,
    ).toBe(200);
    expect((await call('county.admin', 'POST', `/api/key-teachers/nominations/${nb}/review`, { passed: true, score: 88 })).statusCode).toBe(200);
    expect((await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/designate`, { termFrom: '2026-03-01' })).statusCode).toBe(409);
    expect((await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/publicize`, { from: '2026-02-01', until: '2026-02-07' })).statusCode).toBe(
      200,
    );
    const obj = await call('county.admin', 'POST', `/api/key-teachers/nominations/${nb}/objections`, {
      receivedOn: '2026-02-03',
      content: '反映其论文存在抄袭，经核实属实',
      upheld: true,
    });
    expect(obj.statusCode, obj.body).toBe(200);
    expect((await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/designate`, { termFrom: '2026-02-05' })).statusCode).toBe(409);
    const d = await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/designate`, { termFrom: '2026-03-01' });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toEqual({ designated: 1, termFrom: '2026-03-01', termUntil: '2029-02-28' });
    const rows = await aw.t.db.query(
      `SELECT teacher_id, level, category, valid_from::text AS f, valid_until::text AS u FROM teacher_designations WHERE teacher_id = ANY($1::int[]) AND superseded_at IS NULL`,
      [[a, b]],
    );
    expect(rows.rows).toEqual([{ teacher_id: a, level: 'county', category: 'keyTeacher', f: '2026-03-01', u: '2029-02-28' }]);
    const detail = (await call('county.admin', 'GET', `/api/key-teachers/rounds/${round}`)).json();
    expect(detail.status).toBe('designated');
    expect(detail.nominations.map((n: { status: string }) => n.status)).toEqual(['designated', 'objected']);
    // Everything closed: no cancel after designation.
    expect((await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/cancel`)).statusCode).toBe(409);
  });

  it('refuses nominations after the deadline', async () => {
    const t = await eligible('截止后');
    const round = await openRound(2, { nominateUntil: AS_OF });
    const r = await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, { category: 'keyTeacher', teacherIds: [t] });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toBe(`推荐已于 ${AS_OF} 截止`);
  });

  it('refuses a category or tier the region does not have, and quotas outside the bureau', async () => {
    const r = await call('county.admin', 'POST', '/api/key-teachers/rounds', {
      title: '错误评选',
      tier: 'county',
      categories: ['nope'],
      asOf: AS_OF,
      nominateUntil: '2099-12-31',
      quotas: [{ orgId: aw.w.school3, quota: 1 }],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().fields.map((f: { field: string }) => f.field)).toEqual(['categories.0', 'quotas.0.orgId']);
  });
});

describe('eligibility at nomination', () => {
  it('no rotation (compulsory stage) and too few 磨课 rounds for a teacher of ≤ 3 years: every reason, nothing written', async () => {
    const round = await openRound(5);
    const noRotation = await aw.teacher(aw.w.school1, { name: '未轮岗', hireDate: '2010-09-01' });
    const young = await eligible('青年教师');
    await aw.t.db.query('UPDATE teachers SET hire_date = $2 WHERE id = $1', [young, '2024-09-01']);
    await polish(young, aw.w.school1, 'passed', '2025-03-01');
    await polish(young, aw.w.school1, 'failed', '2025-05-01');
    const fine = await eligible('合格者');
    const pre = await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/eligibility`, {
      category: 'keyTeacher',
      teacherIds: [noRotation, young, fine],
    });
    expect(pre.statusCode, pre.body).toBe(200);
    const byId = new Map(pre.json().teachers.map((t: { teacherId: number }) => [t.teacherId, t]));
    expect((byId.get(noRotation) as { reasons: { code: string }[] }).reasons.map((x) => x.code)).toEqual(['rotation']);
    expect((byId.get(young) as { reasons: { code: string; message: string; cite: string }[] }).reasons).toMatchObject([
      { code: 'polish', message: '教龄不满 3 年：磨课合格 1 轮，至少需 2 轮；缺少教研室听课评估合格' },
    ]);
    expect((byId.get(young) as { reasons: { cite: string }[] }).reasons[0].cite).toContain('教研室听课评估合格');
    expect((byId.get(fine) as { eligible: boolean }).eligible).toBe(true);
    const r = await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, {
      category: 'keyTeacher',
      teacherIds: [fine, noRotation, young],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('无交流轮岗经历');
    expect(r.json().fields.length).toBe(2);
    expect((await aw.t.db.query('SELECT 1 FROM key_teacher_nominations WHERE round_id = $1', [round])).rows.length).toBe(0);
    // Two passed rounds incl. the 教研室's: eligible.
    await polish(young, office, 'passed', '2025-06-01');
    const again = await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, { category: 'keyTeacher', teacherIds: [fine, young] });
    expect(again.statusCode, again.body).toBe(200);
    // A 支教 record (rotation_records, no school-of-record change) is rotation experience too; one that starts
    // after the round's date is not yet; 送教下乡 (a short visit) is not.
    const rec = (kind: string, start: string) =>
      aw.t.db.query(`INSERT INTO rotation_records (teacher_id, from_org_id, to_org_id, kind, start_date, end_date) VALUES ($1,$2,$3,$4,$5,$6)`, [
        noRotation,
        aw.w.school1,
        aw.w.school2,
        kind,
        start,
        start.replace(/^(\d{4})/, (y) => String(Number(y) + 1)),
      ]);
    await rec('sendTeaching', '2023-03-01');
    await rec('supportTeaching', '2026-03-01');
    const still = await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, { category: 'keyTeacher', teacherIds: [noRotation] });
    expect(still.statusCode).toBe(400);
    expect(still.json().message).toContain('无交流轮岗经历');
    await rec('supportTeaching', '2024-09-01');
    const withRecord = await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, {
      category: 'keyTeacher',
      teacherIds: [noRotation],
    });
    expect(withRecord.statusCode, withRecord.body).toBe(200);
  });

  it('a vetoed teacher (师德) is refused with the sanction and its citation', async () => {
    const round = await openRound(5);
    const vetoed = await eligible('受处分者');
    await aw.t.db.tx((q) =>
      insertSanction(q, {
        teacherId: vetoed,
        caseId: null,
        kind: 'warning',
        decidedOn: '2025-06-01',
        validFrom: '2025-06-01',
        validUntil: '2026-06-01',
        decisionNo: '甲教师德〔2025〕3号',
        reason: '有偿补课',
        decidedByOrgId: aw.w.county1,
        recordedBy: null,
      }),
    );
    const r = await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, { category: 'keyTeacher', teacherIds: [vetoed] });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('师德一票否决：警告');
  });

  it('hours short under the policy in force on the round’s date', async () => {
    await ensureSeedPolicies(aw.t.db);
    const p = await policiesRepo.findPolicyByKey(aw.t.db, 'bayannur-2023-2025');
    expect(p).toBeTruthy();
    await policiesRepo.attach(aw.t.db, p!.id, aw.w.county2, null);
    const short = await aw.teacher(aw.w.school3, { name: '学时不足', hireDate: '2010-09-01', stage: 'senior' });
    const r0 = await call('county2.admin', 'POST', '/api/key-teachers/rounds', {
      title: '乙县骨干教师评选',
      tier: 'county',
      categories: ['keyTeacher'],
      asOf: '2025-12-31',
      nominateUntil: '2099-12-31',
      quotas: [{ orgId: aw.w.school3, quota: 3 }],
    });
    expect(r0.statusCode, r0.body).toBe(200);
    const pre = await call('school3.admin', 'POST', `/api/key-teachers/rounds/${r0.json().id}/eligibility`, { category: 'keyTeacher', teacherIds: [short] });
    expect(pre.statusCode, pre.body).toBe(200);
    const reasons = pre.json().teachers[0].reasons as { code: string; message: string; cite: string }[];
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.every((x) => x.code === 'hours')).toBe(true);
    expect(reasons[0].message).toContain('学时未达标');
  });
});

describe('the term', () => {
  it('yearly assessment, renewal from the next day, and exit ending the designation; the teacher sees their own', async () => {
    const t = await eligible('任期教师');
    const round = await openRound(1, { quotas: [{ orgId: aw.w.school1, quota: 1 }] });
    const n = (await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, { category: 'subjectLeader', teacherIds: [t] })).json()
      .ids[0];
    await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/close`);
    await call('county.admin', 'POST', `/api/key-teachers/nominations/${n}/review`, { passed: true });
    await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/publicize`, { from: '2026-02-01', until: '2026-02-07' });
    expect((await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/designate`, { termFrom: '2026-03-01' })).statusCode).toBe(200);
    const did = (await aw.t.db.query<{ id: number }>('SELECT id FROM teacher_designations WHERE teacher_id = $1 AND superseded_at IS NULL', [t])).rows[0].id;

    const a1 = await call('county.admin', 'POST', `/api/key-teachers/designations/${did}/assessments`, {
      year: 2026,
      result: 'qualified',
      duties: ['demoLesson', 'mentoring'],
    });
    expect(a1.statusCode, a1.body).toBe(200);
    expect((await call('county.admin', 'POST', `/api/key-teachers/designations/${did}/assessments`, { year: 2026, result: 'unqualified' })).statusCode).toBe(
      409,
    );
    expect((await call('county.admin', 'POST', `/api/key-teachers/designations/${did}/assessments`, { year: 2031, result: 'qualified' })).statusCode).toBe(400);
    expect(
      (await call('county.admin', 'POST', `/api/key-teachers/designations/${did}/assessments`, { year: 2027, result: 'qualified', duties: ['nope'] }))
        .statusCode,
    ).toBe(400);

    const renewed = await call('county.admin', 'POST', `/api/key-teachers/designations/${did}/renew`, {});
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(renewed.json()).toMatchObject({ from: '2029-03-01', until: '2032-02-29' });
    expect((await call('county.admin', 'POST', `/api/key-teachers/designations/${did}/renew`, {})).statusCode).toBe(409);

    const exit = await call('county.admin', 'POST', `/api/key-teachers/designations/${renewed.json().id}/exit`, { on: '2030-09-01', note: '调离本县' });
    expect(exit.statusCode, exit.body).toBe(200);
    const rows = await aw.t.db.query(
      `SELECT level, category, valid_from::text AS f, valid_until::text AS u FROM teacher_designations WHERE teacher_id = $1 AND superseded_at IS NULL ORDER BY valid_from`,
      [t],
    );
    expect(rows.rows).toEqual([
      { level: 'county', category: 'subjectLeader', f: '2026-03-01', u: '2029-02-28' },
      { level: 'county', category: 'subjectLeader', f: '2029-03-01', u: '2030-08-31' },
    ]);
    const events = await aw.t.db.query<{ kind: string }>('SELECT kind FROM key_teacher_term_events WHERE teacher_id = $1 ORDER BY id', [t]);
    expect(events.rows.map((e) => e.kind)).toEqual(['designated', 'assessed', 'renewed', 'exited']);
    // The teacher account (张老师) sees only their own.
    expect((await call('teacher', 'GET', `/api/teachers/${t}/key-teacher`)).statusCode).toBe(404);
    expect((await call('teacher', 'GET', '/api/my/key-teacher')).statusCode).toBe(200);
    const view = (await call('county.admin', 'GET', `/api/teachers/${t}/key-teacher`)).json();
    expect(view.designations.filter((d: { superseded: boolean }) => !d.superseded).length).toBe(2);
  });

  it('an unqualified year blocks renewal; a correction supersedes the assessment', async () => {
    const t = await eligible('考核不合格');
    const did = (
      await aw.t.db.query<{ id: number }>(
        `INSERT INTO teacher_designations (teacher_id, level, category, valid_from, valid_until) VALUES ($1, 'county', 'keyTeacher', '2023-03-01', '2026-02-28') RETURNING id`,
        [t],
      )
    ).rows[0].id;
    await call('county.admin', 'POST', `/api/key-teachers/designations/${did}/assessments`, { year: 2024, result: 'unqualified', note: '未完成示范课' });
    expect((await call('county.admin', 'POST', `/api/key-teachers/designations/${did}/renew`, {})).statusCode).toBe(409);
    const fix = await call('county.admin', 'POST', `/api/key-teachers/designations/${did}/assessments`, {
      year: 2024,
      result: 'qualified',
      correctionReason: '示范课记录补录',
    });
    expect(fix.statusCode, fix.body).toBe(200);
    const all = await aw.t.db.query<{ result: string; superseded: boolean }>(
      `SELECT result, superseded_at IS NOT NULL AS superseded FROM key_teacher_term_events WHERE designation_id = $1 ORDER BY id`,
      [did],
    );
    expect(all.rows).toEqual([
      { result: 'unqualified', superseded: true },
      { result: 'qualified', superseded: false },
    ]);
    expect((await call('county.admin', 'POST', `/api/key-teachers/designations/${did}/renew`, {})).statusCode).toBe(200);
  });
});

describe('待办', () => {
  it('a school with quota left sees 骨干教师评选待推荐; the bureau sees nominations waiting for review', async () => {
    const count = async (who: string, kind: string) =>
      ((await call(who, 'GET', '/api/todo')).json().items as { kind: string; count: number }[]).find((i) => i.kind === kind)?.count;
    const before = await count('school.admin', 'keyTeacherNominations');
    const round = await openRound(1);
    expect(await count('school.admin', 'keyTeacherNominations')).toBe((before ?? 0) + 1);
    const t = await eligible('待办教师');
    expect((await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, { category: 'keyTeacher', teacherIds: [t] })).statusCode).toBe(
      200,
    );
    expect(await count('school.admin', 'keyTeacherNominations')).toBe(before);
    const reviews = (await count('county.admin', 'keyTeacherReviews')) ?? 0;
    await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/close`);
    expect(await count('county.admin', 'keyTeacherReviews')).toBe(reviews + 1);
  });
});

describe('rules as data', () => {
  it('the plan in force with a keyTeachers key decides (002, attached to the bureau); elsewhere the platform default', async () => {
    expect((await call('county.admin', 'GET', '/api/key-teachers/rules?date=2026-06-01')).json().source).toBe('平台默认规则（依据种子文件）');
    await ensureSeedPolicies(aw.t.db);
    const p = await policiesRepo.findPolicyByKey(aw.t.db, 'province-strong-teacher');
    await policiesRepo.attach(aw.t.db, p!.id, aw.w.county2, null);
    const r = (await call('county2.admin', 'GET', '/api/key-teachers/rules?date=2026-06-01')).json();
    expect(r.source).toBe('基础教育强师计划实施方案（省级）');
    expect(r.rules.termYears).toBe(3);
    expect(r.rules.cite[0].section).toBe('三（三）2');
  });
});

describe('notifications and the end of the 公示 (keyui)', () => {
  const inbox = async (userId: number) =>
    (await aw.t.db.query<{ title: string; body: string; link: string }>('SELECT title, body, link FROM notifications WHERE user_id = $1 ORDER BY id', [userId]))
      .rows;

  it('the school hears of a refusal in review; the designated teacher of the designation; not before the 公示 has ended', async () => {
    const a = await eligible('通知甲');
    const b = await eligible('通知乙');
    const hash = await hashPassword(PASSWORD);
    const account = await insertUser(aw.t.db, {
      username: 'notify.a',
      passwordHash: hash,
      displayName: '通知甲',
      role: 'teacher',
      orgId: aw.w.school1,
      teacherId: a,
    });
    const schoolAdmin = (await aw.t.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'school.admin'`)).rows[0].id;
    const before = (await inbox(schoolAdmin)).length;
    const round = await openRound(2, { quotas: [{ orgId: aw.w.school1, quota: 2 }] });
    const [na, nb] = (
      await call('school.admin', 'POST', `/api/key-teachers/rounds/${round}/nominations`, { category: 'keyTeacher', teacherIds: [a, b] })
    ).json().ids as number[];
    await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/close`);
    expect((await call('county.admin', 'POST', `/api/key-teachers/nominations/${na}/review`, { passed: true, score: 90 })).statusCode).toBe(200);
    expect((await inbox(schoolAdmin)).length).toBe(before);
    const refused = await call('county.admin', 'POST', `/api/key-teachers/nominations/${nb}/review`, { passed: false, comment: '示范课未达要求' });
    expect(refused.statusCode, refused.body).toBe(200);
    expect((await inbox(schoolAdmin)).slice(before)).toEqual([
      { title: '2025 年甲区骨干教师评选：推荐的通知乙未通过评审', body: '评审意见：示范课未达要求', link: '/key-teachers' },
    ]);
    // A 公示 that has not ended yet: designation waits, whatever term start is asked for.
    expect((await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/publicize`, { from: '2026-02-01', until: '2099-02-07' })).statusCode).toBe(
      200,
    );
    const early = await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/designate`, { termFrom: '2099-03-01' });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('公示期至 2099-02-07，公示结束后才能认定');
    expect(await inbox(account)).toEqual([]);
    await aw.t.db.query(`UPDATE key_teacher_rounds SET publicity_until = '2026-02-07' WHERE id = $1`, [round]);
    expect((await call('county.admin', 'POST', `/api/key-teachers/rounds/${round}/designate`, { termFrom: '2026-03-01' })).statusCode).toBe(200);
    expect(await inbox(account)).toEqual([
      { title: '您已被认定为县级骨干教师，任期 2026-03-01 至 2029-02-28', body: '2025 年甲区骨干教师评选', link: '/my/key-teacher' },
    ]);
  });

  it('after an exit the current designation keeps its term steps', async () => {
    const t = await eligible('退出教师');
    const did = (
      await aw.t.db.query<{ id: number }>(
        `INSERT INTO teacher_designations (teacher_id, level, category, valid_from, valid_until) VALUES ($1, 'county', 'keyTeacher', '2024-03-01', '2027-02-28') RETURNING id`,
        [t],
      )
    ).rows[0].id;
    expect((await call('county.admin', 'POST', `/api/key-teachers/designations/${did}/assessments`, { year: 2024, result: 'qualified' })).statusCode).toBe(200);
    expect((await call('county.admin', 'POST', `/api/key-teachers/designations/${did}/exit`, { on: '2025-09-01', note: '调离本县' })).statusCode).toBe(200);
    const view = (await call('county.admin', 'GET', `/api/teachers/${t}/key-teacher`)).json();
    const current = view.designations.filter((d: { superseded: boolean }) => !d.superseded);
    expect(current.map((d: { from: string; until: string }) => [d.from, d.until])).toEqual([['2024-03-01', '2025-08-31']]);
    expect(current[0].events.map((e: { kind: string }) => e.kind)).toEqual(['assessed', 'exited']);
  });
});
