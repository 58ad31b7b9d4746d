import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { attachDemoPolicies } from '../server/src/modules/policies/policies.service.js';
import { type E2E, newPage, shot, startE2E, uiLogin } from './support.js';

// 职称 (issue 14 item 3) as a teacher meets it: 我的职称申报条件 on a phone shows 可申报 or 还差 … with the reasons and
// their citations, and the 学时证明 downloads as a PDF with content. Then the school admin filters the school's list.

let e: E2E;

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  await attachDemoPolicies(e.ctx.db); // as `npm start` does after seeding
});
afterAll(async () => e?.close());

describe('职称申报条件', () => {
  it('a teacher sees 可申报 / 还差 and downloads the 学时证明 (a PDF with content)', async () => {
    const { context, page } = await newPage(e, { width: 390, height: 844 });
    try {
      await uiLogin(page, 'teacher', DEMO_PASSWORD);
      await page.goto('/my/title');
      const card = page.getByTestId('title-eligibility');
      await card.waitFor();
      const tag = card.locator('.ant-tag').first();
      await expect.poll(async () => (await tag.textContent()) ?? '', { timeout: 30_000 }).toMatch(/^(可申报|还差 \d+ 项)$/);
      const text = (await tag.textContent()) ?? '';
      if (text.startsWith('还差')) {
        // Every reason is listed; the ones from the policy carry their source.
        const n = Number(/\d+/.exec(text)?.[0]);
        await expect.poll(() => card.locator('.ant-list-item').count()).toBe(n);
      } else await card.getByText(/符合申报.*各项条件/).waitFor();
      await card.getByText(/规则来源/).waitFor();
      await shot(page, 'titles-1-teacher-phone');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载学时证明/ }).click()]);
      expect(download.suggestedFilename()).toMatch(/^继续教育学时证明_.*\.pdf$/);
      const file = await download.path();
      const pdf = readFileSync(file);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(5000);
      const logged = await e.ctx.db.query(
        `SELECT a.detail FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.action = 'titles.hoursProof' AND u.username = 'teacher'`,
      );
      expect(logged.rows.length).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('the school admin filters its teachers by 可申报 / 还差', async () => {
    const { context, page } = await newPage(e);
    try {
      await uiLogin(page, 'school.admin', DEMO_PASSWORD);
      await page.goto('/titles');
      const summary = page.getByText(/基准日 .*：\d+ 人，其中可申报 \d+ 人/);
      await summary.waitFor({ timeout: 60_000 });
      const all = Number(/：(\d+) 人/.exec((await summary.textContent()) ?? '')?.[1]);
      expect(all).toBeGreaterThan(0);
      await page.getByLabel('申报状态').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '还差' }).click();
      await expect.poll(async () => /，其中可申报 (\d+) 人/.exec((await page.getByText(/其中可申报/).textContent()) ?? '')?.[1], { timeout: 60_000 }).toBe('0');
      await page.getByRole('tab', { name: '评审年度' }).click();
      await page.getByText(/年度中小学教师职称评审/).waitFor();
      await shot(page, 'titles-2-school-rounds');
    } finally {
      await context.close();
    }
  });
});
