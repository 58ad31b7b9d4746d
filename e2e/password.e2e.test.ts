import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { createSession } from '../server/src/platform/auth.js';
import { newPage, shot, startE2E, uiLogin, type E2E } from './support.js';

// 修改密码 on a phone: a teacher (an account only this test uses) opens the user menu, the form refuses
// a weak password and a wrong current one, accepts a good one, and the new password is the one that logs in.

let e: E2E;
/** A demo teacher's own account (every demo teacher has one), used by this test only. */
let USERNAME = '';
const NEW_PASSWORD = 'Qiangshi2026';
/** A second session of the same teacher (another phone), which the change must end. */
let otherCookie = '';

beforeAll(async () => {
  e = await startE2E({ teachers: 60 });
  const u = (
    await e.ctx.db.query<{ id: number; username: string }>(
      `SELECT u.id, u.username FROM users u WHERE u.teacher_id IS NOT NULL AND u.username LIKE 't%' AND u.username <> 'teacher'
          AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role <> 'teacher')
        ORDER BY u.id LIMIT 1`,
    )
  ).rows[0];
  USERNAME = u.username;
  otherCookie = `qs_session=${(await createSession(e.ctx.db, u.id)).token}`;
});
afterAll(async () => e?.close());

const me = (cookie: string) => fetch(`${e.baseUrl}/api/auth/me`, { headers: { cookie } });

async function openUserMenuItem(page: Page, item: string) {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: item }).click();
}

describe('修改密码 (phone)', () => {
  it('a teacher changes the password, logs out and logs in with the new one', async () => {
    const { context, page } = await newPage(e, { width: 390, height: 844 });
    page.setDefaultTimeout(60_000);
    try {
      await uiLogin(page, USERNAME, DEMO_PASSWORD);
      expect((await me(otherCookie)).status).toBe(200);

      await openUserMenuItem(page, '修改密码');
      const dialog = page.getByRole('dialog', { name: '修改密码' });
      await dialog.waitFor();

      // Client-side checks, the same rules as the server's.
      await dialog.getByLabel('当前密码', { exact: true }).fill(DEMO_PASSWORD);
      await dialog.getByLabel('新密码', { exact: true }).fill('abcdefgh');
      await dialog.getByLabel('确认新密码', { exact: true }).fill('abcdefgx');
      await dialog.getByRole('button', { name: '确定修改' }).click();
      await expect
        .poll(() => dialog.locator('.ant-form-item-explain-error').allInnerTexts())
        .toEqual(expect.arrayContaining(['新密码至少 8 位，且须包含大写字母、小写字母、数字、符号中的至少 3 类', '两次输入的新密码不一致']));
      await shot(page, 'password-phone-client-check');

      // A wrong current password: the server's answer lands on the 当前密码 field.
      await dialog.getByLabel('当前密码', { exact: true }).fill('NotMyPassword1');
      await dialog.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
      await dialog.getByLabel('确认新密码', { exact: true }).fill(NEW_PASSWORD);
      await dialog.getByRole('button', { name: '确定修改' }).click();
      await dialog.getByText('当前密码不正确').waitFor();

      await dialog.getByLabel('当前密码', { exact: true }).fill(DEMO_PASSWORD);
      await dialog.getByRole('button', { name: '确定修改' }).click();
      await page.getByText('密码已修改').waitFor();
      await dialog.waitFor({ state: 'hidden' });
      await shot(page, 'password-phone-changed');

      // This session still works; the other phone's session has ended.
      expect((await page.request.get('/api/auth/me')).status()).toBe(200);
      expect((await me(otherCookie)).status).toBe(401);

      await openUserMenuItem(page, '退出登录');
      await page.waitForURL((u) => u.pathname.startsWith('/login'));

      // The old password no longer logs in; the new one does.
      await page.getByPlaceholder('用户名').fill(USERNAME);
      await page.getByPlaceholder('密码').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByTestId('login-error').getByText('账号或密码错误').waitFor();
      await uiLogin(page, USERNAME, NEW_PASSWORD);
      await page.getByTestId('user-menu').waitFor();
      expect((await page.request.get('/api/auth/me').then((r) => r.json())) as { username: string }).toMatchObject({ username: USERNAME });
      await shot(page, 'password-phone-relogin');
    } catch (err) {
      await shot(page, 'password-phone-failure').catch(() => undefined);
      throw err;
    } finally {
      await context.close();
    }
  });
});
