import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { newPage, orgOfUser, shot, startE2E, type E2E, uiLogin } from './support.js';

// 人员变动 (issue 10 item 5) as users meet it, at 1366×768: the school files a transfer from the teacher's page
// (人员变动 → 发起调动, the receiving school picked from the tree), the county bureau approves it on 人员变动, and
// the teacher belongs to the new school from today.

let e: E2E;
let teacher: { id: number; name: string };
let dest: { id: number; name: string };

const one = async <T>(sql: string, params: unknown[] = []) => (await e.ctx.db.query<T>(sql, params)).rows[0];

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  const school = await orgOfUser(e.ctx.db, 'school.admin');
  teacher = await one<{ id: number; name: string }>(
    `SELECT t.id, t.name FROM teachers t WHERE t.org_id = $1 AND t.status = 'active' 
        AND NOT EXISTS (SELECT 1 FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.teacher_id = t.id AND (r.role <> 'teacher' OR u.username = 'teacher')) ORDER BY t.id LIMIT 1`,
    [school.id],
  );
  dest = await one<{ id: number; name: string }>(
    `SELECT o.id, o.name FROM orgs o WHERE o.kind = 'school' AND o.closed_at IS NULL AND o.id <> $1
        AND o.parent_id = (SELECT parent_id FROM orgs WHERE id = $1) ORDER BY o.id LIMIT 1`,
    [school.id],
  );
});
afterAll(async () => e?.close());

describe('人员变动 in the browser', () => {
  it('a school files a transfer from the teacher page; the county approves it; the teacher moves', async () => {
    const viewport = { width: 1366, height: 768 };
    {
      const { context, page } = await newPage(e, viewport);
      await uiLogin(page, 'school.admin', DEMO_PASSWORD);
      await page.goto(`/teachers/${teacher.id}`);
      await page.getByTestId('teacher-moves').click();
      await page.getByRole('menuitem', { name: '发起调动' }).click();
      await page.waitForURL(/\/moves\?/);
      const modal = page.locator('.ant-modal', { hasText: '发起人员变动' });
      await modal.waitFor({ timeout: 60_000 });
      // The teacher and the kind come from the teacher page.
      await expect.poll(async () => modal.innerText(), { timeout: 60_000 }).toContain(teacher.name);
      expect(await modal.innerText()).toContain('调动');
      await modal.getByTestId('move-to-org').click();
      await page.keyboard.type(dest.name);
      await page.locator('.ant-select-tree-node-content-wrapper', { hasText: dest.name }).first().click();
      await modal.getByTestId('move-reason').fill('学校教学工作需要');
      await shot(page, 'moves-01-new-transfer');
      await page.getByTestId('move-submit').click();
      const drawer = page.getByTestId('move-drawer');
      await drawer.getByTestId('move-status').waitFor({ timeout: 60_000 });
      expect(await drawer.getByTestId('move-status').innerText()).toBe('待审批');
      await context.close();
    }
    const move = await one<{ id: number; status: string }>('SELECT id, status FROM teacher_moves WHERE teacher_id = $1', [teacher.id]);
    expect(move.status).toBe('pending');
    {
      const { context, page } = await newPage(e, viewport);
      await uiLogin(page, 'county.admin', DEMO_PASSWORD);
      await page.getByRole('menuitem', { name: /人员变动/ }).click();
      await page.waitForURL(/\/moves/);
      const row = page.locator('.ant-table-row', { hasText: teacher.name });
      await row.waitFor({ timeout: 60_000 });
      expect(await row.innerText()).toContain('待审批');
      await shot(page, 'moves-02-county-list');
      await row.click();
      const drawer = page.getByTestId('move-drawer');
      await drawer.getByTestId('move-approve').click();
      await page
        .locator('.ant-modal-confirm')
        .getByRole('button', { name: /^同\s?意$/ })
        .click();
      await expect.poll(async () => drawer.getByTestId('move-status').innerText(), { timeout: 60_000 }).toBe('已生效');
      expect(await drawer.innerText()).toContain('生效');
      await shot(page, 'moves-03-approved');
      // The list follows (the query was invalidated).
      await expect.poll(async () => page.getByTestId(`move-status-${move.id}`).innerText(), { timeout: 60_000 }).toBe('已生效');
      await context.close();
    }
    expect((await one<{ org_id: number }>('SELECT org_id FROM teachers WHERE id = $1', [teacher.id])).org_id).toBe(dest.id);
  });
});
