import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { dayOf, isoOf } from '../server/src/demo/calendar.js';
import { type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';
import { todayInChina } from '../server/src/platform/china-time.js';

/** The end date typed: a month before today (the demo data lives in today), after the role began. */
const END = isoOf(dayOf(todayInChina()) - 30);

// 时间线 on the teacher page (issue 10 item 1): a school admin ends a teacher's 班主任 role with a date picked
// on the timeline; the role row is kept with its end date (not deleted) and the timeline shows it ended.

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 120 });
});
afterAll(async () => e?.close());

describe('时间线, in the browser', () => {
  it('a school admin ends a role with a date; the row is kept and shown ended', async () => {
    const school = await orgOfUser(e.ctx.db, 'school.admin');
    const row = (
      await e.ctx.db.query<{ id: number; teacher_id: number }>(
        `SELECT r.id, r.teacher_id FROM teacher_roles r JOIN teachers t ON t.id = r.teacher_id
          WHERE t.org_id = $1 AND t.status = 'active' AND r.role = 'homeroom' AND r.until IS NULL AND r.superseded_at IS NULL
            AND (r.since IS NULL OR r.since < $2) ORDER BY r.id LIMIT 1`,
        [school.id, END],
      )
    ).rows[0];
    expect(row).toBeDefined();
    const { context, page } = await newPage(e, { width: 1366, height: 900 });
    page.setDefaultTimeout(60_000);
    try {
      await uiLogin(page, 'school.admin', DEMO_PASSWORD);
      await page.goto(`/teachers/${row.teacher_id}`);
      await page.getByRole('tab', { name: '时间线' }).click();
      const fact = page.getByTestId(`fact-role-${row.id}`);
      await fact.waitFor();
      await fact.getByRole('button', { name: '结束' }).click();
      const picker = page.locator('.ant-modal').getByPlaceholder('选择日期');
      await picker.click();
      await picker.fill(END);
      // Enter picks the typed date and submits the form (as the 确定 button does).
      await picker.press('Enter');
      await page.getByText('已结束该任职').waitFor();
      await fact.getByText(`至 ${END}`).waitFor();
      await shot(page, 'timeline-01-role-ended');
      const after = await e.ctx.db.query<{ until: string }>(`SELECT until::text FROM teacher_roles WHERE id = $1`, [row.id]);
      expect(after.rows[0].until).toBe(END);
    } finally {
      await context.close();
    }
  });
});
