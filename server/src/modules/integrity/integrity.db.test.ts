import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTeacher, PASSWORD } from '../../../../test/factories.js';
import { multipartFile } from '../../../../test/uploads.js';
import { createOpenProject } from '../../../../test/projects.js';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';
import { hashPassword } from '../../platform/auth.js';
import { insertUser } from '../users/users.repository.js';
import { makeNationalId } from '../../demo/national-ids.js';
import { ensureSeedPolicies, policiesRepo } from '../policies/policies.service.js';
import { insertSanction, type NewSanction } from './sanctions.repository.js';
import { banInForce } from './bans.service.js';
import { vetoFor } from './veto.service.js';
import { todayInChina } from '../../platform/china-time.js';

// 诚信档案, 行业禁入 and 一票否决 (issue 12 items 3–5), through the routes, on both databases.

let aw: AccountsWorld;
const c: Record<string, string> = {};
const today = todayInChina();
const year = Number(today.slice(0, 4));
let idSeq = 300;
const newId = () => makeNationalId('150105', '1988-05-12', idSeq++, idSeq % 2 ? 'male' : 'female');
const call = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => aw.call(c[who], method, url, body);
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  aw = await accountsWorld();
  const hash = await hashPassword(PASSWORD);
  await insertUser(aw.t.db, { username: 'county.ethics', passwordHash: hash, displayName: '甲区师德专干', role: 'ethicsOfficer', orgId: aw.w.county1 });
  await insertUser(aw.t.db, { username: 'county2.ethics', passwordHash: hash, displayName: '乙县师德专干', role: 'ethicsOfficer', orgId: aw.w.county2 });
  await insertUser(aw.t.db, { username: 'county2.admin', passwordHash: hash, displayName: '乙县管理员', role: 'bureauAdmin', orgId: aw.w.county2 });
  for (const u of ['county.ethics', 'county2.ethics', 'county2.admin', 'county.admin', 'school.admin', 'city.admin', 'teacher']) c[u] = await aw.login(u);
});
afterAll(async () => aw?.t.close());

const sanction = async (teacherId: number, over: Partial<NewSanction> = {}) =>
  aw.t.db.tx((q) =>
    insertSanction(q, {
      teacherId,
      caseId: null,
      kind: 'warning',
      decidedOn: today,
      validFrom: today,
      validUntil: shift(today, 180),
      decisionNo: '甲教师德〔2026〕1号',
      reason: '体罚学生（事由只有教育局可见）',
      decidedByOrgId: aw.w.county1,
      recordedBy: null,
      ...over,
    }),
  );

