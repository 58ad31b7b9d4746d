import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { newPage, shot, startE2E, type E2E, uiLogin } from './support.js';

// Issue 10 item 4 (教师档案) as users meet it: a teacher on a phone adds a 职称 with a photo of the certificate and
// 报送s it; the school's 信息管理员 (school.admin, switched to that role) reviews it at 1366×768 — before/after and the
// evidence — and approves it; the teacher sees it 已生效, and the record no longer says 没有职称记录.

let e: E2E;
let teacherName: string;

// A 1×1 PNG: a photo of the certificate.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  teacherName = (await e.ctx.db.query<{ name: string }>(`SELECT t.name FROM users u JOIN teachers t ON t.id = u.teacher_id WHERE u.username = 'teacher'`))
    .rows[0].name;
}, 240_000);
afterAll(async () => e?.close());

describe('teacher self-service records', () => {
  it('a teacher adds a 职称 on a phone, the 信息管理员 approves it, the teacher sees it 已生效', async () => {
    // ---------------------------------------------------------------- the teacher, 390×844
    const phone = await newPage(e, { width: 390, height: 844 });
    const p = phone.page;
    try {
      await uiLogin(p, 'teacher', DEMO_PASSWORD);
      await p.getByRole('button', { name: '打开菜单' }).click();
      await p.getByRole('menuitem', { name: /我的档案/ }).click();
      await p.waitForURL('**/my/record');
      const titleSection = p.getByTestId('section-title');
      await titleSection.getByText('暂无记录').waitFor();
      await expect(p.getByTestId('record-missing').textContent()).resolves.toContain('没有职称记录');

      await titleSection.getByRole('button', { name: '新增职称' }).click();
      const drawer = p.getByRole('dialog').filter({ hasText: '新增职称' });
      await drawer.waitFor();
      // 报送 without filling in: field messages in Chinese, nothing sent.
      await drawer.getByRole('button', { name: '报送审核' }).click();
      const errors = drawer.locator('.ant-form-item-explain-error');
      await errors.filter({ hasText: '请选择职称等级' }).waitFor();
      await errors.filter({ hasText: '请选择取得时间' }).waitFor();

      await drawer.getByLabel('职称等级').click();
      await p.getByTitle('一级教师').click();
      const date = drawer.getByLabel('取得时间');
      await date.click();
      await date.fill('2021-09-01');
      await date.press('Enter');
      await drawer.getByLabel('评审/发证单位').fill('内蒙古自治区中小学教师职称评审委员会');
      await drawer.locator('input[type=file]').setInputFiles({ name: '职称证书.png', mimeType: 'image/png', buffer: PNG });
      await drawer.getByText('职称证书.png').waitFor();
      await shot(p, 'records-phone-form');
      // The drawer fits the phone: nothing wider than the screen.
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await drawer.getByRole('button', { name: '报送审核' }).click();
      await p.getByText('已报送，等待学校信息管理员审核').waitFor();
      const pending = p.locator('[data-testid^="change-"]').filter({ hasText: '一级教师' });
      await pending.getByText('待审核').waitFor();
      await shot(p, 'records-phone-pending');

      // ---------------------------------------------------------------- the school's 信息管理员, 1366×768
      const desk = await newPage(e, { width: 1366, height: 768 });
      const d = desk.page;
      try {
        await uiLogin(d, 'school.admin', DEMO_PASSWORD);
        await d.getByTestId('user-menu').click();
        await d.getByTestId('switch-role-infoAdmin').click();
        await d.getByText('已切换为').waitFor();
        await d.getByRole('menuitem', { name: /档案审核/ }).click();
        await d.waitForURL('**/records/review');
        const row = d.locator('tr').filter({ hasText: teacherName }).filter({ hasText: '职称' });
        await row.getByRole('button', { name: '一级教师' }).click();
        const review = d.getByRole('dialog').filter({ hasText: '档案变更审核' });
        const compare = review.getByTestId('change-compare');
        await compare.getByText('一级教师').waitFor();
        await compare.getByText('2021-09-01').waitFor();
        // The evidence is there to look at (the image, served to the reviewer).
        const img = review.locator('img[alt="职称证书.png"]');
        await img.waitFor();
        await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1);
        await shot(d, 'records-review');
        await review.getByRole('button', { name: '审核通过' }).click();
        await d.getByText('已审核通过，变更已生效').waitFor();
      } finally {
        await desk.context.close();
      }

      // ---------------------------------------------------------------- back on the phone: 已生效
      await p.reload();
      const entry = p.getByTestId('section-title').locator('.ant-list-item').filter({ hasText: '一级教师' });
      await entry.getByText('已生效').waitFor();
      await entry.getByText('职称证书.png').waitFor();
      await expect(p.getByTestId('record-missing').textContent()).resolves.not.toContain('没有职称记录');
      await shot(p, 'records-phone-approved');
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await phone.context.close();
    }
  }, 180_000);
});
