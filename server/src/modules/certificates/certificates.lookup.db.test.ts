import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worldApp, type Cookies, type TestApp } from '../../../../test/harness.js';
import type { World } from '../../../../test/factories.js';
import { issue } from './certificates.repository.js';
import { LOOKUP_NOT_FOUND } from './certificates.service.js';

let t: TestApp;
let w: World;
let cookies: Cookies;
let certNo: string;
let revokedNo: string;

/** A closed project of the county and a certificate of 张老师 for it, issued directly (the rule is tested elsewhere). */
async function certificate(name: string): Promise<string> {
  const p = (
    await t.db.query<{ id: number }>(
      `INSERT INTO projects (org_id, code, name, level, form, categories, target_hours, start_date, end_date, status)
       VALUES ($1, $2, $3, 'county', 'inPerson', '{ethics}', 8, '2025-03-01', '2025-03-31', 'closed') RETURNING id`,
      [w.county1, `L-${name}`, name],
    )
  ).rows[0].id;
  await issue(t.db, { projectId: p, teacherId: w.teacherId, hours: 8, issuerOrgId: w.county1 });
  return (await t.db.query<{ cert_no: string }>('SELECT cert_no FROM certificates WHERE project_id = $1', [p])).rows[0].cert_no;
}

const lookup = (body: unknown, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/public/certificates/lookup', payload: body as object, remoteAddress: ip });

beforeAll(async () => {
  ({ t, w, cookies } = await worldApp());
  certNo = await certificate('2025年师德专题培训');
  revokedNo = await certificate('2025年班主任培训');
  await t.db.query(`UPDATE certificates SET revoked_at = '2025-05-01T02:00:00Z', revoked_reason = '学时已更正' WHERE cert_no = $1`, [revokedNo]);
});
afterAll(async () => t?.close());

describe('certificate lookup by number (public /verify form)', () => {
  it('number and full name → the verification result, name masked; no login needed', async () => {
    expect(cookies.teacher).toBeTruthy();
    const r = await lookup({ certNo: ` ${certNo.toLowerCase()} `, name: ' 张老师' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ valid: true, certNo, name: '张*师', projectName: '2025年师德专题培训', hours: 8, issuer: '甲区教育局' });
    expect(r.payload).not.toContain('张老师');
  });

  it('a wrong name and an unknown number get the same answer, so numbers cannot be walked', async () => {
    const wrongName = (await lookup({ certNo, name: '李四' })).json();
    const unknown = (await lookup({ certNo: 'ZS2099999999', name: '张老师' })).json();
    expect(wrongName).toEqual({ valid: false, message: LOOKUP_NOT_FOUND });
    expect(unknown).toEqual(wrongName);
  });

  it('a revoked certificate says so, with the date', async () => {
    const r = (await lookup({ certNo: revokedNo, name: '张老师' })).json();
    expect(r).toMatchObject({ valid: false, revoked: true, revokedOn: '2025-05-01', certNo: revokedNo });
  });

  it('missing fields are a 400 naming them in Chinese', async () => {
    const r = await lookup({ certNo: '', name: '' });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/证书编号|姓名/);
  });

  it('is rate-limited per address', async () => {
    let last = 0;
    for (let i = 0; i < 25; i++) last = (await lookup({ certNo, name: '张老师' }, '10.0.0.9')).statusCode;
    expect(last).toBe(429);
    expect((await lookup({ certNo, name: '张老师' }, '10.0.0.10')).statusCode).toBe(200);
  });
});
