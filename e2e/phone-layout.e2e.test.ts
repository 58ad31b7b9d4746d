import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { insertMany } from '../server/src/modules/notifications/notifications.repository.js';
import { newPage, orgOfUser, shot, startE2E, uiLogin, type E2E } from './support.js';

// Issue 11 items 7 and 8: every page a teacher or a school uses daily fits a 390×844 phone — no sideways
// scrolling of the page, nothing wider than the screen outside a scroll container, no table header squeezed
// to one character per line — and a school opens the projects its teachers attend. At 1366×768 the teacher
// list gives school names room and the expert list shows every column.

let e: E2E;
const LONG = 60_000;
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  // A message of realistic length in each inbox (a long title and body: what squeezed the column).
  const users = await e.ctx.db.query<{ id: number }>(`SELECT id FROM users WHERE username IN ('teacher', 'school.admin')`);
  await insertMany(
    e.ctx.db,
    users.rows.map((u) => u.id),
    {
      kind: 'claim',
      title: '学时申报已退回：2025年秋季学期校本研修“大单元教学设计”专题培训',
      body: '审核意见：请补充培训证书或主办单位盖章的参训证明，并核对学时与培训通知一致后重新提交。',
      link: '/my/claims',
      dedupeKey: null,
    },
  );
  // A submitted claim with a long title: the teacher's claim pages and the school's review show it.
  await e.ctx.db.query(
    `INSERT INTO hour_claims (teacher_id, title, category, hours, occurred_on, description, status, created_by, submitted_at)
     SELECT u.teacher_id, '2025年自治区中小学教师信息技术应用能力提升工程2.0整校推进专题网络研修', 'ethics', 12, '2025-11-20',
            '参加自治区教育厅组织的网络研修，完成全部课程与作业。', 'submitted', u.id, now()
       FROM users u WHERE u.username = 'teacher'`,
  );
}, 240_000);
afterAll(async () => e?.close());

interface Misfit {
  what: string;
  left: number;
  right: number;
}

/** What on the page breaks a phone layout (empty: it fits). */
async function misfits(page: Page): Promise<{ scrollWidth: number; wide: Misfit[]; squeezed: string[] }> {
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const describe = (el: Element) => {
      const cls = typeof el.className === 'string' ? el.className.split(' ').filter(Boolean).slice(0, 2).join('.') : '';
      return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    };
    // Inside a container that scrolls or clips sideways (a table's scroll body, a tab bar): not the page's width.
    const clipped = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (s.overflowX !== 'visible' && s.overflowX !== 'clip' && p.getBoundingClientRect().right <= vw + 1) return true;
        if (s.position === 'fixed') return true;
      }
      return false;
    };
    const wide: Misfit[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden' || s.position === 'fixed') continue;
      if ((r.right > vw + 1 || r.left < -1) && !clipped(el)) wide.push({ what: describe(el), left: Math.round(r.left), right: Math.round(r.right) });
    }
    // A header of several characters laid out one character per line.
    const squeezed: string[] = [];
    for (const th of Array.from(document.querySelectorAll('.ant-table-thead th'))) {
      const text = (th.textContent ?? '').replace(/\s/g, '');
      if (text.length < 2) continue;
      // The lines of the header's text (not its sort or filter icons).
      const tops = new Set<number>();
      const inTh = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      for (let n = inTh.nextNode(); n; n = inTh.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const x of Array.from(range.getClientRects())) if (x.width > 0) tops.add(Math.round(x.top));
      }
      if (tops.size > 1 && text.length / tops.size < 2.5) squeezed.push(`${text} (${tops.size} 行)`);
    }
    // Text squeezed into a narrow column: several lines of a handful of characters each.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').replace(/\s/g, '');
      if (text.length < 8) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const lines = new Set(
        Array.from(range.getClientRects())
          .filter((x) => x.width > 0)
          .map((x) => Math.round(x.top)),
      ).size;
      if (lines >= 3 && text.length / lines < 7) squeezed.push(`${text.slice(0, 16)}… (${lines} 行)`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 8), squeezed: squeezed.slice(0, 8) };
  });
}

async function visit(page: Page, path: string, ready: string, name: string) {
  await page.goto(path);
  await page.locator(ready).first().waitFor({ timeout: LONG });
  await page.waitForLoadState('networkidle');
  if (path === '/notifications') {
    // Every message, read or not: the list the teacher scrolls through.
    await page.getByText('全部', { exact: true }).click();
    await page.getByTestId('notification-list').waitFor({ timeout: LONG });
    await page.waitForLoadState('networkidle');
  }
  await shot(page, `phone-${name}`);
  const m = await misfits(page);
  return m.scrollWidth > 390 || m.wide.length || m.squeezed.length ? [{ path, ...m }] : [];
}

/** Visits every page, then reports every page that does not fit (all at once, not the first only). */
async function visitAll(page: Page, pages: [string, string, string][]) {
  const bad = [];
  for (const [path, ready, name] of pages) bad.push(...(await visit(page, path, ready, name)));
  expect(bad).toEqual([]);
}

const CARD = '.ant-card';

