import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { attachSeedPolicy, worldApp, type Cookies, type TestApp } from '../../../test/harness.js';
import type { World } from '../../../test/factories.js';
import { craftedXlsx, hugeCellBomb, inlineCellRow } from '../../../test/bombs.js';
import { multipartFile } from '../../../test/uploads.js';
import { makeNationalId } from '../demo/national-ids.js';
import { IMPORT_COLUMNS } from '../modules/teachers/teachers.import-columns.js';
import { insertUser } from '../modules/users/users.repository.js';
import { createSession } from './auth.js';
import { HEAVY_LIMITS, heavyLimiter, MSG_BUSY_GLOBAL, MSG_BUSY_SELF } from './heavy.js';

/**
 * Issue 9 item 15: amplification. Hostile uploads are refused before they are parsed; imports, exports
 * and refresh=1 are admitted per account (a rate, one at a time) and globally (a number at once).
 */

let t: TestApp;
let w: World;
let cookies: Cookies;
let policyId: number;

beforeAll(async () => {
  ({ t, w, cookies } = await worldApp());
  policyId = await attachSeedPolicy(t.db, w.city);
});
afterAll(async () => t?.close());

const upload = (user: string, content: Buffer, fileName = 'teachers.xlsx') => {
  const m = multipartFile(fileName, content);
  return t.app.inject({ method: 'POST', url: '/api/teachers/import/preview', payload: m.payload, headers: { ...m.headers, cookie: cookies[user] } });
};
const get = (user: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: cookies[user] } });

describe('hostile spreadsheets are refused before parsing', () => {
  it('the ~100 KB file with a 98 MB cell: 413 naming the ratio (压缩炸弹)', async () => {
    const r = await upload('county.admin', hugeCellBomb());
    expect(r.statusCode).toBe(413);
    expect(r.json().message).toMatch(/解压后超过文件本身大小的 100 倍.*疑似压缩炸弹/);
  });

  it('a cell over 32,767 characters: 400 naming the cell', async () => {
    const r = await upload('county.admin', craftedXlsx(inlineCellRow('C7', '备'.repeat(40_000))));
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('单元格 C7 内容超过 32767 个字符');
  });
});

describe('a normal import and export still work end to end through the worker threads', () => {
  it('previews a teacher file parsed off-thread', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('教师信息');
    const headers = IMPORT_COLUMNS.map((c) => c.header);
    ws.addRow(headers);
    const row: Record<string, unknown> = {
      姓名: '线程甲',
      身份证号: makeNationalId('150105', '1986-04-05', 901, 'male'),
      学校: '甲区第一小学',
      学段: '小学',
      任教学科: '语文',
      入职日期: '2010-09-01',
    };
    ws.addRow(headers.map((h) => row[h] ?? null));
    const r = await upload('county.admin', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ total: 1 });
  });

  it('exports the compliance summary built off-thread', async () => {
    const r = await get('city.admin', `/api/compliance/summary.xlsx?policyId=${policyId}&asOf=2025-06-30`);
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toContain('规则汇总');
  });
});

/** Fire requests at once while admitted ones are held; the statuses once every one has answered. */
async function concurrently(
  requests: (() => Promise<{ statusCode: number; headers: Record<string, unknown>; json: () => { message: string } }>)[],
  admitted: number,
) {
  const limiter = heavyLimiter(t.ctx);
  const open = limiter.hold();
  const refused: { statusCode: number; retryAfter: unknown; message: string }[] = [];
  const all = requests.map((send) =>
    send().then((r) => {
      const refusedNow = r.statusCode === 429 || r.statusCode === 503;
      const out = { statusCode: r.statusCode, retryAfter: r.headers['retry-after'], message: refusedNow ? r.json().message : '' };
      if (refusedNow) refused.push(out);
      return out;
    }),
  );
  try {
    // Every request has either been admitted (and waits at the gate) or been refused.
    await vi.waitFor(() => expect(limiter.total + refused.length).toBe(requests.length), { timeout: 30_000, interval: 20 });
    expect(limiter.total).toBe(admitted);
  } finally {
    open();
  }
  const results = await Promise.all(all);
  expect(limiter.total).toBe(0);
  return results;
}

describe('admission of heavy requests', () => {
  it('one heavy request per account at a time: of 3 concurrent exports exactly 1 runs, the others are 429', async () => {
    const url = '/api/teachers/export';
    const r = await concurrently(
      [0, 1, 2].map(() => () => get('city.admin', url)),
      1,
    );
    expect(r.filter((x) => x.statusCode === 200)).toHaveLength(1);
    expect(r.filter((x) => x.statusCode === 429)).toHaveLength(2);
    expect(r.find((x) => x.statusCode === 429)?.message).toBe(MSG_BUSY_SELF);
    // Once it has finished, the account may export again.
    expect((await get('city.admin', url)).statusCode).toBe(200);
  });

  it(`at most ${HEAVY_LIMITS.global} at once across accounts: the ${HEAVY_LIMITS.global + 1}th is 503 with Retry-After`, async () => {
    const users = ['city.admin', 'county.admin', 'school.admin', 'teacher', 'institution'];
    expect(users.length).toBe(HEAVY_LIMITS.global + 1);
    const r = await concurrently(
      users.map((u) => () => get(u, `/api/compliance/summary.xlsx?policyId=${policyId}&asOf=2025-06-30`)),
      HEAVY_LIMITS.global,
    );
    const busy = r.filter((x) => x.statusCode === 503);
    expect(busy).toHaveLength(1);
    expect(busy[0]).toMatchObject({ message: MSG_BUSY_GLOBAL, retryAfter: String(HEAVY_LIMITS.retryAfterSeconds) });
    expect(r.filter((x) => x.statusCode === 429)).toHaveLength(0);
  });

  it(`refresh=1 is rate-limited per account (${HEAVY_LIMITS.perMinute.refresh} a minute, then 429 with Retry-After); plain reads are not`, async () => {
    const url = (d: number) => `/api/compliance/summary?policyId=${policyId}&asOf=2025-0${d}-28&refresh=1`;
    const statuses: number[] = [];
    for (let i = 0; i < HEAVY_LIMITS.perMinute.refresh; i++) statuses.push((await get('school.admin', url((i % 9) + 1))).statusCode);
    expect(statuses).toEqual(statuses.map(() => 200));
    const over = await get('school.admin', url(1));
    expect(over.statusCode).toBe(429);
    expect(over.json().message).toContain(`每个账号每分钟最多 ${HEAVY_LIMITS.perMinute.refresh} 次`);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get('school.admin', url(1).replace('&refresh=1', ''))).statusCode).toBe(200);
    // Another account is not affected.
    expect((await get('county.admin', url(1))).statusCode).toBe(200);
  });

  it(`exports are rate-limited per account (${HEAVY_LIMITS.perMinute.export} a minute)`, async () => {
    // A fresh account: the others have exported above within this minute.
    const id = await insertUser(t.db, { username: 'export.tester', passwordHash: 'x', displayName: '导出测试', role: 'bureauAdmin', orgId: w.city });
    const cookie = `qs_session=${(await createSession(t.db, id)).token}`;
    const seen: number[] = [];
    for (let i = 0; i <= HEAVY_LIMITS.perMinute.export; i++)
      seen.push((await t.app.inject({ method: 'GET', url: '/api/teachers/export', headers: { cookie } })).statusCode);
    expect(seen.at(-1)).toBe(429);
    expect(seen.slice(0, -1)).toEqual(seen.slice(0, -1).map(() => 200));
  });
});
