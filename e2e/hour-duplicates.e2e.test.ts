import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { recordLedgerEntries } from '../server/src/modules/ledger/ledger.service.js';
import { dialogCloses, type E2E, newPage, shot, startE2E, uiLogin } from './support.js';

type Page = Awaited<ReturnType<typeof newPage>>;

// Issue 11 item 4 in the browser: the duplicate-hours warning and the decision on it; the partial approval
// with its reason, confirmed with what will be written, and visible to the teacher.

let e: E2E;
let teacherId: number;
beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  teacherId = (await e.ctx.db.query<{ teacher_id: number }>(`SELECT teacher_id FROM users WHERE username = 'teacher'`)).rows[0].teacher_id;
});
afterAll(async () => e?.close());

const PDF = '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n';

describe('duplicate hours and partial approval, in the browser', () => {
  let t: Page;
  let s: Page;
  let partial: number;

  it('the school reviewer sees 可能重复 with the platform-import match and rejects the claim as a duplicate', async () => {
    // The teacher already has these hours from a platform import.
    await recordLedgerEntries(e.ctx.db, [
      {
        teacherId,
        hours: 8,
        category: 'subject',
        occurredOn: '2026-10-20',
        sourceType: 'import',
        sourceRef: '国家中小学智慧教育平台:e2e.xlsx:第2行',
        description: '国家中小学智慧教育平台：大概念视域下的单元整体教学研修（2026年）',
        dedupeKey: 'import:e2e:duplicate-hours',
      },
    ]);
    t = await newPage(e);
    await uiLogin(t.page, 'teacher', DEMO_PASSWORD);
    const claim = (title: string, hours: number, occurredOn: string) =>
      t.page.evaluate(
        async ({ title, hours, occurredOn, pdf }) => {
          const json = { 'content-type': 'application/json' };
          const c = await (
            await fetch('/api/claims', { method: 'POST', headers: json, body: JSON.stringify({ title, category: 'subject', hours, occurredOn }) })
          ).json();
          const fd = new FormData();
          fd.append('file', new Blob([pdf], { type: 'application/pdf' }), '结业证书.pdf');
          await fetch(`/api/claims/${c.id}/files`, { method: 'POST', body: fd });
          const s = await fetch(`/api/claims/${c.id}/transitions`, { method: 'POST', headers: json, body: JSON.stringify({ action: 'submit' }) });
          if (!s.ok) throw new Error(await s.text());
          return c.id as number;
        },
        { title, hours, occurredOn, pdf: PDF },
      );
    const dup = await claim('大概念单元整体教学研修', 8, '2026-10-22');
    partial = await claim('跨学科主题学习设计工作坊', 10, '2026-11-05');

    // The school reviewer: the list tags the claim, the detail names the match and its source.
    s = await newPage(e);
    await uiLogin(s.page, 'school.admin', DEMO_PASSWORD);
    await s.page.getByRole('menuitem', { name: /申报审核/ }).click();
    const row = s.page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '大概念单元整体教学研修' });
    await expect.poll(() => row.getByTestId('duplicate-tag').count(), { timeout: 30_000 }).toBe(1);
    await row.getByRole('link', { name: '大概念单元整体教学研修' }).click();
    const warning = s.page.getByTestId('claim-duplicates');
    await expect.poll(() => warning.textContent(), { timeout: 30_000 }).toContain('可能重复');
    expect(await warning.textContent()).toContain('平台导入');
    expect(await warning.textContent()).toContain('大概念视域下的单元整体教学研修（2026年）');
    // The evidence is previewed in the page.
    await expect.poll(() => s.page.locator('iframe[title="预览：结业证书.pdf"]').count()).toBe(1);
    await shot(s.page, 'duplicates-01-warning');
    await warning.getByRole('button', { name: '按重复驳回' }).click();
    const dialog = s.page.getByRole('dialog');
    expect(await dialog.getByRole('textbox').inputValue()).toContain('重复申报');
    await dialog
      .getByRole('button', { name: '确 定' })
      .or(dialog.getByRole('button', { name: '确定' }))
      .click();
    await dialogCloses(dialog);
    await expect.poll(() => s.page.getByTestId('claim-status').textContent(), { timeout: 30_000 }).toBe('已驳回');
    expect(
      Number((await e.ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries WHERE dedupe_key = $1`, [`claim:${dup}`])).rows[0].n),
    ).toBe(0);
  });

  it('a partial approval with its reason; the final approval shows what will be written and asks to confirm; the teacher sees the reason', async () => {
    // Partial approval at the school step, with the reason.
    await s.page.goto(`/claims/${partial}`);
    await s.page.getByRole('button', { name: '学校审核通过' }).click();
    const approve = s.page.getByRole('dialog');
    await approve.getByRole('spinbutton', { name: '认定学时' }).fill('6');
    await approve.getByRole('textbox', { name: '审核意见' }).fill('结业证书载明 6 学时');
    await approve.getByRole('button', { name: /确认通过/ }).click();
    await dialogCloses(approve);
    await expect.poll(() => s.page.getByTestId('claim-status').textContent(), { timeout: 30_000 }).toBe('待区县审核');
    await s.context.close();

    // The county's final approval shows what will be written and asks to confirm.
    const c = await newPage(e);
    await uiLogin(c.page, 'county.admin', DEMO_PASSWORD);
    await c.page.goto(`/claims/${partial}`);
    await c.page.getByRole('button', { name: '区县审核通过' }).click();
    const final = c.page.getByRole('dialog');
    await expect.poll(() => final.getByTestId('ledger-summary').textContent(), { timeout: 30_000 }).toMatch(/^将写入学时：.+ 6 学时（学科教学，2026 年度/);
    await shot(c.page, 'duplicates-02-final-confirm');
    await final.getByRole('button', { name: /确认写入/ }).click();
    await dialogCloses(final);
    await expect.poll(() => c.page.getByTestId('claim-status').textContent(), { timeout: 30_000 }).toBe('已认定');
    await c.context.close();

    // The teacher sees the approved hours and the reason.
    await t.page.goto(`/claims/${partial}`);
    await expect.poll(() => t.page.getByTestId('claim-approved-hours').textContent(), { timeout: 30_000 }).toBe('认定 6（申报 10）');
    expect(await t.page.getByTestId('claim-hours-reason').textContent()).toBe('结业证书载明 6 学时');
    await shot(t.page, 'duplicates-03-teacher-partial');
    await t.context.close();
  });
});