describe('phone layouts (390×844)', () => {
  it("a teacher's daily pages fit the phone", async () => {
    const { context, page } = await newPage(e, PHONE);
    try {
      await uiLogin(page, 'teacher', DEMO_PASSWORD);
      const claim = await e.ctx.db.query<{ id: number }>(
        `SELECT c.id FROM hour_claims c JOIN users u ON u.teacher_id = c.teacher_id WHERE u.username = 'teacher' ORDER BY c.id LIMIT 1`,
      );
      const pages: [string, string, string][] = [
        ['/', CARD, 'teacher-home'],
        ['/my/record', CARD, 'teacher-record'],
        ['/my/projects', CARD, 'teacher-projects'],
        ['/my/enrol', CARD, 'teacher-enrol'],
        ['/my/needs-surveys', CARD, 'teacher-needs-surveys'],
        ['/my/hours', CARD, 'teacher-hours'],
        ['/my/claims', CARD, 'teacher-claims'],
        ['/my/certificates', CARD, 'teacher-certificates'],
        ['/my/surveys', CARD, 'teacher-surveys'],
        ['/notifications', CARD, 'teacher-notifications'],
      ];
      if (claim.rows[0]) pages.push([`/claims/${claim.rows[0].id}`, CARD, 'teacher-claim']);
      await visitAll(page, pages);
    } finally {
      await context.close();
    }
  });

  it("a school admin's daily pages fit the phone, including a project its teachers attend", async () => {
    const school = await orgOfUser(e.ctx.db, 'school.admin');
    // A project a teacher of the demo school is enrolled in, owned elsewhere (a county or city project).
    const attended = await e.ctx.db.query<{ id: number; name: string }>(
      `SELECT p.id, p.name FROM projects p JOIN orgs po ON po.id = p.org_id
         JOIN enrolments en ON en.project_id = p.id AND en.status = 'approved'
         JOIN teachers t ON t.id = en.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE o.path LIKE $1 || '%' AND po.path NOT LIKE $1 || '%' ORDER BY p.id DESC LIMIT 1`,
      [school.path],
    );
    const nomination = await e.ctx.db.query<{ project_id: number }>(
      `SELECT pq.project_id FROM project_quotas pq JOIN projects p ON p.id = pq.project_id
        WHERE pq.org_id = $1 AND p.status IN ('filed','planReview','open','running') ORDER BY pq.project_id LIMIT 1`,
      [school.id],
    );
    const { context, page } = await newPage(e, PHONE);
    try {
      await uiLogin(page, 'school.admin', DEMO_PASSWORD);
      const pages: [string, string, string][] = [
        ['/', CARD, 'school-home'],
        ['/teachers', '.ant-table-row', 'school-teachers'],
        ['/claims/review', CARD, 'school-claim-review'],
        ['/nominations', CARD, 'school-nominations'],
        ['/enrolment-requests', CARD, 'school-enrolment-requests'],
        ['/projects', CARD, 'school-projects'],
        ['/compliance/worklist', CARD, 'school-worklist'],
        ['/hours/summary', CARD, 'school-hours-summary'],
        ['/notifications', CARD, 'school-notifications'],
      ];
      if (nomination.rows[0]) pages.push([`/nominations/${nomination.rows[0].project_id}`, CARD, 'school-nominate']);
      await visitAll(page, pages);

      // Item 8: the school opens a project its teachers attend — read-only, its own teachers only.
      expect(attended.rows[0], 'the demo has a project the school’s teachers attend').toBeDefined();
      const p = attended.rows[0];
      // Found through the list's search (the demo has more projects than a page; studio yearly projects sort by start date).
      await page.goto(`/projects?q=${encodeURIComponent(p.name)}`);
      await page.getByRole('link', { name: p.name }).first().waitFor({ timeout: LONG });
      await page.goto(`/projects/${p.id}`);
      await page.getByTestId('view-only').waitFor({ timeout: LONG });
      expect(await page.locator('body').innerText()).not.toContain('无权访问');
      // 学员（N）counts the school's own teachers only.
      const own = await e.ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM enrolments en JOIN teachers t ON t.id = en.teacher_id JOIN orgs o ON o.id = t.org_id
          WHERE en.project_id = $1 AND en.status = 'approved' AND o.path LIKE $2 || '%'`,
        [p.id, school.path],
      );
      await page.getByRole('tab', { name: `学员（${own.rows[0].n}）` }).click();
      await page.locator('[data-testid="enrolment-table"] .ant-table-row').first().waitFor({ timeout: LONG });
      await page.waitForLoadState('networkidle');
      await shot(page, 'phone-school-attended-project');
      const m = await misfits(page);
      expect(m.wide).toEqual([]);
      expect(m.scrollWidth).toBeLessThanOrEqual(390);
    } finally {
      await context.close();
    }
  });
});

describe('desk lists (1366×768)', () => {
  it('the teacher list gives school names room and the expert list shows every column without sideways scrolling', async () => {
    const { context, page } = await newPage(e, { width: 1366, height: 768 });
    try {
      await uiLogin(page, 'city.admin', DEMO_PASSWORD);
      await page.goto('/teachers');
      const cell = page.locator('[data-testid="teacher-table"] .ant-table-row td:nth-child(5)').first();
      await cell.waitFor({ timeout: LONG });
      // Room for a school name of about ten characters (a 14 px character is ~14 px wide).
      expect((await cell.boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(150);
      await shot(page, 'desk-teachers');

      await page.goto('/experts');
      await page.locator('.ant-table-row').first().waitFor({ timeout: LONG });
      await page.waitForLoadState('networkidle');
      const content = page.locator('.ant-table-content').first();
      expect(await content.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
      await shot(page, 'desk-experts');
    } finally {
      await context.close();
    }
  });
});
