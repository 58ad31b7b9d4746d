import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeNationalId } from '../server/src/demo/national-ids.js';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { ARTIFACTS, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

// 账号管理 in the browser. (1) The demo school's admin imports two teachers, switches to 系统管理员, issues
// their accounts and reads an initial password off the result; on a phone, one of them signs in with
// their 身份证号 and that password, must set a new password, and reaches their home page. (2) A person
// with several roles switches between them and the menu follows.

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 120 });
});
afterAll(async () => e?.close());

const NEW_A = { name: '账号甲老师', nid: makeNationalId('150102', '1992-04-05', 901, 'female'), phone: '13900009011' };
const NEW_B = { name: '账号乙老师', nid: makeNationalId('150102', '1993-06-07', 903, 'male'), phone: '13900009033' };

async function importFile(schoolName: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('教师');
  ws.addRow(['姓名', '身份证号', '手机号', '学校', '学段', '任教学科']);
  for (const t of [NEW_A, NEW_B]) ws.addRow([t.name, t.nid, t.phone, schoolName, '小学', '语文']);
  ws.getColumn(2).numFmt = '@';
  const path = `${ARTIFACTS}/accounts-two-teachers.xlsx`;
  await wb.xlsx.writeFile(path);
  return path;
}

async function switchRole(page: Page, role: string) {
  const current = async () => ((await (await page.request.get('/api/auth/me')).json()) as { role: string }).role;
  // The dropdown re-renders when the menu badges refresh, and a click on the header before the page is interactive
  // opens nothing: the menu is opened again until the role is offered, and the switch is made again if it did not take.
  const item = page.getByTestId(`switch-role-${role}`);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await page.keyboard.press('Escape');
    await page.getByTestId('user-menu').click();
    const offered = await item.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (!offered) continue;
    await item.click({ timeout: 10_000 }).catch(() => undefined); // a menu closed under the click is opened again
    for (let i = 0; i < 20 && (await current()) !== role; i++) await page.waitForTimeout(250);
    if ((await current()) === role) return;
  }
  throw new Error(`切换到 ${role} 没有生效`);
}

/** After login: act as 系统管理员 (a new session starts in the role used last) and wait for 账号管理. */
async function asSysAdmin(page: Page) {
  const me = (await (await page.request.get('/api/auth/me')).json()) as { role: string };
  if (me.role !== 'sysAdmin') await switchRole(page, 'sysAdmin');
  await page.waitForURL(/\/accounts/);
  await page.getByTestId('accounts-page').waitFor();
}

const menuTexts = (page: Page) => page.getByTestId('main-menu').locator('.ant-menu-title-content').allInnerTexts();

