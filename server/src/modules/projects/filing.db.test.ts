import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { proposal } from '../../../../test/projects.js';
import { account, call } from './projects.fixtures.js';

// Issue 9 item 7: 备案 numbers are per filing bureau and year. Two counties each filing their first county
// project used to get the same 备2026-县-0001 (a 500 on projects_filing_no_key for the second, on every attempt).

let t: TestApp;
let w: World;
let county1: string;
let county2: string;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  county1 = await login(t.app, 'county.admin', PASSWORD);
  county2 = (await account(t, 'bureauAdmin', w.county2)).cookie;
});
afterAll(async () => t?.close());

/** A county project of the bureau, approved and waiting for its filing. */
async function approved(cookie: string, name: string): Promise<number> {
  const r = await call(t, cookie, 'POST', '/api/projects', proposal({ name }));
  expect(r.statusCode, r.body).toBe(201);
  const id = (r.json() as { id: number }).id;
  for (const a of ['submit', 'approve']) {
    const s = await call(t, cookie, 'POST', `/api/projects/${id}/actions/${a}`, {});
    expect(s.statusCode, s.body).toBe(200);
  }
  return id;
}

const file = (cookie: string, id: number) => call(t, cookie, 'POST', `/api/projects/${id}/actions/file`, {});

describe('备案 numbers', () => {
  it('two counties file county projects at the same time: both succeed with numbers of their own', async () => {
    const a = await approved(county1, '甲区县级项目（备案号）');
    const b = await approved(county2, '乙县县级项目（备案号）');
    const [ra, rb] = await Promise.all([file(county1, a), file(county2, b)]);
    expect(ra.statusCode, ra.body).toBe(200);
    expect(rb.statusCode, rb.body).toBe(200);
    const fa = ra.json().project.filingNo as string;
    const fb = rb.json().project.filingNo as string;
    expect(fa).toMatch(/^备\d{4}-T-C1-县-0001$/);
    expect(fb).toMatch(/^备\d{4}-T-C2-县-0001$/);
    // And the second county's next filing goes on from its own counter.
    const c = await approved(county2, '乙县县级项目二（备案号）');
    const rc = await file(county2, c);
    expect(rc.statusCode, rc.body).toBe(200);
    expect(rc.json().project.filingNo).toMatch(/^备\d{4}-T-C2-县-0002$/);
  });

  it('20 concurrent filings in one county get 20 distinct numbers without gaps', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(await approved(county1, `甲区并发备案项目${i + 1}`));
    const rs = await Promise.all(ids.map((id) => file(county1, id)));
    for (const r of rs) expect(r.statusCode, r.body).toBe(200);
    const seqs = rs.map((r) => Number((r.json().project.filingNo as string).slice(-4))).sort((x, y) => x - y);
    // The first test filed 0001 in this county.
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(DISTINCT filing_no)::int AS n FROM projects WHERE id = ANY($1::int[])`, [ids]);
    expect(rows[0].n).toBe(20);
  });
});
