import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dialogCloses, newPage, shot, startE2E, uiLogin, type E2E } from './support.js';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';

/**
 * Fewer clicks for organisers (issue 11 item 3), as the county admin clicks it: its own project opens with
 * one button (提交并开放报名), quotas are split by formula in one table with a preview, and attendance is
 * marked for everyone (全部签到) and for selected rows (批量标记) in one action each.
 */
let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 200 });
});
afterAll(async () => e?.close());

async function apiCall<T>(page: Page, method: 'GET' | 'POST' | 'PUT', url: string, data?: unknown): Promise<T> {
  const r = await page.request.fetch(url, { method, data: data as object, headers: { 'content-type': 'application/json' } });
  const body = await r.text();
  if (!r.ok()) throw new Error(`${method} ${url}: ${r.status()} ${body}`);
  return (body ? JSON.parse(body) : undefined) as T;
}

describe('organiser shortcuts', () => {
  it('opens its own project in one action, splits quotas by formula, marks attendance in bulk', async () => {
    const { page } = await newPage(e);
    await uiLogin(page, 'county.admin', DEMO_PASSWORD);
    const p = await apiCall<{ id: number }>(page, 'POST', '/api/projects', {
      name: '区级新教师师德专题培训',
      level: 'county',
      form: 'inPerson',
      audience: { stages: [], subjects: [], roles: [], titles: [] },
      capacity: 100,
      budget: 10000,
      plan: [{ title: '思想政治和师德师风', hours: 4, category: 'ethics' }],
      startDate: '2026-12-01',
      endDate: '2027-06-30',
      selfEnrol: false,
    });

    // 提交并开放报名: one button, one confirmation listing the steps.
    await page.goto(`/projects/${p.id}`);
    await page.getByTestId('fast-track').click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.getByTestId('fast-track-steps').getByText('方案审核通过').waitFor();
    await confirm.getByRole('button', { name: '提交并开放报名' }).click();
    await dialogCloses(confirm);
    await page.getByTestId('project-status').getByText('报名中').waitFor();
    const history = await apiCall<{ actionLabel: string }[]>(page, 'GET', `/api/projects/${p.id}/history`);
    expect(history.filter((h) => h.actionLabel.endsWith('（一并办理）'))).toHaveLength(5);

    // 按公式分配: 10 seats evenly over the county's schools, previewed in the table, then saved.
    await page.getByRole('tab', { name: '名额分配' }).click();
    await page.getByTestId('bulk-quotas').click();
    const bulk = page.getByTestId('quota-bulk');
    await bulk.getByLabel('名额总数').fill('10');
    await bulk.getByTestId('split-method').getByText('平均分配').click();
    await bulk.getByTestId('split-compute').click();
    await bulk.getByTestId('split-preview').waitFor();
    await expect.poll(() => bulk.getByTestId('quota-bulk-sum').innerText()).toContain('合计 10 人');
    await shot(page, 'organiser-quota-split');
    await bulk.getByTestId('quota-bulk-save').click();
    await page.getByTestId('quotas-top').getByTestId('bulk-quotas').waitFor();
    const quotas = await apiCall<{ allocated: number; items: { quota: number }[] }>(page, 'GET', `/api/projects/${p.id}/quotas`);
    expect(quotas.allocated).toBe(10);
    expect(quotas.items.length).toBeGreaterThan(1);

    // Attendance: a session and three enrolled teachers (setup through the API).
    const session = await apiCall<{ id: number }>(page, 'POST', `/api/projects/${p.id}/sessions`, {
      title: '开班式与师德第一讲',
      date: '2026-12-10',
      startTime: '09:00',
      endTime: '11:00',
      place: '区教师发展中心报告厅',
      hours: 2,
      category: 'ethics',
    });
    const teachers = await apiCall<{ items: { id: number }[] }>(page, 'GET', '/api/teachers?pageSize=3&status=active');
    const enrolled = await apiCall<{ added: number }>(page, 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: teachers.items.map((t) => t.id) });
    expect(enrolled.added).toBe(3);
    await page.reload();
    await page.getByRole('tab', { name: /场次/ }).click();
    await page.getByTestId('session-table').getByRole('button', { name: '考勤' }).click();
    // The drawer: its table, the batch bar and the counter (testids; antd's drawer markup is not part of the test).
    const table = page.getByTestId('attendance-table');
    const bar = page.getByTestId('attendance-batch');
    const rows = table.locator('tr.ant-table-row');
    await table.waitFor();
    await shot(page, 'organiser-attendance-open');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(3);

    // 全部签到: every enrolled teacher present in one action.
    await bar.getByTestId('mark-all-present').click();
    const all = page.locator('.ant-modal-confirm');
    await all.getByRole('button', { name: '全部标记出勤' }).click();
    await dialogCloses(all);
    await page.getByText('已到 3 / 3 人').waitFor();

    // 批量标记: two selected rows marked 缺勤 in one action.
    await rows.nth(0).locator('input[type="checkbox"]').check();
    await rows.nth(1).locator('input[type="checkbox"]').check();
    await bar.getByTestId('mark-absent').click();
    await page.getByText('已到 1 / 3 人').waitFor();
    await shot(page, 'organiser-batch-attendance');
    const att = await apiCall<{ items: { present: boolean }[] }>(page, 'GET', `/api/sessions/${session.id}/attendance`);
    expect(att.items.filter((a) => a.present)).toHaveLength(1);
    await expect
      .poll(async () => (await bar.getByTestId('export-session-attendance').getAttribute('href')) ?? '')
      .toContain(`/api/sessions/${session.id}/attendance.xlsx`);
  });
});
