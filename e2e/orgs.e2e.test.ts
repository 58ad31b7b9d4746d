import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

// 组织机构管理 in the browser (issue 8 item 1): a bureau admin creates a school below its county (a wrong
// 学校标识码 is refused on the form) and moves a teacher into it through the teacher's edit form.

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 120 });
});
afterAll(async () => e?.close());

const NAME = '新城实验学校';

describe('组织机构管理, in the browser', () => {
  it('a bureau admin creates a school and moves a teacher into it', async () => {
    const county = await orgOfUser(e.ctx.db, 'county.admin');
    const teacher = (
      await e.ctx.db.query<{ id: number; name: string }>(
        `SELECT t.id, t.name FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE o.path LIKE $1 || '%' AND t.status = 'active' ORDER BY t.id LIMIT 1`,
        [county.path],
      )
    ).rows[0];
    const { context, page } = await newPage(e, { width: 1366, height: 768 });
    page.setDefaultTimeout(60_000);
    try {
      await uiLogin(page, 'county.admin', DEMO_PASSWORD);
      await page.goto('/orgs');
      await page.getByTestId('org-tree').waitFor();
      const detail = page.getByTestId('org-detail');
      await detail.getByRole('button', { name: /新建下级单位/ }).click();
      const form = page.getByTestId('org-form');
      await form.getByLabel('单位名称').fill(NAME);
      await form.getByLabel('单位代码').fill('E2E-NEW-SCHOOL');
      await form.getByLabel('学校类型').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="九年一贯制"]').click();
      await form.getByLabel('学校标识码').fill('12345');
      await page
        .locator('.ant-modal-footer')
        .getByRole('button', { name: /新\s*建/ })
        .click();
      await form.getByText('学校标识码应为 10 位数字').waitFor();
      await shot(page, 'orgs-01-invalid-code');
      await form.getByLabel('学校标识码').fill('1501029999');
      await page
        .locator('.ant-modal-footer')
        .getByRole('button', { name: /新\s*建/ })
        .click();
      await page.getByTestId('org-tree').getByText(NAME).waitFor();
      await expect(detail.getByText('九年一贯制').first().isVisible()).resolves.toBe(true);
      await shot(page, 'orgs-02-created');
      const school = (
        await e.ctx.db.query<{ id: number; parent_id: number; school_id_code: string }>(`SELECT id, parent_id, school_id_code FROM orgs WHERE name = $1`, [
          NAME,
        ])
      ).rows[0];
      expect(school).toMatchObject({ parent_id: county.id, school_id_code: '1501029999' });

      // The teacher's edit form: change 学校 to the new school.
      await page.goto(`/teachers/${teacher.id}/edit`);
      await page.getByLabel('学校', { exact: true }).click();
      await page.locator('.ant-select-dropdown:visible .ant-select-tree').getByTitle(NAME, { exact: true }).click();
      await page.getByRole('button', { name: /保\s*存/ }).click();
      await page.getByText('已保存').waitFor();
      const moved = await e.ctx.db.query<{ org_id: number }>('SELECT org_id FROM teachers WHERE id = $1', [teacher.id]);
      expect(moved.rows[0].org_id).toBe(school.id);

      // Back on 组织机构: the new school counts the teacher, and its history shows its creation.
      await page.goto('/orgs');
      await page.getByPlaceholder('搜索单位名称').fill(NAME);
      await page.getByTestId(`org-node-${school.id}`).click();
      await page.getByTestId(`org-node-${school.id}`).getByText('1 人').waitFor();
      await detail.getByRole('tab', { name: '历史' }).click();
      await page.getByTestId('org-history').getByText(NAME).waitFor();
      await shot(page, 'orgs-03-teacher-moved');
    } finally {
      await context.close();
    }
  });
});
