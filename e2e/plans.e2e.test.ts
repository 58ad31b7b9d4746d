import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { todayInChina } from '../server/src/platform/china-time.js';
import { type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

// 计划报备 (issue 14 item 5) as users meet it: the demo school's admin files next year's plan (a PDF and an item)
// on 年度计划; the county bureau opens it on 计划审核 and returns it with a reason; the school sees 已退回 with the
// reason and the form for the second version.

let e: E2E;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const year = Number(todayInChina().slice(0, 4)) + 1;
const REASON = '经费预算未单列专家费，请补充后重新报送';

beforeAll(async () => {
  e = await startE2E({ teachers: 120 });
});
afterAll(async () => e?.close());

describe('计划报备 in the browser', () => {
  it('a school files its plan, the bureau returns it, the school sees the reason', async () => {
    const school = await orgOfUser(e.ctx.db, 'school.admin');
    // ---------------------------------------------------------------- the school files
    const s = await newPage(e);
    await uiLogin(s.page, 'school.admin', DEMO_PASSWORD);
    await s.page.getByRole('menuitem', { name: /年度计划/ }).click();
    await s.page.getByTestId('my-plan').waitFor();
    await s.page.goto(`/plans/mine?year=${year}`);
    await expect.poll(() => s.page.getByTestId('plan-status').innerText(), { timeout: 60_000 }).toBe('未报送');
    await s.page.getByTestId('plan-file').setInputFiles({ name: `${year}年度培训计划.pdf`, mimeType: 'application/pdf', buffer: PDF });
    await s.page.getByTestId('plan-file-done').waitFor({ timeout: 60_000 });
    await s.page.getByTestId('plan-add-item').click();
    await s.page.getByTestId('plan-item-0').getByPlaceholder('名称 / 说明').fill('新课标课堂教学能力提升');
    await s.page.getByRole('button', { name: /^报\s?送$/ }).click();
    await expect.poll(() => s.page.getByTestId('plan-status').innerText(), { timeout: 60_000 }).toBe('待审核');
    await shot(s.page, 'plans-filed');

    // ---------------------------------------------------------------- the bureau returns it
    const b = await newPage(e);
    await uiLogin(b.page, 'county.admin', DEMO_PASSWORD);
    await b.page.getByRole('menuitem', { name: /计划审核/ }).click();
    await b.page.getByTestId('plan-review').waitFor();
    await b.page.goto(`/plans/review?year=${year}`);
    const row = b.page.getByRole('row', { name: new RegExp(school.name) });
    await row.getByText('待审核').waitFor({ timeout: 60_000 });
    await row.getByRole('button', { name: /^审\s?核$/ }).click();
    const dialog = b.page.getByTestId('plan-filing');
    await dialog.getByText('新课标课堂教学能力提升').waitFor({ timeout: 60_000 });
    await dialog.getByTestId('plan-reason').fill(REASON);
    await dialog.getByRole('button', { name: /^退\s?回$/ }).click();
    await row.getByText('已退回').waitFor({ timeout: 60_000 });
    await expect.poll(() => row.innerText()).toContain(REASON);
    await shot(b.page, 'plans-returned');

    // ---------------------------------------------------------------- the school sees the reason
    await s.page.reload();
    await expect.poll(() => s.page.getByTestId('plan-status').innerText(), { timeout: 60_000 }).toBe('已退回');
    await expect.poll(() => s.page.getByTestId('plan-return-reason').innerText()).toBe(`退回原因：${REASON}`);
    await s.page.getByText('修改后重新报送（第 2 版）').waitFor();
    await shot(s.page, 'plans-school-sees-reason');
    await s.context.close();
    await b.context.close();
  }, 300_000);
});
