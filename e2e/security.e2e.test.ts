import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { setSettingsAsSystem } from '../server/src/modules/security/security.service.js';
import { newPage, shot, startE2E, uiLogin, type E2E } from './support.js';

// 安全管理, 审计日志 and the second factor in the browser: the 安全管理员 sees that the demo does not require
// TOTP and unlocks a locked account; the 审计管理员 opens /audit, reads an entry and runs the chain check
// (which finds a row altered in SQL); with TOTP required an admin binds an authenticator on a phone (the
// secret read from the page, the code computed with otplib) and signs in again with a code.

let e: E2E;
/** The UI answers within seconds; a loaded test machine may take longer. */
const POLL = { timeout: 30_000 };

beforeAll(async () => {
  e = await startE2E({ teachers: 60 });
});
afterAll(async () => e?.close());

const totp = (secret: string, offset = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });

describe('安全管理 (desktop)', () => {
  it('says TOTP is off in the demo, and unlocks a locked account', async () => {
    // A teacher account locked by five wrong passwords.
    const teacher = (
      await e.ctx.db.query<{ username: string }>(`SELECT username FROM users WHERE username LIKE 't%' AND teacher_id IS NOT NULL ORDER BY id LIMIT 1`)
    ).rows[0].username;
    for (let i = 0; i < 5; i++) {
      await fetch(`${e.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: teacher, password: `Wrong${i}pass!` }),
      });
    }
    const { context, page } = await newPage(e, { width: 1366, height: 768 });
    page.setDefaultTimeout(60_000);
    try {
      await uiLogin(page, 'security.admin', DEMO_PASSWORD);
      await page.waitForURL('**/security');
      await expect.poll(() => page.getByTestId('totp-status').innerText(), POLL).toContain('当前未要求管理员使用动态口令');
      // The city's 安全管理员 is the topmost one (nobody administers the province above): the form is theirs.
      await page.getByRole('button', { name: '发布新策略' }).waitFor();
      await shot(page, 'security-settings');
      await page.getByRole('tab', { name: '账号锁定与动态口令' }).click();
      const unlock = page.getByTestId(`unlock-${teacher}`);
      await unlock.click();
      await page.getByText(`（${teacher}）`).first().waitFor();
      await unlock.waitFor({ state: 'detached' });
      const r = await fetch(`${e.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: teacher, password: DEMO_PASSWORD }),
      });
      expect(r.status).toBe(200);
      await page.getByRole('tab', { name: '登录失败记录' }).click();
      await expect.poll(() => page.getByTestId('failed-logins').innerText(), POLL).toContain('账号被锁定');
      await shot(page, 'security-failed-logins');
    } finally {
      await context.close();
    }
  });
});

describe('审计日志 (desktop)', () => {
  it('the auditor filters, opens an entry and runs the chain check, which finds a row altered in SQL', async () => {
    const { context, page } = await newPage(e, { width: 1366, height: 768 });
    page.setDefaultTimeout(60_000);
    try {
      await uiLogin(page, 'auditor', DEMO_PASSWORD);
      await page.waitForURL('**/audit');
      const table = page.getByTestId('audit-table');
      await expect.poll(() => table.innerText(), POLL).toContain('登录成功');
      await page.getByTestId('audit-user').fill('security.admin');
      await page.getByRole('button', { name: '查询' }).click();
      await expect.poll(() => table.innerText(), POLL).toContain('解锁账号');
      await table.getByText('解锁账号').first().click();
      await page.getByTestId('audit-detail').getByText('account.unlock').waitFor();
      await shot(page, 'audit-detail');
      await page.keyboard.press('Escape');

      await page.getByTestId('chain-check').click();
      await expect.poll(() => page.getByTestId('chain-ok').innerText(), POLL).toContain('校验通过');
      await shot(page, 'audit-chain-ok');
      await page.getByTestId('chain-close').click();

      // Behind the application's back: a DBA switches the trigger off and rewrites a row.
      const db = e.ctx.db;
      const row = (await db.query<{ id: number }>(`SELECT id FROM audit_log WHERE action = 'account.unlock' ORDER BY id LIMIT 1`)).rows[0].id;
      await db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_retention');
      await db.query(`UPDATE audit_log SET ip = '8.8.8.8' WHERE id = $1`, [row]);
      await db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_retention');

      await page.getByTestId('chain-check').click();
      await expect.poll(() => page.getByTestId('chain-broken').innerText(), POLL).toContain(`（编号 ${row}）的内容被修改`);
      await shot(page, 'audit-chain-broken');
    } finally {
      await context.close();
    }
  });
});

describe('动态口令 (phone)', () => {
  it('an admin with TOTP required binds an authenticator, then signs in with a code', async () => {
    await setSettingsAsSystem(e.ctx, { totpRequired: true }, '浏览器测试：要求管理员使用动态口令');
    const { context, page } = await newPage(e, { width: 390, height: 844 });
    page.setDefaultTimeout(60_000);
    try {
      await uiLogin(page, 'county.admin', DEMO_PASSWORD);
      await page.getByTestId('totp-enrol').waitFor();
      await page.getByTestId('totp-qr').waitFor();
      const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await shot(page, 'totp-enrol-phone');
      await page.getByTestId('totp-code').fill(await totp(secret));
      await page.getByRole('button', { name: '完成绑定' }).click();
      const codes = page.getByTestId('recovery-codes');
      await codes.waitFor();
      expect((await codes.innerText()).match(/[2-9A-Z]{5}-[2-9A-Z]{5}/g)).toHaveLength(10);
      await shot(page, 'totp-recovery-codes-phone');
      await page.getByTestId('totp-done').click();
      await page.getByTestId('user-menu').waitFor();

      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: '退出登录' }).click();
      await page.waitForURL('**/login**');

      // Signing in again: the password, then the code (of the next 30-second step: the enrolment used this one).
      await uiLogin(page, 'county.admin', DEMO_PASSWORD);
      await page.getByTestId('totp-verify').waitFor();
      await page.getByTestId('totp-code').fill(await totp(secret, 1));
      await page.getByRole('button', { name: '验证并登录' }).click();
      await page.getByTestId('user-menu').waitFor();
      expect((await page.request.get('/api/auth/me')).status()).toBe(200);
      const me = (await (await page.request.get('/api/auth/me')).json()) as { secondFactor: string | null; username: string };
      expect(me).toMatchObject({ username: 'county.admin', secondFactor: null });
      await shot(page, 'totp-signed-in-phone');
    } finally {
      await context.close();
    }
  });
});
