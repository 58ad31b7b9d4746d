import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { todayInChina, yearInChina } from '../server/src/platform/china-time.js';
import { dialogCloses, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

// 年度考核 (issue 14 item 1) as users meet it: the school opens this year's round; the teacher (on a phone) writes the
// 个人述职; the school grades the teacher on the round page (the other teachers' grades set beforehand, as a school
// would over days) and publishes the 公示; the teacher sees the grade and the 公示 dates on 我的年度考核.

let e: E2E;
const year = yearInChina();
const rows = async <T>(sql: string, params: unknown[] = []) => (await e.ctx.db.query<T>(sql, params)).rows;

beforeAll(async () => {
  e = await startE2E({ teachers: 120 });
  // The demo opens this year's round at the demo school: set it aside so the test opens its own.
  await e.ctx.db.query(`UPDATE appraisal_rounds SET status = 'cancelled' WHERE year = $1`, [year]);
});
afterAll(async () => e?.close());

describe('年度考核 in the browser', () => {
  it('a school runs an appraisal round to 公示', async () => {
    const school = await orgOfUser(e.ctx.db, 'school.admin');
    const title = `E2E ${year} 年度教师考核`;
    const sch = await newPage(e);
    await uiLogin(sch.page, 'school.admin', DEMO_PASSWORD);
    await sch.page.goto('/appraisals');
    await sch.page.getByRole('button', { name: '开展年度考核' }).click({ timeout: 60_000 });
    const create = sch.page.locator('.ant-modal', { hasText: '开展年度考核' });
    await create.getByLabel('名称').fill(title);
    await shot(sch.page, 'appraisals-01-open-round');
    await create.getByRole('button', { name: '开展' }).click();
    await dialogCloses(create);
    await sch.page.locator('.ant-card-head-title', { hasText: title }).waitFor({ timeout: 60_000 });
    const round = (await rows<{ id: number }>('SELECT id FROM appraisal_rounds WHERE title = $1', [title]))[0].id;

    // ---------------------------------------------------------------- the teacher writes the 个人述职 on a phone
    const me = (
      await rows<{ id: number; name: string }>(`SELECT t.id, t.name FROM users u JOIN teachers t ON t.id = u.teacher_id WHERE u.username = 'teacher'`)
    )[0];
    const inRound = await rows(`SELECT 1 FROM appraisal_entries WHERE round_id = $1 AND teacher_id = $2`, [round, me.id]);
    expect(inRound.length, 'the demo teacher is in the demo school’s round').toBe(1);
    const phone = await newPage(e, { width: 390, height: 844 });
    await uiLogin(phone.page, 'teacher', DEMO_PASSWORD);
    await phone.page.goto('/my/appraisal');
    const card = phone.page.locator('[data-testid="my-appraisal-round"]', { hasText: title });
    await card.getByLabel(/个人述职/).fill('本年度担任语文教学，完成校本研修和每学期学业述评，家访 4 户。', { timeout: 60_000 });
    await card.getByRole('button', { name: '提交述职' }).click();
    await phone.page.getByText('个人述职已提交').waitFor();
    await shot(phone.page, 'appraisals-02-teacher-self-report');

    // ---------------------------------------------------------------- the school grades and publishes the 公示
    // Every other teacher graded 合格 beforehand (a school grades over days; the page's grade select is what is tested).
    await e.ctx.db.query(`UPDATE appraisal_entries SET grade = 'qualified', graded_at = now() WHERE round_id = $1 AND teacher_id <> $2`, [round, me.id]);
    await sch.page.reload();
    const row = sch.page.getByRole('row', { name: new RegExp(me.name) });
    await row.getByText('本年度担任语文教学').waitFor({ timeout: 60_000 });
    await row.locator('.ant-select').click();
    await sch.page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="合格"]').click();
    await sch.page.getByText(`${me.name}：已评为合格`).waitFor();
    await sch.page.getByRole('button', { name: '公示' }).click();
    const pub = sch.page.locator('.ant-modal', { hasText: '公示考核结果' });
    await pub.getByRole('button', { name: '开始公示' }).click();
    await dialogCloses(pub);
    await sch.page.locator('[data-testid="round-status"]', { hasText: '公示中' }).waitFor();
    await shot(sch.page, 'appraisals-03-publicized');
    const st = await rows<{ status: string; publicity_from: string }>(`SELECT status, publicity_from::text FROM appraisal_rounds WHERE id = $1`, [round]);
    expect(st[0]).toEqual({ status: 'publicizing', publicity_from: todayInChina() });
    expect(school.id).toBeGreaterThan(0);

    // ---------------------------------------------------------------- the teacher sees the grade during the 公示
    await phone.page.reload();
    await card.getByText('考核等次：').waitFor({ timeout: 60_000 });
    await expect(card.locator('.ant-tag', { hasText: '合格' }).first().isVisible()).resolves.toBe(true);
    await card.getByText(/公示期/).waitFor();
    await shot(phone.page, 'appraisals-04-teacher-sees-grade');
  });
});
