import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';
import { insertSanction } from '../integrity/sanctions.repository.js';
import { setStatus } from '../teachers/teacher-facts.service.js';
import { addDays, todayInChina, yearInChina } from '../../platform/china-time.js';

// 表彰荣誉 (issue 14 item 4) through the routes, on both databases: award types, a nomination refused by the 师德
// veto (nothing written), an award landing in the teacher's record, revocation (kept, marked), 尊师月 in
// September, 荣退 with years of service from the teacher's facts.

let aw: AccountsWorld;
const c: Record<string, string> = {};
const call = (who: string, method: 'GET' | 'POST', url: string, body?: unknown) => aw.call(c[who], method, url, body);
const year = yearInChina();
const today = todayInChina();

beforeAll(async () => {
  aw = await accountsWorld();
  for (const u of ['county.admin', 'school.admin', 'teacher']) c[u] = await aw.login(u);
});
afterAll(async () => aw?.t.close());

describe('nominations and awards', () => {
  it('a county type; the school nominates; a vetoed teacher refuses the batch; the award lands in the teacher’s record; revoked, kept', async () => {
    const bad = await call('county.admin', 'POST', '/api/honours/types', { name: '最', level: 'galaxy' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['level', 'name']);
    const t = await call('county.admin', 'POST', '/api/honours/types', { name: '最美班主任', level: 'county', description: '000 §二（三）' });
    expect(t.statusCode, t.body).toBe(201);
    expect((await call('county.admin', 'POST', '/api/honours/types', { name: '最美班主任', level: 'county' })).statusCode).toBe(409);
    const typeId = t.json().id;
    const types = (await call('school.admin', 'GET', '/api/honours/types')).json().types;
    expect(types.find((x: { id: number }) => x.id === typeId)).toMatchObject({ canNominate: true, isOwn: false });

    const good = aw.w.teacherId;
    const vetoed = await aw.teacher(aw.w.school1, { name: '受处分者' });
    await aw.t.db.tx((q) =>
      insertSanction(q, {
        teacherId: vetoed,
        caseId: null,
        kind: 'warning',
        decidedOn: addDays(today, -10),
        validFrom: addDays(today, -10),
        validUntil: addDays(today, 300),
        decisionNo: '甲教师德〔2026〕1号',
        reason: '有偿补课',
        decidedByOrgId: aw.w.county1,
        recordedBy: null,
      }),
    );
    const refused = await call('school.admin', 'POST', '/api/honours/nominations', { typeId, year, teacherIds: [good, vetoed], deeds: '爱生如子' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('受处分者 不能被推荐：一票否决（评优评先、表彰奖励）');
    expect(refused.json().fields[0].field).toBe('teacherIds.1');
    expect((await aw.t.db.query('SELECT count(*)::int AS n FROM honour_nominations')).rows[0].n).toBe(0);

    const ok = await call('school.admin', 'POST', '/api/honours/nominations', { typeId, year, teacherIds: [good], deeds: '爱生如子' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await call('school.admin', 'POST', '/api/honours/nominations', { typeId, year, teacherIds: [good] })).statusCode).toBe(409);
    const nid = ok.json().ids[0];
    // The school cannot confer a county award; the county can.
    expect((await call('school.admin', 'POST', `/api/honours/nominations/${nid}/decide`, { decision: 'award', awardedOn: today })).statusCode).toBe(404);
    expect((await call('county.admin', 'POST', `/api/honours/nominations/${nid}/decide`, { decision: 'reject', note: '' })).statusCode).toBe(400);
    const award = await call('county.admin', 'POST', `/api/honours/nominations/${nid}/decide`, { decision: 'award', awardedOn: today });
    expect(award.statusCode, award.body).toBe(200);
    expect((await call('county.admin', 'POST', `/api/honours/nominations/${nid}/decide`, { decision: 'award', awardedOn: today })).statusCode).toBe(409);

    // In the teacher's record: the teacher detail (school) and the teacher's own page.
    const mine = await call('teacher', 'GET', `/api/teachers/${good}/honours`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().honours[0]).toMatchObject({
      title: `${year} 年度最美班主任`,
      level: 'county',
      awardedOn: today,
      awardingOrg: '甲区教育局',
      revokedAt: null,
    });
    const honourId = mine.json().honours[0].id;
    expect((await call('teacher', 'GET', `/api/teachers/${vetoed}/honours`)).statusCode).toBe(404);

    expect((await call('county.admin', 'POST', `/api/honours/awards/${honourId}/revoke`, { reason: '' })).statusCode).toBe(400);
    const rev = await call('county.admin', 'POST', `/api/honours/awards/${honourId}/revoke`, { reason: '受师德处分，撤销荣誉' });
    expect(rev.statusCode, rev.body).toBe(200);
    expect((await call('county.admin', 'POST', `/api/honours/awards/${honourId}/revoke`, { reason: '再次撤销' })).statusCode).toBe(409);
    const after = (await call('school.admin', 'GET', `/api/teachers/${good}/honours`)).json().honours[0];
    expect(after).toMatchObject({ id: honourId, revokedReason: '受师德处分，撤销荣誉' });
    expect(after.revokedAt).not.toBeNull();
    const list = (await call('county.admin', 'GET', `/api/honours/nominations?year=${year}`)).json().nominations;
    expect(list[0]).toMatchObject({ status: 'awarded', canDecide: true, revokedReason: '受师德处分，撤销荣誉' });
  });
});

describe('尊师月 and 荣退', () => {
  it('a 尊师月 activity is held in September', async () => {
    const march = await call('school.admin', 'POST', '/api/honours/activities', { heldOn: `${year - 1}-03-10`, title: '尊师月主题活动', kind: 'teacherMonth' });
    expect(march.statusCode).toBe(400);
    expect(march.json().message).toBe('尊师月活动应在 9 月举行');
    const sept = await call('school.admin', 'POST', '/api/honours/activities', {
      heldOn: `${year - 1}-09-10`,
      title: '尊师月主题活动',
      kind: 'teacherMonth',
      participants: 86,
    });
    expect(sept.statusCode, sept.body).toBe(201);
    const list = (await call('county.admin', 'GET', `/api/honours/activities?year=${year - 1}`)).json().activities;
    expect(list).toMatchObject([{ title: '尊师月主题活动', participants: 86, orgName: expect.any(String) }]);
  });

  it('荣退: refused before retirement; years of service from hire to retirement (1990-09-01 → 2025-08-31: 34 years)', async () => {
    const id = await aw.teacher(aw.w.school1, { name: '老教师', hireDate: '1990-09-01' });
    const early = await call('school.admin', 'POST', '/api/honours/retirements', { teacherId: id, ceremonyOn: '2025-09-10' });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('老教师 尚未办理退休，不能登记荣退');
    await aw.t.db.tx((q) => setStatus(q, null, id, 'retired', '2025-08-31'));
    const cands = (await call('school.admin', 'GET', '/api/honours/retirements')).json().candidates;
    if (year - 2 <= 2025) expect(cands.map((x: { teacherId: number }) => x.teacherId)).toContain(id);
    const r = await call('school.admin', 'POST', '/api/honours/retirements', { teacherId: id, ceremonyOn: '2025-09-10', note: '荣退仪式' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ retiredOn: '2025-08-31', serviceYears: 34 });
    expect((await call('school.admin', 'POST', '/api/honours/retirements', { teacherId: id, ceremonyOn: '2025-09-11' })).statusCode).toBe(409);
    expect((await call('school.admin', 'GET', `/api/teachers/${id}/honours`)).json().retirement).toMatchObject({ serviceYears: 34, ceremonyOn: '2025-09-10' });
  });
});