describe('账号管理, in the browser', () => {
  let initialPassword = '';

  it('a school admin imports two teachers, switches to 系统管理员 and issues their accounts', async () => {
    const school = await orgOfUser(e.ctx.db, 'school.admin');
    const { context, page } = await newPage(e);
    page.setDefaultTimeout(60_000);
    try {
      await uiLogin(page, 'school.admin', DEMO_PASSWORD);
      // The import is a registry task: done in the role that has it (学校管理员, the first role).
      await page.goto('/teachers/import');
      await page.locator('input[type=file]').setInputFiles(await importFile(school.name));
      await page.getByTestId('import-preview').waitFor();
      await page.getByTestId('commit-all').click();
      await page.getByTestId('import-result').waitFor();
      const ids = (
        await e.ctx.db.query<{ id: number; name: string }>('SELECT id, name FROM teachers WHERE name = ANY($1::text[]) ORDER BY name', [
          [NEW_A.name, NEW_B.name],
        ])
      ).rows;
      expect(ids).toHaveLength(2);
      const idOf = (name: string) => ids.find((t) => t.name === name)?.id as number;

      await asSysAdmin(page);
      expect(await menuTexts(page)).toContain('账号管理');

      // Find the two new teachers (no account yet), select both and issue.
      await page.getByTestId('account-search').locator('input').fill('账号');
      await page.getByTestId('account-search').locator('input').press('Enter');
      const table = page.getByTestId('teacher-accounts');
      for (const t of [NEW_A, NEW_B])
        await table
          .getByRole('row', { name: new RegExp(t.name) })
          .getByTestId('account-status-none')
          .waitFor();
      await shot(page, 'accounts-01-before-issue');
      for (const t of [NEW_A, NEW_B])
        await table
          .getByRole('row', { name: new RegExp(t.name) })
          .locator('input[type=checkbox]')
          .check();
      await page.getByTestId('issue-selected').click();

      const result = page.getByRole('dialog').filter({ has: page.getByTestId('password-result') });
      await result.waitFor();
      const row = result.getByTestId(`issued-t${idOf(NEW_A.name)}`);
      await row.waitFor();
      initialPassword = (await row.getByTestId('initial-password').innerText()).trim();
      expect(initialPassword).toMatch(/^[A-Za-z0-9]{10}$/);
      await result.getByTestId(`issued-t${idOf(NEW_B.name)}`).waitFor();
      await shot(page, 'accounts-02-issued');

      // The 账号单: one download, an .xlsx.
      const [download] = await Promise.all([page.waitForEvent('download'), result.getByTestId('download-slip').click()]);
      expect(download.suggestedFilename()).toMatch(/^账号单-开通账号-.*\.xlsx$/);
      await expect.poll(() => result.getByTestId('download-slip').isDisabled(), { timeout: 30_000 }).toBe(true);
      await result.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
      await result.waitFor({ state: 'hidden' });
      // The list now says the accounts wait for their first sign-in.
      for (const t of [NEW_A, NEW_B])
        await table
          .getByRole('row', { name: new RegExp(t.name) })
          .getByTestId('account-status-mustChange')
          .waitFor();
      await shot(page, 'accounts-03-after-issue');
    } finally {
      await context.close();
    }
  });

  it('on a phone, the teacher signs in with their 身份证号 and the initial password, sets a new one and reaches their home page', async () => {
    expect(initialPassword).not.toBe('');
    const { context, page } = await newPage(e, { width: 390, height: 844 });
    page.setDefaultTimeout(60_000);
    try {
      await page.goto('/login');
      // 忘记密码 tells whom to ask.
      await page.getByTestId('forgot-password').click();
      await page.getByTestId('forgot-password-help').getByText('系统管理员').first().waitFor();
      await page.getByRole('button', { name: '知道了' }).click();

      await page.getByPlaceholder('用户名').fill(NEW_A.nid);
      await page.getByPlaceholder('密码').fill(initialPassword);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      const first = page.getByTestId('first-password');
      await first.waitFor();
      await shot(page, 'accounts-04-phone-first-password');
      await first.getByLabel('初始密码', { exact: true }).fill(initialPassword);
      await first.getByLabel('新密码', { exact: true }).fill('ZhangHao@2025');
      await first.getByLabel('确认新密码', { exact: true }).fill('ZhangHao@2025');
      await first.getByRole('button', { name: '设置新密码并进入' }).click();
      await page.getByRole('heading', { name: `您好，${NEW_A.name}` }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      const me = (await (await page.request.get('/api/auth/me')).json()) as { role: string; mustChangePassword: boolean };
      expect(me).toMatchObject({ role: 'teacher', mustChangePassword: false });
      await shot(page, 'accounts-05-phone-home');
    } finally {
      await context.close();
    }
  });

  it('on a phone, the 系统管理员 resets a teacher’s password and grants a role from the 角色 drawer', async () => {
    const { context, page } = await newPage(e, { width: 390, height: 844 });
    page.setDefaultTimeout(60_000);
    try {
      await uiLogin(page, 'school.admin', DEMO_PASSWORD);
      await asSysAdmin(page);
      await page.getByTestId('account-search').locator('input').fill(NEW_B.name);
      await page.getByTestId('account-search').locator('input').press('Enter');
      const id = (await e.ctx.db.query<{ id: number }>('SELECT id FROM teachers WHERE name = $1', [NEW_B.name])).rows[0].id;
      const card = page.getByTestId(`teacher-account-${id}`);
      await card.waitFor();
      await shot(page, 'accounts-07-phone-list');

      // 重置密码: confirm, then the new initial password in the phone layout.
      await card.getByTestId(`account-actions-t${id}`).click();
      await page.getByRole('menuitem', { name: '重置密码' }).click();
      await page.getByRole('button', { name: '重置密码' }).click();
      const result = page.getByRole('dialog').filter({ has: page.getByTestId('password-result') });
      const pw = (await result.getByTestId(`issued-t${id}`).getByTestId('initial-password').innerText()).trim();
      expect(pw).toMatch(/^[A-Za-z0-9]{10}$/);
      await shot(page, 'accounts-08-phone-reset');
      await result.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
      // Not downloaded: closing asks first, and the slip waits on the page.
      await page.getByRole('button', { name: '仍然关闭' }).click();
      await page.getByTestId('pending-slips').waitFor();

      // 角色: grant 信息管理员 at the school.
      await card.getByTestId(`account-actions-t${id}`).click();
      await page.getByRole('menuitem', { name: '角色' }).click();
      const drawer = page.getByTestId('roles-drawer');
      await drawer.waitFor();
      const form = drawer.getByTestId('grant-form');
      await form.getByLabel('角色').click();
      await page.getByTitle('信息管理员').click();
      await form.getByLabel('任职单位').click();
      const school = await orgOfUser(e.ctx.db, 'school.admin');
      await page.locator('.ant-select-tree').getByTitle(school.name).click();
      await drawer.getByTestId('grant-submit').click();
      await drawer.getByTestId('roles-in-force').getByText('信息管理员').waitFor();
      await shot(page, 'accounts-09-phone-roles');
      const roles = await e.ctx.db.query<{ role: string }>(
        `SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.teacher_id = $1 AND r.revoked_at IS NULL ORDER BY r.id`,
        [id],
      );
      expect(roles.rows.map((r) => r.role)).toEqual(['teacher', 'infoAdmin']);
    } finally {
      await context.close();
    }
  });

  it('a county 系统管理员 creates an account for a staff member without a teacher record; a wrong org kind is refused on the form', async () => {
    const county = await orgOfUser(e.ctx.db, 'county.admin');
    const { context, page } = await newPage(e, { width: 1366, height: 768 });
    page.setDefaultTimeout(60_000);
    try {
      await uiLogin(page, 'county.admin', DEMO_PASSWORD);
      await asSysAdmin(page);
      await page.getByRole('tab', { name: '管理员账号' }).click();
      await page.getByTestId('admin-accounts').waitFor();
      await page.getByTestId('create-admin').click();
      const form = page.getByTestId('create-admin-form');
      await form.getByLabel('用户名').fill('t123');
      await form.getByLabel('姓名').fill('何静');
      await form.getByLabel('用户名').blur();
      await form.getByText('“t + 数字”形式的用户名保留给教师账号').waitFor();
      await form.getByLabel('用户名').fill('he.jing');
      await form.getByLabel('角色').click();
      await page.getByTitle('安全管理员').click();
      await form.getByText('「安全管理员」只能设在教育局').waitFor();
      await form.getByLabel('任职单位').click();
      await page.locator('.ant-select-tree').getByTitle(county.name).click();
      await page.getByRole('dialog', { name: '新建管理员账号' }).getByRole('button', { name: '新建' }).click();
      const result = page.getByRole('dialog').filter({ has: page.getByTestId('password-result') });
      const pw = (await result.getByTestId('issued-he.jing').getByTestId('initial-password').innerText()).trim();
      expect(pw).toMatch(/^[A-Za-z0-9]{10}$/);
      await shot(page, 'accounts-10-admin-created');
      const [download] = await Promise.all([page.waitForEvent('download'), result.getByTestId('download-slip').click()]);
      expect(download.suggestedFilename()).toContain('新建管理员账号');
      await result.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
      await page.getByTestId('admin-accounts').getByText('he.jing').waitFor();
      await shot(page, 'accounts-11-admin-list');
      const r = await fetch(`${e.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'he.jing', password: pw }),
      });
      expect(r.status).toBe(200);
    } finally {
      await context.close();
    }
  });

  it('a person with several roles switches between them and the menu follows', async () => {
    const { context, page } = await newPage(e);
    page.setDefaultTimeout(60_000);
    try {
      await uiLogin(page, 'school.admin', DEMO_PASSWORD);
      await asSysAdmin(page);
      await expect.poll(() => menuTexts(page), { timeout: 30_000 }).toContain('账号管理');
      const asSys = await menuTexts(page);
      expect(asSys).toContain('账号管理');
      expect(asSys).not.toContain('培训项目');

      await switchRole(page, 'schoolAdmin');
      await expect.poll(() => menuTexts(page), { timeout: 30_000 }).toContain('培训项目');
      const asSchool = await menuTexts(page);
      expect(asSchool).not.toContain('账号管理');
      expect(asSchool).toContain('教师管理');
      await page.goto('/accounts');
      await page.getByText('您的角色无权访问此页面').waitFor();

      await switchRole(page, 'teacher');
      await expect.poll(() => menuTexts(page), { timeout: 30_000 }).toContain('我的学时');
      expect(await menuTexts(page)).not.toContain('教师管理');
      const me = (await (await page.request.get('/api/auth/me')).json()) as { role: string; permissions: string[] };
      expect(me).toMatchObject({ role: 'teacher', permissions: [] });
      await shot(page, 'accounts-06-switched-to-teacher');
    } finally {
      await context.close();
    }
  });
});
