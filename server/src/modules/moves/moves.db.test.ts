import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../../../../test/factories.js';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';
import { hashPassword } from '../../platform/auth.js';
import { insertUser } from '../users/users.repository.js';
import { addDays } from '../policies/policy.windows.js';
import { applyDueMoves, type MoveDto } from './moves.service.js';
import { todayInChina } from '../../platform/china-time.js';

// 人员变动 (issue 10 item 5): a school files, the bureau above approves (both bureaus across counties, either
// order); on the effective date the teacher's school or status changes as a dated fact and the account follows.

let aw: AccountsWorld;
let school1: string; // 一小管理员 (甲区)
let school2: string; // 二中管理员 (甲区)
let county1: string; // 甲区教育局
let county2: string; // 乙县教育局
let city: string; // 市教育局 (sees everything, approves nothing of a county's)
const today = todayInChina();
let seq = 0;

beforeAll(async () => {
  aw = await accountsWorld();
  const hash = await hashPassword(PASSWORD);
  await insertUser(aw.t.db, { username: 'county2.admin', passwordHash: hash, displayName: '乙县管理员', role: 'bureauAdmin', orgId: aw.w.county2 });
  await insertUser(aw.t.db, { username: 'school2.admin', passwordHash: hash, displayName: '二中管理员', role: 'schoolAdmin', orgId: aw.w.school2 });
  school1 = await aw.login('school.admin');
  school2 = await aw.login('school2.admin');
  county1 = await aw.login('county.admin');
  county2 = await aw.login('county2.admin');
  city = await aw.login('city.admin');
});
afterAll(async () => aw?.t.close());

/** A teacher of `orgId` with a teacher account (username returned), password PASSWORD. */
async function teacherWithAccount(orgId: number, name: string) {
  const teacherId = await aw.teacher(orgId, { name });
  const username = `moves.t${++seq}`;
  const userId = await insertUser(aw.t.db, { username, passwordHash: await hashPassword(PASSWORD), displayName: name, role: 'teacher', orgId, teacherId });
  return { teacherId, username, userId };
}

const file = async (cookie: string, body: Record<string, unknown>) => {
  const r = await aw.call(cookie, 'POST', '/api/moves', { reason: '工作需要', ...body });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as MoveDto;
};
const act = (cookie: string, id: number, action: 'approve' | 'return' | 'withdraw', body: Record<string, unknown> = {}) =>
  aw.call(cookie, 'POST', `/api/moves/${id}/${action}`, body);
const teacherRow = async (id: number) =>
  (await aw.t.db.query<{ org_id: number; status: string }>('SELECT org_id, status FROM teachers WHERE id = $1', [id])).rows[0];
const assignments = async (id: number) =>
  (
    await aw.t.db.query<{ org_id: number; kind: string; from: string | null; until: string | null }>(
      `SELECT org_id, kind, valid_from::text AS "from", valid_until::text AS "until" FROM teacher_assignments WHERE teacher_id = $1 AND superseded_at IS NULL ORDER BY valid_from NULLS FIRST`,
      [id],
    )
  ).rows;
const inbox = async (username: string) =>
  (
    await aw.t.db.query<{ title: string }>('SELECT n.title FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = $1 ORDER BY n.id', [
      username,
    ])
  ).rows.map((r) => r.title);
