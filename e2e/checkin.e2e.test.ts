import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { verifyCheckinToken } from '../server/src/modules/projects/checkin-token.js';
import { type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

// Issue 11 item 1: the check-in QR on a projector shows the code and the live count at 1366×768, and a
// teacher who scans logged out on a phone and logs in after the code has rotated is still checked in.

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 120 });
});
afterAll(async () => e?.close());

/** A session of an open demo project, the demo teacher enrolled, check-in open; the organiser's page. */
async function openCheckin() {
  const org = await newPage(e, { width: 1366, height: 768 });
  await uiLogin(org.page, 'city.admin', DEMO_PASSWORD);
  const s = (
    await e.ctx.db.query<{ session_id: number; project_id: number }>(
      `SELECT s.id AS session_id, p.id AS project_id FROM project_sessions s JOIN projects p ON p.id = s.project_id
        WHERE p.status IN ('open','running') ORDER BY s.date DESC, s.id LIMIT 1`,
    )
  ).rows[0];
  expect(s, 'demo data has an open project with a session').toBeTruthy();
  const teacherId = (await e.ctx.db.query<{ teacher_id: number }>(`SELECT teacher_id FROM users WHERE username = 'teacher'`)).rows[0].teacher_id;
  await org.page.request.post(`/api/projects/${s.project_id}/enrolments`, { data: { teacherIds: [teacherId] } });
  expect((await org.page.request.post(`/api/sessions/${s.session_id}/checkin/open`)).ok()).toBe(true);
  return { org, sessionId: s.session_id, teacherId };
}

describe('check-in, in the browser', () => {
  it('the projector page shows the code and the live count at 1366×768 without scrolling', async () => {
    const { org, sessionId } = await openCheckin();
    await org.page.goto(`/sessions/${sessionId}/qr`);
    const qr = org.page.getByTestId('qr-image');
    await qr.waitFor({ timeout: 60_000 });
    const count = org.page.getByTestId('qr-count');
    await count.waitFor();
    await shot(org.page, 'checkin-01-projector-1366x768');
    for (const el of [qr, count]) {
      const box = await el.boundingBox();
      expect(box).not.toBeNull();
      expect(box?.y).toBeGreaterThanOrEqual(0);
      expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(768);
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1366);
    }
    expect(await org.page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(768);
    await org.context.close();
  });

  it('a teacher scans logged out on a 390×844 phone, the code rotates, the login still checks them in at the scan time', async () => {
    const { org, sessionId, teacherId } = await openCheckin();
    const token = (await (await org.page.request.get(`/api/sessions/${sessionId}/checkin/token`)).json()) as { token: string; checkinUrl: string };

    const phone = await newPage(e, { width: 390, height: 844 });
    await phone.page.goto(token.checkinUrl);
    await phone.page.getByTestId('checkin-scanned').waitFor({ timeout: 60_000 });
    await shot(phone.page, 'checkin-02-phone-scanned');

    // The teacher is slow: the code on the screen rotates until the scanned one is no longer accepted.
    await expect.poll(() => verifyCheckinToken(e.ctx.checkinSigner, token.token, new Date()).ok, { timeout: 120_000, interval: 2000 }).toBe(false);
    const expiredAt = new Date();

    await phone.page.getByPlaceholder('用户名').fill('teacher');
    await phone.page.getByPlaceholder('密码').fill(DEMO_PASSWORD);
    await phone.page.getByRole('button', { name: /登录/ }).click();
    await phone.page.getByText('签到成功').waitFor({ timeout: 60_000 });
    await shot(phone.page, 'checkin-03-phone-checked-in-after-login');

    // One attendance row, at the scan time: before the scanned code expired, i.e. before the login.
    const rows = (
      await e.ctx.db.query<{ at: Date; scanned_at: Date }>(
        `SELECT a.at, u.scanned_at FROM attendance a JOIN checkin_scan_uses u ON u.session_id = a.session_id AND u.teacher_id = a.teacher_id
          WHERE a.session_id = $1 AND a.teacher_id = $2`,
        [sessionId, teacherId],
      )
    ).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0].at.getTime()).toBe(rows[0].scanned_at.getTime());
    expect(rows[0].at.getTime()).toBeLessThan(expiredAt.getTime());

    // Reloading the page does not check in twice: the ticket is used up, the teacher is told they are in.
    await phone.page.reload();
    await phone.page
      .getByText(/已签到/)
      .first()
      .waitFor({ timeout: 60_000 });
    await phone.context.close();
    await org.context.close();
  });

  it('closing a project early: the dialog lists the warnings and submits only once they are confirmed', async () => {
    const org = await newPage(e);
    await uiLogin(org.page, 'city.admin', DEMO_PASSWORD);
    const city = await orgOfUser(e.ctx.db, 'city.admin');
    // A running project the city manages (its own or one below it), not the one the check-in tests used.
    const p = (
      await e.ctx.db.query<{ id: number }>(
        `SELECT p.id FROM projects p JOIN orgs o ON o.id = p.org_id
          WHERE o.path LIKE $1 || '%' AND p.status IN ('open','running') ORDER BY p.id LIMIT 1`,
        [city.path],
      )
    ).rows[0];
    expect(p, 'demo data has an open project in the city').toBeTruthy();
    // A session a month ahead (the planned end moved past it): closing now leaves it unheld.
    const ahead = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
    await e.ctx.db.query('UPDATE projects SET end_date = GREATEST(end_date, $2::date) WHERE id = $1', [p.id, ahead]);
    const added = await org.page.request.post(`/api/projects/${p.id}/sessions`, {
      data: { title: '下月的一讲', date: ahead, startTime: '09:00', endTime: '11:00', place: '报告厅', hours: 2, category: 'ethics' },
    });
    expect(added.ok(), await added.text()).toBe(true);

    await org.page.goto(`/projects/${p.id}`);
    await org.page.getByRole('tab', { name: '学时认定' }).click();
    await org.page.getByTestId('recognition-submitRecognition').click();
    const dialog = org.page.getByRole('dialog').filter({ has: org.page.getByRole('button', { name: '提交学时认定', exact: true }) });
    const warnings = dialog.getByTestId('close-warnings');
    await warnings.waitFor({ timeout: 60_000 });
    await expect.poll(() => warnings.innerText()).toContain('尚未举行');
    await shot(org.page, 'checkin-04-close-warnings');
    // Not confirmed: the dialog stays, says why, and the project is still open.
    await dialog.getByRole('button', { name: '提交学时认定', exact: true }).click();
    await dialog.getByText('请先确认已知晓以上结项提醒').waitFor();
    expect((await e.ctx.db.query<{ status: string }>('SELECT status FROM projects WHERE id = $1', [p.id])).rows[0].status).not.toBe('recognitionPending');
    await dialog.getByTestId('confirm-warnings').check();
    await dialog.getByRole('button', { name: '提交学时认定', exact: true }).click();
    await org.page.locator('.ant-modal-confirm-title', { hasText: '已提交学时认定' }).waitFor({ timeout: 60_000 });
    expect((await e.ctx.db.query<{ status: string }>('SELECT status FROM projects WHERE id = $1', [p.id])).rows[0].status).toBe('recognitionPending');
    await org.context.close();
  });
});