describe('行业禁入 register and 准入查询', () => {
  it('the officer registers a ban; 准入查询 names the decision, is audited with the masked ID only, and refuses a bad ID in Chinese', async () => {
    const id = newId();
    const bad = await call('county.ethics', 'POST', '/api/integrity/bans', {
      nationalId: '123',
      name: '某某',
      source: 'x',
      decidedOn: today,
      validFrom: today,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('身份证号应为 18 位');
    const r = await call('county.ethics', 'POST', '/api/integrity/bans', {
      nationalId: id,
      name: '外地禁入人员',
      source: '某市教育局行业禁入决定（某教发〔2025〕9号）',
      decidedOn: '2025-06-01',
      validFrom: '2025-06-01',
    });
    expect(r.statusCode, r.body).toBe(201);
    const hit = await call('county.admin', 'POST', '/api/integrity/entry-check', { nationalId: id });
    expect(hit.json()).toMatchObject({
      barred: true,
      message: '该人员在行业禁入名单中：行业禁入（决定：某市教育局行业禁入决定（某教发〔2025〕9号），自 2025-06-01 起，长期）',
    });
    const miss = await call('county.ethics', 'POST', '/api/integrity/entry-check', { nationalId: newId() });
    expect(miss.json()).toMatchObject({ barred: false, message: '未查询到禁入记录', decisions: [] });
    expect((await call('school.admin', 'POST', '/api/integrity/entry-check', { nationalId: id })).statusCode).toBe(403);
    const logged = (await aw.t.db.query<{ detail: Record<string, unknown> }>(`SELECT detail FROM audit_log WHERE action = 'ethics.entryCheck' ORDER BY id`))
      .rows;
    expect(logged).toHaveLength(2);
    expect(logged[0].detail).toMatchObject({ nationalIdMasked: `${id.slice(0, 4)}**********${id.slice(-4)}`, found: 1 });
    expect(JSON.stringify(logged)).not.toContain(id);
    const list = (await call('county.ethics', 'GET', '/api/integrity/bans')).json().items;
    expect(list[0]).toMatchObject({ name: '外地禁入人员', state: 'inForce', nationalIdMasked: `${id.slice(0, 4)}**********${id.slice(-4)}` });
    expect((await call('county2.ethics', 'GET', '/api/integrity/bans')).json().items).toEqual([]);
  });

  it('pages the 行业禁入 register, newest first, with the total', async () => {
    for (let i = 0; i < 3; i++)
      await call('county.ethics', 'POST', '/api/integrity/bans', {
        nationalId: newId(),
        name: `分页${i}`,
        source: '外地决定',
        decidedOn: '2024-01-01',
        validFrom: '2024-01-01',
      });
    const all = (await call('county.ethics', 'GET', '/api/integrity/bans?pageSize=100')).json();
    expect(all.total).toBe(all.items.length);
    const first = (await call('county.ethics', 'GET', '/api/integrity/bans?pageSize=2')).json();
    const second = (await call('county.ethics', 'GET', '/api/integrity/bans?pageSize=2&page=2')).json();
    expect(first.total).toBe(all.total);
    expect(first.items.map((b: { name: string }) => b.name).slice(0, 2)).toEqual(['分页2', '分页1']);
    expect([...first.items, ...second.items].map((b: { id: number }) => b.id)).toEqual(all.items.slice(0, 4).map((b: { id: number }) => b.id));
  });

  it('a ban blocks registering a teacher, naming the decision; lifted (never deleted) or ended it no longer does', async () => {
    const id = newId();
    const ban = (
      await call('county.ethics', 'POST', '/api/integrity/bans', {
        nationalId: id,
        name: '禁入甲',
        source: '乙市行业禁入决定',
        decidedOn: '2024-01-01',
        validFrom: '2024-01-01',
      })
    ).json();
    const create = () => call('school.admin', 'POST', '/api/teachers', buildTeacher(aw.w.school1, { name: '禁入甲', nationalId: id }));
    const refused = await create();
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe('该人员在行业禁入名单中，不能登记为教师：行业禁入（决定：乙市行业禁入决定，自 2024-01-01 起，长期）');
    expect((await call('county2.ethics', 'POST', `/api/integrity/bans/${ban.id}/lift`, { reason: '误登记' })).statusCode).toBe(404);
    expect((await call('county.ethics', 'POST', `/api/integrity/bans/${ban.id}/lift`, { reason: '法院判决撤销' })).statusCode).toBe(200);
    expect((await call('county.ethics', 'POST', `/api/integrity/bans/${ban.id}/lift`, { reason: '再次解除' })).statusCode).toBe(409);
    expect((await create()).statusCode).toBe(201);
    await expect(aw.t.db.query('DELETE FROM ethics_bans WHERE id = $1', [ban.id])).rejects.toThrow(/history/);

    const ended = newId();
    await call('county.ethics', 'POST', '/api/integrity/bans', {
      nationalId: ended,
      name: '期满',
      source: '丙市决定',
      decidedOn: '2020-01-01',
      validFrom: '2020-01-01',
      validUntil: '2024-12-31',
    });
    expect((await call('school.admin', 'POST', '/api/teachers', buildTeacher(aw.w.school1, { name: '期满', nationalId: ended }))).statusCode).toBe(201);
  });

  it('the roster import: the banned row is a row error naming the decision, the others are imported', async () => {
    const banned = newId();
    const fine = newId();
    await call('county.ethics', 'POST', '/api/integrity/bans', {
      nationalId: banned,
      name: '导入禁入',
      source: '丁市行业禁入决定',
      decidedOn: '2025-01-01',
      validFrom: '2025-01-01',
    });
    const csv = Buffer.from(`\ufeff姓名,身份证号,学校,学段\r\n导入禁入,${banned},甲区第一小学,小学\r\n导入正常,${fine},甲区第一小学,小学\r\n`);
    const m = multipartFile('roster.csv', csv);
    const p = await aw.t.app.inject({
      method: 'POST',
      url: '/api/teachers/import/preview',
      payload: m.payload,
      headers: { ...m.headers, cookie: c['county.admin'] },
    });
    expect(p.statusCode, p.body).toBe(200);
    const pv = p.json();
    expect(pv.counts).toMatchObject({ create: 1, error: 1 });
    expect(pv.errors).toEqual([
      {
        row: 2,
        column: '身份证号',
        field: 'nationalId',
        message: '该人员在行业禁入名单中，不能登记为教师：行业禁入（决定：丁市行业禁入决定，自 2025-01-01 起，长期）',
      },
    ]);
    const r = await call('county.admin', 'POST', `/api/teachers/import/${pv.batchId}/commit`, { mode: 'validOnly' });
    expect(r.json()).toMatchObject({ created: 1, skipped: 1 });
  });

  it('a ban registered between preview and commit: that row is skipped, nothing else lost', async () => {
    const late = newId();
    const fine = newId();
    const csv = Buffer.from(`\ufeff姓名,身份证号,学校,学段\r\n后禁入,${late},甲区第一小学,小学\r\n后正常,${fine},甲区第一小学,小学\r\n`);
    const m = multipartFile('roster2.csv', csv);
    const pv = (
      await aw.t.app.inject({ method: 'POST', url: '/api/teachers/import/preview', payload: m.payload, headers: { ...m.headers, cookie: c['county.admin'] } })
    ).json();
    expect(pv.counts).toMatchObject({ create: 2 });
    await call('county.ethics', 'POST', '/api/integrity/bans', {
      nationalId: late,
      name: '后禁入',
      source: '戊市决定',
      decidedOn: '2025-01-01',
      validFrom: '2025-01-01',
    });
    const all = await call('county.admin', 'POST', `/api/teachers/import/${pv.batchId}/commit`, { mode: 'all' });
    expect(all.statusCode).toBe(409);
    expect(all.json().message).toBe('预览之后有 1 人被列入行业禁入名单，未导入任何数据，请重新上传预览');
    const r = await call('county.admin', 'POST', `/api/teachers/import/${pv.batchId}/commit`, { mode: 'validOnly' });
    expect(r.json()).toMatchObject({ created: 1, skipped: 1 });
    expect((await aw.t.db.query('SELECT 1 FROM teachers WHERE name = $1', ['后禁入'])).rows.length).toBe(0);
  });

  it('a 行业禁入 sanction enters the register (no decryption) and blocks 调动 and 入职; revoked, it no longer does', async () => {
    const teacherId = await aw.teacher(aw.w.school1, { name: '被禁入教师' });
    const sid = await sanction(teacherId, { kind: 'barred', validUntil: null, decisionNo: '甲教师德〔2026〕7号' });
    const idx = (await aw.t.db.query<{ idx: string }>('SELECT national_id_idx AS idx FROM teachers WHERE id = $1', [teacherId])).rows[0].idx;
    expect(await banInForce(aw.t.db, idx, today)).toMatchObject({ sanctionId: sid, source: '师德处理决定 甲教师德〔2026〕7号' });
    const transfer = await call('school.admin', 'POST', '/api/moves', {
      teacherId,
      kind: 'transfer',
      toOrgId: aw.w.school2,
      effectiveDate: today,
      reason: '工作需要',
    });
    expect(transfer.statusCode).toBe(409);
    expect(transfer.json().message).toBe(`该人员在行业禁入名单中，不能办理调动：行业禁入（决定：师德处理决定 甲教师德〔2026〕7号，自 ${today} 起，长期）`);
    const hireTeacher = await aw.teacher(aw.w.school1, { name: '新入职被禁入' });
    await sanction(hireTeacher, { kind: 'barred', validUntil: null, decisionNo: null });
    const hire = await call('school.admin', 'POST', '/api/moves', { teacherId: hireTeacher, kind: 'hire', effectiveDate: today, reason: '新教师入职' });
    expect(hire.statusCode).toBe(409);
    expect(hire.json().message).toContain('不能办理新教师入职：行业禁入（决定：师德处理决定');
    // 撤销处分: the ban follows its sanction.
    await aw.t.db.query(`UPDATE ethics_sanctions SET revoked_on = $2, revoked_reason = '复查撤销' WHERE id = $1`, [sid, today]);
    expect(await banInForce(aw.t.db, idx, today)).toBeNull();
    expect(
      (await call('school.admin', 'POST', '/api/moves', { teacherId, kind: 'transfer', toOrgId: aw.w.school2, effectiveDate: today, reason: '工作需要' }))
        .statusCode,
    ).toBe(201);
  });

  it('a ban registered after a transfer was filed stops its approval', async () => {
    const id = newId();
    const teacherId = await aw.teacher(aw.w.school1, { name: '审批中被禁入', nationalId: id });
    const m = (
      await call('school.admin', 'POST', '/api/moves', { teacherId, kind: 'transfer', toOrgId: aw.w.school2, effectiveDate: today, reason: '工作需要' })
    ).json();
    await call('county.ethics', 'POST', '/api/integrity/bans', {
      nationalId: id,
      name: '审批中被禁入',
      source: '己市决定',
      decidedOn: '2025-01-01',
      validFrom: '2025-01-01',
    });
    const r = await call('county.admin', 'POST', `/api/moves/${m.id}/approve`, {});
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toContain('不能办理调动：行业禁入（决定：己市决定');
  });
});

describe('一票否决', () => {
  it('in force, ended, superseded and revoked sanctions for each purpose (platform default: no policy attached)', async () => {
    const teacherId = await aw.teacher(aw.w.school1, { name: '否决测试' });
    expect(await vetoFor(aw.t.ctx, teacherId, 'honour', today)).toEqual({ vetoed: false, reasons: [], source: 'default' });
    const old = await sanction(teacherId, { kind: 'demerit', decidedOn: '2024-02-01', validFrom: '2024-02-01', validUntil: '2025-01-31' });
    // ended
    expect((await vetoFor(aw.t.ctx, teacherId, 'titleEligibility', today)).vetoed).toBe(false);
    expect((await vetoFor(aw.t.ctx, teacherId, 'titleEligibility', '2024-06-01')).reasons).toMatchObject([
      { sanctionId: old, label: '记过', vetoId: 'default-sanction-term' },
    ]);
    // in force, then superseded by a milder decision on appeal, then revoked
    const s1 = await sanction(teacherId, { kind: 'demerit', validUntil: shift(today, 365) });
    for (const p of ['keyTeacherSelection', 'studioHost', 'honour', 'titleEligibility', 'appraisalExcellent', 'projectNominationKey'] as const)
      expect((await vetoFor(aw.t.ctx, teacherId, p, today)).vetoed, p).toBe(true);
    const s2 = await sanction(teacherId, { kind: 'criticism', validUntil: null, corrects: s1 });
    const after = await vetoFor(aw.t.ctx, teacherId, 'titleEligibility', today);
    expect(after.vetoed).toBe(false);
    expect((await vetoFor(aw.t.ctx, teacherId, 'appraisalExcellent', today)).reasons.map((r) => r.sanctionId)).toEqual([s2]);
    await aw.t.db.query(`UPDATE ethics_sanctions SET revoked_on = $2, revoked_reason = '申诉撤销' WHERE id = $1`, [s2, today]);
    expect((await vetoFor(aw.t.ctx, teacherId, 'appraisalExcellent', today)).vetoed).toBe(false);
  });

  it('the policy in force at the teacher’s org decides, with its citation', async () => {
    const teacherId = await aw.teacher(aw.w.school3, { name: '政策否决' });
    await sanction(teacherId, { kind: 'warning', decidedByOrgId: aw.w.county2 });
    await ensureSeedPolicies(aw.t.db);
    const p = await policiesRepo.findPolicyByKey(aw.t.db, 'province-strong-teacher');
    expect(p).toBeTruthy();
    await policiesRepo.attach(aw.t.db, p!.id, aw.w.county2, null);
    const r = await vetoFor(aw.t.ctx, teacherId, 'keyTeacherSelection', today);
    expect(r.source).toBe('policy');
    expect(r.reasons[0]).toMatchObject({ vetoId: 'ethics-first-sanction-term', label: '警告' });
    expect(r.reasons[0].cite).toContain('§');
    expect(r.reasons[0].cite).toContain('巴彦淖尔');
  });

  it('a vetoed teacher cannot be nominated: all or nothing, the reason and the citation named', async () => {
    const ok = await aw.teacher(aw.w.school1, { name: '可选派' });
    const vetoed = await aw.teacher(aw.w.school1, { name: '受处分' });
    await sanction(vetoed, { kind: 'warning' });
    const project = await createOpenProject(aw.t.app, [c['county.admin']], { name: '否决选派项目' });
    expect((await call('county.admin', 'PUT', `/api/projects/${project.id}/quotas`, { items: [{ orgId: aw.w.school1, quota: 5 }] })).statusCode).toBe(200);
    const r = await call('school.admin', 'POST', `/api/projects/${project.id}/nominations`, { teacherIds: [ok, vetoed] });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toMatch(
      /^受处分（甲区第一小学）一票否决（培训项目选派（骨干、专家角色））：受警告处理（\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}），依据《.+》/,
    );
    expect((await aw.t.db.query('SELECT 1 FROM enrolments WHERE project_id = $1', [project.id])).rows.length).toBe(0);
    // The candidate list shows the vetoed teacher disabled with the same reason.
    const cands = (await call('school.admin', 'GET', `/api/projects/${project.id}/nomination/candidates`)).json().items as {
      teacherId: number;
      unavailable: string | null;
    }[];
    expect(cands.find((x) => x.teacherId === vetoed)?.unavailable).toMatch(/^一票否决（培训项目选派（骨干、专家角色））：受警告处理/);
    expect(cands.find((x) => x.teacherId === ok)?.unavailable).toBeNull();
    expect((await call('school.admin', 'POST', `/api/projects/${project.id}/nominations`, { teacherIds: [ok] })).statusCode).toBe(200);
  });
});

describe('诚信档案', () => {
  it('师德考核: 优秀 refused under a warning, 合格 recorded; a second result only as a correction that supersedes', async () => {
    const teacherId = await aw.teacher(aw.w.school1, { name: '考核教师' });
    await sanction(teacherId, { kind: 'warning' });
    const url = `/api/teachers/${teacherId}/integrity/appraisals`;
    const excellent = await call('school.admin', 'POST', url, { year, result: 'excellent' });
    expect(excellent.statusCode).toBe(409);
    expect(excellent.json().message).toMatch(/^一票否决（考核评为优秀）：受警告处理/);
    expect((await call('school.admin', 'POST', url, { year, result: 'pass' })).statusCode).toBe(201);
    const again = await call('school.admin', 'POST', url, { year, result: 'basicPass' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe(`该教师 ${year} 年度师德考核已记录为“合格”；如需更正，请填写更正原因`);
    expect((await call('school.admin', 'POST', url, { year, result: 'basicPass', correctionReason: '录入错误' })).statusCode).toBe(201);
    expect((await call('school.admin', 'POST', url, { year: year + 1, result: 'pass' })).statusCode).toBe(400);
    const rec = (await call('school.admin', 'GET', `/api/teachers/${teacherId}/integrity`)).json();
    expect(rec.appraisals.map((a: { resultLabel: string; superseded: boolean }) => [a.resultLabel, a.superseded])).toEqual([
      ['基本合格', false],
      ['合格', true],
    ]);
    await expect(aw.t.db.query('UPDATE ethics_appraisals SET result = $1 WHERE teacher_id = $2', ['excellent', teacherId])).rejects.toThrow(/never edited/);
  });

  it('记过: 合格 is impossible that year (only 不合格); an ended warning of a past year vetoes nothing', async () => {
    const teacherId = await aw.teacher(aw.w.school1, { name: '记过教师' });
    await sanction(teacherId, { kind: 'demerit', validUntil: shift(today, 365) });
    const url = `/api/teachers/${teacherId}/integrity/appraisals`;
    const pass = await call('school.admin', 'POST', url, { year, result: 'pass' });
    expect(pass.statusCode).toBe(409);
    expect(pass.json().message).toMatch(/^一票否决（考核评为合格（只能评为不合格））：受记过处理/);
    expect((await call('school.admin', 'POST', url, { year, result: 'fail' })).statusCode).toBe(201);
    const other = await aw.teacher(aw.w.school1, { name: '往年警告' });
    await sanction(other, { kind: 'warning', decidedOn: `${year - 2}-03-01`, validFrom: `${year - 2}-03-01`, validUntil: `${year - 2}-08-31` });
    expect((await call('school.admin', 'POST', `/api/teachers/${other}/integrity/appraisals`, { year: year - 1, result: 'excellent' })).statusCode).toBe(201);
  });

  it('visibility: bureau all (audited), school no sanctions, other county 404, teacher own only, receiving bureau at transfer (no reason, audited)', async () => {
    const me = (await aw.t.db.query<{ teacher_id: number }>(`SELECT teacher_id FROM users WHERE username = 'teacher'`)).rows[0].teacher_id;
    await sanction(me, { kind: 'warning' });
    await call('school.admin', 'POST', `/api/teachers/${me}/integrity/pledges`, { kind: 'oath', signedOn: today });
    expect(
      (
        await call('school.admin', 'POST', `/api/teachers/${me}/integrity/honours`, {
          title: '优秀班主任',
          level: 'county',
          awardedOn: today,
          awardingOrg: '甲区教育局',
        })
      ).json().message,
    ).toMatch(/^一票否决（评优评先、表彰奖励）/);
    const bureau = (await call('county.ethics', 'GET', `/api/teachers/${me}/integrity`)).json();
    expect(bureau.sanctions[0]).toMatchObject({ kindLabel: '警告', reason: '体罚学生（事由只有教育局可见）', state: 'inForce', stateLabel: '执行中' });
    expect(bureau.pledges[0]).toMatchObject({ kindLabel: '新教师入职宣誓' });
    expect((await aw.t.db.query(`SELECT 1 FROM audit_log WHERE action = 'integrity.read' AND entity_id = $1`, [String(me)])).rows.length).toBe(1);
    const school = (await call('school.admin', 'GET', `/api/teachers/${me}/integrity`)).json();
    expect(school).toMatchObject({ sanctions: null, sanctionsNote: '处理/处分信息仅教育局（师德专干）可见' });
    expect(school.pledges).toHaveLength(1);
    expect((await call('county2.ethics', 'GET', `/api/teachers/${me}/integrity`)).statusCode).toBe(404);
    expect((await call('county2.admin', 'GET', `/api/teachers/${me}/integrity`)).statusCode).toBe(404);
    const own = await call('teacher', 'GET', '/api/my/integrity');
    expect(own.json().sanctions[0]).toMatchObject({ kindLabel: '警告' });
    expect((await call('teacher', 'GET', `/api/teachers/${me}/integrity`)).statusCode).toBe(403);
    expect((await call('school.admin', 'GET', '/api/my/integrity')).statusCode).toBe(403);

    // A transfer to 乙县: its bureau sees the sanction in force — kind, term, deciding org, not the reason.
    const m = (
      await call('school.admin', 'POST', '/api/moves', {
        teacherId: me,
        kind: 'transfer',
        toOrgId: aw.w.school3,
        effectiveDate: shift(today, 30),
        reason: '跨县调动',
      })
    ).json();
    expect((await call('county2.ethics', 'GET', `/api/moves/${m.id}/integrity`)).statusCode).toBe(200);
    const recv = (await call('county2.admin', 'GET', `/api/moves/${m.id}/integrity`)).json();
    expect(recv.sanctions).toEqual([{ kind: 'warning', kindLabel: '警告', validFrom: today, validUntil: shift(today, 180), decidedByOrgName: '甲区教育局' }]);
    expect(JSON.stringify(recv)).not.toContain('体罚');
    expect((await aw.t.db.query(`SELECT 1 FROM audit_log WHERE action = 'integrity.moveRead' AND entity_id = $1`, [String(m.id)])).rows.length).toBe(2);
    expect((await call('school.admin', 'GET', `/api/moves/${m.id}/integrity`)).statusCode).toBe(403);
    // Before any transfer, 乙县 saw nothing; after it is withdrawn, nothing again.
    await call('school.admin', 'POST', `/api/moves/${m.id}/withdraw`, {});
    expect((await call('county2.admin', 'GET', `/api/moves/${m.id}/integrity`)).statusCode).toBe(409);
  });
});