const auditActions = async (moveId: number) =>
  (
    await aw.t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'teacher_move' AND entity_id = $1 ORDER BY id`, [String(moveId)])
  ).rows.map((r) => r.action);

describe('调动 within one county', () => {
  it('the county bureau approves once; the teacher and their account move to the new school on the date', async () => {
    const t = await teacherWithAccount(aw.w.school1, '县内调动教师');
    const m = await file(school1, { teacherId: t.teacherId, kind: 'transfer', toOrgId: aw.w.school2, effectiveDate: today });
    expect(m).toMatchObject({
      status: 'pending',
      kindLabel: '调动',
      fromOrgName: '甲区第一小学',
      toOrgName: '甲区第二中学',
      canApprove: false,
      canWithdraw: true,
    });
    expect(m.approvals.map((a) => a.orgName)).toEqual(['甲区教育局']);
    expect((await inbox('county.admin')).some((x) => x.includes('待审批') && x.includes('县内调动教师'))).toBe(true);
    expect((await inbox('school.admin')).some((x) => x.includes('县内调动教师'))).toBe(false);

    // The receiving school sees the request touching it; the bureau's view offers approve and return.
    expect((await aw.call(school2, 'GET', `/api/moves/${m.id}`)).statusCode).toBe(200);
    const seen = (await aw.call(county1, 'GET', `/api/moves/${m.id}`)).json() as MoveDto;
    expect(seen).toMatchObject({ canApprove: true, canReturn: true, canWithdraw: false });

    const r = await act(county1, m.id, 'approve', { comment: '同意' });
    expect(r.statusCode, r.body).toBe(200);
    const done = r.json() as MoveDto;
    expect(done.status).toBe('applied');
    expect(done.trail.map((s) => s.action)).toEqual(['file', 'approve', 'apply']);
    expect(done.approvals[0]).toMatchObject({ orgName: '甲区教育局', approvedByName: '甲区管理员' });
    expect(await teacherRow(t.teacherId)).toEqual({ org_id: aw.w.school2, status: 'active' });
    expect((await assignments(t.teacherId)).map((a) => [a.org_id, a.kind, a.from, a.until])).toEqual([
      [aw.w.school1, 'initial', null, addDays(today, -1)],
      [aw.w.school2, 'transfer', today, null],
    ]);
    // The account follows: the teacher now acts at 二中; 一小 no longer sees the teacher, 二中 does.
    const tc = await aw.login(t.username);
    expect(((await aw.call(tc, 'GET', '/api/auth/me')).json() as { orgId: number }).orgId).toBe(aw.w.school2);
    expect((await aw.call(school1, 'GET', `/api/teachers/${t.teacherId}`)).statusCode).toBe(404);
    expect((await aw.call(school2, 'GET', `/api/teachers/${t.teacherId}`)).statusCode).toBe(200);
    expect(await auditActions(m.id)).toEqual(['move.file', 'move.approve', 'move.apply']);
    // The filer and the receiving school are told; the approver is not told of their own action.
    expect((await inbox('school.admin')).some((x) => x.startsWith('已生效') && x.includes('县内调动教师'))).toBe(true);
    expect((await inbox('school2.admin')).some((x) => x.startsWith('已生效') && x.includes('县内调动教师'))).toBe(true);
    expect((await inbox('county.admin')).some((x) => x.startsWith('已生效') && x.includes('县内调动教师'))).toBe(false);
    // Done is done.
    expect((await act(county1, m.id, 'approve')).statusCode).toBe(409);
  });
});

describe('调动 across counties', () => {
  it('needs both bureaus, in either order; a future date is applied by the job on that date, once, and the account follows', async () => {
    const t = await teacherWithAccount(aw.w.school1, '跨县调动教师');
    const day = addDays(today, 10);
    const m = await file(school1, { teacherId: t.teacherId, kind: 'transfer', toOrgId: aw.w.school3, effectiveDate: day, evidence: '甲教人〔2026〕12号' });
    expect(m.approvals.map((a) => a.orgName)).toEqual(['甲区教育局', '乙县教育局']);
    // The receiving bureau is told too, and approves first.
    expect((await inbox('county2.admin')).some((x) => x.includes('待审批') && x.includes('跨县调动教师'))).toBe(true);
    const first = await act(county2, m.id, 'approve');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'pending', canApprove: false, canReturn: true });
    expect((first.json() as MoveDto).approvals.map((a) => [a.orgName, a.approvedByName])).toEqual([
      ['甲区教育局', null],
      ['乙县教育局', '乙县管理员'],
    ]);
    expect((await act(county2, m.id, 'approve')).statusCode).toBe(409);
    expect((await inbox('county.admin')).some((x) => x.includes('乙县教育局已同意') && x.includes('跨县调动教师'))).toBe(true);

    const second = await act(county1, m.id, 'approve');
    expect(second.statusCode, second.body).toBe(200);
    expect((second.json() as MoveDto).status).toBe('approved');
    expect(await teacherRow(t.teacherId)).toEqual({ org_id: aw.w.school1, status: 'active' });

    // Not yet due: the job leaves it.
    expect((await applyDueMoves(aw.t.ctx, addDays(day, -1))).applied).toEqual([]);
    // On the date, two runs at once apply it exactly once.
    const runs = await Promise.all([applyDueMoves(aw.t.ctx, day), applyDueMoves(aw.t.ctx, day)]);
    expect(runs.flatMap((r) => r.applied)).toEqual([m.id]);
    expect(runs.flatMap((r) => r.failed)).toEqual([]);
    expect((await applyDueMoves(aw.t.ctx, day)).applied).toEqual([]);
    expect(await teacherRow(t.teacherId)).toEqual({ org_id: aw.w.school3, status: 'active' });
    expect((await assignments(t.teacherId)).map((a) => [a.org_id, a.from, a.until])).toEqual([
      [aw.w.school1, null, addDays(day, -1)],
      [aw.w.school3, day, null],
    ]);
    const tc = await aw.login(t.username);
    expect(((await aw.call(tc, 'GET', '/api/auth/me')).json() as { orgId: number }).orgId).toBe(aw.w.school3);
    expect((await aw.call(school1, 'GET', `/api/teachers/${t.teacherId}`)).statusCode).toBe(404);
    expect((await aw.call(county2, 'GET', `/api/teachers/${t.teacherId}`)).statusCode).toBe(200);
    const after = (await aw.call(county2, 'GET', `/api/moves/${m.id}`)).json() as MoveDto;
    expect(after.trail.map((s) => s.action)).toEqual(['file', 'approve', 'approve', 'apply']);
    expect(after.status).toBe('applied');
  });

  it('the sending bureau may approve first as well', async () => {
    const t = await aw.teacher(aw.w.school1, { name: '先调出方审批' });
    const m = await file(school1, { teacherId: t, kind: 'transfer', toOrgId: aw.w.school3, effectiveDate: today });
    expect((await act(county1, m.id, 'approve')).json()).toMatchObject({ status: 'pending' });
    expect((await act(county2, m.id, 'approve')).json()).toMatchObject({ status: 'applied' });
    expect((await teacherRow(t)).org_id).toBe(aw.w.school3);
  });
});

describe('退休 and 离职', () => {
  it('退休: the school files, the county approves; on the date the status changes and the account stops', async () => {
    const t = await teacherWithAccount(aw.w.school1, '退休教师');
    const session = await aw.login(t.username);
    const m = await file(school1, { teacherId: t.teacherId, kind: 'retire', effectiveDate: today, reason: '达到法定退休年龄' });
    expect(m.approvals.map((a) => a.orgName)).toEqual(['甲区教育局']);
    const r = await act(county1, m.id, 'approve');
    expect(r.json()).toMatchObject({ status: 'applied' });
    expect(await teacherRow(t.teacherId)).toEqual({ org_id: aw.w.school1, status: 'retired' });
    const u = (await aw.t.db.query<{ active: boolean; deactivated_reason: string }>('SELECT active, deactivated_reason FROM users WHERE id = $1', [t.userId]))
      .rows[0];
    expect(u).toEqual({ active: false, deactivated_reason: 'teacherStatus:retired' });
    expect((await aw.call(session, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await aw.tryLogin(t.username, PASSWORD)).statusCode).toBe(401);
    // No further request for a teacher no longer in post.
    const again = await aw.call(school1, 'POST', '/api/moves', { teacherId: t.teacherId, kind: 'resign', effectiveDate: today, reason: '再次' });
    expect(again.statusCode).toBe(400);
    expect(again.json().message).toBe('该教师当前不是在职状态，不能办理变动');
  });

  it('离职 dated later: approved now, applied by the job on the date; the account works until then', async () => {
    const t = await teacherWithAccount(aw.w.school1, '离职教师');
    const day = addDays(today, 30);
    const m = await file(school1, { teacherId: t.teacherId, kind: 'resign', effectiveDate: day, reason: '个人原因辞职' });
    expect((await act(county1, m.id, 'approve')).json()).toMatchObject({ status: 'approved', statusLabel: '已批准，待生效' });
    expect((await teacherRow(t.teacherId)).status).toBe('active');
    expect((await aw.tryLogin(t.username, PASSWORD)).statusCode).toBe(200);
    expect((await inbox('school.admin')).some((x) => x.startsWith('已批准') && x.includes('离职教师'))).toBe(true);
    expect((await applyDueMoves(aw.t.ctx, day)).applied).toContain(m.id);
    expect((await teacherRow(t.teacherId)).status).toBe('resigned');
    const s = (
      await aw.t.db.query<{ status: string; from: string | null; until: string | null }>(
        `SELECT status, valid_from::text AS "from", valid_until::text AS "until" FROM teacher_statuses WHERE teacher_id = $1 AND superseded_at IS NULL ORDER BY valid_from NULLS FIRST`,
        [t.teacherId],
      )
    ).rows;
    expect(s).toEqual([
      { status: 'active', from: null, until: addDays(day, -1) },
      { status: 'resigned', from: day, until: null },
    ]);
    expect((await aw.tryLogin(t.username, PASSWORD)).statusCode).toBe(401);
  });

  it('死亡 is filed and approved the same way', async () => {
    const t = await aw.teacher(aw.w.school1, { name: '病故教师' });
    const m = await file(school1, { teacherId: t, kind: 'death', effectiveDate: today, reason: '因病去世' });
    expect((await act(county1, m.id, 'approve')).json()).toMatchObject({ status: 'applied', kindLabel: '死亡' });
    expect((await teacherRow(t)).status).toBe('deceased');
  });
});

describe('新教师入职', () => {
  it('a teacher registered through 新增教师 is hired from the date: the record-long periods give way to the hire', async () => {
    const created = await aw.call(school1, 'POST', '/api/teachers', {
      ...(await import('../../../../test/factories.js')).buildTeacher(aw.w.school1, { name: '新入职教师' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const t = (created.json() as { id: number }).id;
    const day = addDays(today, 3);
    const m = await file(school1, { teacherId: t, kind: 'hire', effectiveDate: day, reason: '2026年公开招聘' });
    expect(m).toMatchObject({ kindLabel: '新教师入职', toOrgName: '甲区第一小学' });
    expect((await act(county1, m.id, 'approve')).json()).toMatchObject({ status: 'approved' });
    expect((await applyDueMoves(aw.t.ctx, day)).applied).toContain(m.id);
    expect((await assignments(t)).map((a) => [a.org_id, a.kind, a.from, a.until])).toEqual([[aw.w.school1, 'hire', day, null]]);
    expect(await teacherRow(t)).toEqual({ org_id: aw.w.school1, status: 'active' });
    // The school's 系统管理员 is asked to open the account.
    expect((await inbox('school.sys')).some((x) => x.startsWith('新教师入职已生效') && x.includes('新入职教师'))).toBe(true);
    // Hired once: a second hire request is refused.
    const again = await aw.call(school1, 'POST', '/api/moves', { teacherId: t, kind: 'hire', effectiveDate: addDays(day, 5), reason: '重复' });
    expect(again.statusCode).toBe(400);
    expect(again.json().fields).toEqual([{ field: 'teacherId', message: '不是新登记的教师' }]);
  });
});

describe('returned and withdrawn', () => {
  it('a bureau returns with a reason (required); the filer is told and the request is closed', async () => {
    const t = await aw.teacher(aw.w.school1, { name: '退回教师' });
    const m = await file(school1, { teacherId: t, kind: 'retire', effectiveDate: today });
    const noReason = await act(county1, m.id, 'return', { reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields).toEqual([{ field: 'reason', message: '请填写退回原因' }]);
    const r = await act(county1, m.id, 'return', { reason: '未到退休年龄，请核实' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'returned', statusLabel: '已退回', canApprove: false });
    expect((await inbox('school.admin')).some((x) => x.startsWith('已退回') && x.includes('退回教师'))).toBe(true);
    expect((await act(county1, m.id, 'approve')).statusCode).toBe(409);
    expect((await teacherRow(t)).status).toBe('active');
    expect(await auditActions(m.id)).toEqual(['move.file', 'move.return']);
  });

  it('only the filer withdraws, and only before the last approval; one open request per teacher', async () => {
    const t = await aw.teacher(aw.w.school1, { name: '撤回教师' });
    const m = await file(school1, { teacherId: t, kind: 'transfer', toOrgId: aw.w.school3, effectiveDate: today });
    const dup = await aw.call(school1, 'POST', '/api/moves', { teacherId: t, kind: 'retire', effectiveDate: today, reason: '重复' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toBe('该教师已有未办结的变动申请，请先办结或撤回');
    expect((await act(county1, m.id, 'approve')).json()).toMatchObject({ status: 'pending' });
    const notFiler = await act(county1, m.id, 'withdraw');
    expect(notFiler.statusCode).toBe(403);
    expect(notFiler.json().message).toBe('只有申请人本人可以撤回');
    const w = await act(school1, m.id, 'withdraw', { reason: '教师本人不同意调动' });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json()).toMatchObject({ status: 'withdrawn' });
    expect((await inbox('county2.admin')).some((x) => x.startsWith('已撤回') && x.includes('撤回教师'))).toBe(true);
    expect((await act(county2, m.id, 'approve')).statusCode).toBe(409);
    expect((await act(school1, m.id, 'withdraw')).statusCode).toBe(409);
    // Closed: a new request may be filed.
    await file(school1, { teacherId: t, kind: 'retire', effectiveDate: today });
  });
});

describe('refusals', () => {
  it('a sibling county cannot see or approve; a school cannot approve its own request; the city sees but does not approve', async () => {
    const t = await aw.teacher(aw.w.school1, { name: '越权审批教师' });
    const m = await file(school1, { teacherId: t, kind: 'transfer', toOrgId: aw.w.school2, effectiveDate: today });
    expect((await act(county2, m.id, 'approve')).statusCode).toBe(404);
    expect((await aw.call(county2, 'GET', `/api/moves/${m.id}`)).statusCode).toBe(404);
    expect(((await aw.call(county2, 'GET', '/api/moves?pageSize=100')).json() as { items: MoveDto[] }).items.some((x) => x.id === m.id)).toBe(false);
    const own = await act(school1, m.id, 'approve');
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toBe('人员变动由教育局审批');
    const c = await act(city, m.id, 'approve');
    expect(c.statusCode).toBe(403);
    expect(c.json().message).toBe('该申请由甲区教育局审批');
    expect((await aw.call(city, 'GET', `/api/moves/${m.id}`)).statusCode).toBe(200);
    expect((await teacherRow(t)).org_id).toBe(aw.w.school1);
    // A school outside the caller's scope cannot file for a teacher it does not see.
    expect((await aw.call(school2, 'POST', '/api/moves', { teacherId: t, kind: 'retire', effectiveDate: today, reason: 'x' })).statusCode).toBe(404);
  });

  it('a date before the start of the teacher’s current assignment is refused', async () => {
    const t = await aw.teacher(aw.w.school1, { name: '日期倒置教师' });
    const m = await file(school1, { teacherId: t, kind: 'transfer', toOrgId: aw.w.school2, effectiveDate: '2025-09-01' });
    expect((await act(county1, m.id, 'approve')).json()).toMatchObject({ status: 'applied' });
    for (const effectiveDate of ['2025-08-01', '2025-09-01']) {
      const r = await aw.call(school2, 'POST', '/api/moves', { teacherId: t, kind: 'transfer', toOrgId: aw.w.school1, effectiveDate, reason: '回调' });
      expect(r.statusCode).toBe(400);
      expect(r.json().message).toBe('生效日期须晚于该教师现任职学校的起始日期 2025-09-01');
      expect(r.json().fields).toEqual([{ field: 'effectiveDate', message: '须晚于 2025-09-01' }]);
    }
    expect(
      (await aw.call(school2, 'POST', '/api/moves', { teacherId: t, kind: 'transfer', toOrgId: aw.w.school1, effectiveDate: '2025-09-02', reason: '回调' }))
        .statusCode,
    ).toBe(201);
  });

  it('bad input: a clear 400 with field messages', async () => {
    const t = await aw.teacher(aw.w.school1, { name: '输入校验教师' });
    const r = await aw.call(school1, 'POST', '/api/moves', { teacherId: t, kind: 'transfer', effectiveDate: '2026-02-30', reason: '' });
    expect(r.statusCode).toBe(400);
    const fields = (r.json() as { fields: { field: string; message: string }[] }).fields;
    expect(fields).toEqual(
      expect.arrayContaining([
        { field: 'effectiveDate', message: '日期无效' },
        { field: 'reason', message: '请填写变动原因' },
        { field: 'toOrgId', message: '请选择调入学校' },
      ]),
    );
    const same = await aw.call(school1, 'POST', '/api/moves', { teacherId: t, kind: 'transfer', toOrgId: aw.w.school1, effectiveDate: today, reason: 'x' });
    expect(same.json().fields).toEqual([{ field: 'toOrgId', message: '请选择其他学校' }]);
    const bureau = await aw.call(school1, 'POST', '/api/moves', { teacherId: t, kind: 'transfer', toOrgId: aw.w.county2, effectiveDate: today, reason: 'x' });
    expect(bureau.json().fields).toEqual([{ field: 'toOrgId', message: '请选择学校' }]);
    expect((await aw.call(school1, 'GET', '/api/moves?status=nope')).statusCode).toBe(400);
  });

  it('lists filter by kind and status, scoped to the caller', async () => {
    const r = (await aw.call(county1, 'GET', '/api/moves?kind=retire&status=applied')).json() as { items: MoveDto[]; total: number };
    expect(r.items.length).toBeGreaterThan(0);
    expect(r.items.every((x) => x.kind === 'retire' && x.status === 'applied')).toBe(true);
    const dest = (await aw.call(school1, 'GET', '/api/moves/destinations')).json() as { items: { id: number; kind: string }[] };
    expect(dest.items.some((o) => o.id === aw.w.school3)).toBe(true);
    expect((await aw.call(await aw.login('teacher'), 'GET', '/api/moves')).statusCode).toBe(403);
  });
});
