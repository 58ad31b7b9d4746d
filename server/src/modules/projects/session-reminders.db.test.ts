import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createOpenProject } from '../../../../test/projects.js';
import { call, teacherAccount } from './projects.fixtures.js';
import { remindSessions } from './session-reminders.js';
import { localInstant, todayInChina } from '../../platform/china-time.js';

// Issue 11 item 9: enrolled teachers are reminded the day before a session starts, once, by the job.

let t: TestApp;
let w: World;
let county: string;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  county = await login(t.app, 'county.admin', PASSWORD);
});
afterAll(async () => t?.close());

const day = (offset: number) => {
  const d = new Date(`${todayInChina()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

describe('reminders before a session starts', () => {
  it('the job run twice: one reminder per enrolled teacher per session, none to a withdrawn teacher or for a session further ahead', async () => {
    const p = await createOpenProject(t.app, [county], { name: '开课提醒项目', startDate: day(-5), endDate: day(30) });
    const mk = async (title: string, date: string) => {
      const r = await call(t, county, 'POST', `/api/projects/${p.id}/sessions`, {
        title,
        date,
        startTime: '09:00',
        endTime: '11:00',
        place: '一楼报告厅',
        hours: 2,
        category: 'ethics',
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as number;
    };
    const soon = await mk('明天的一讲', day(2));
    const later = await mk('下周的一讲', day(9));
    const [a, b, gone] = [await teacherAccount(t, w, w.school1), await teacherAccount(t, w, w.school1), await teacherAccount(t, w, w.school1)];
    const enrolled = await call(t, county, 'POST', `/api/projects/${p.id}/enrolments`, { teacherIds: [a.teacherId, b.teacherId, gone.teacherId] });
    expect(enrolled.statusCode, enrolled.body).toBeLessThan(300);
    expect((await call(t, county, 'DELETE', `/api/projects/${p.id}/enrolments/${gone.teacherId}`)).statusCode).toBe(204);

    // The evening before: 15 hours before the session starts.
    const now = new Date(localInstant(day(2), '09:00').getTime() - 15 * 3600_000);
    const first = await remindSessions(t.ctx, now);
    expect(first.sent).toBe(2);
    const second = await remindSessions(t.ctx, new Date(now.getTime() + 3600_000));
    expect(second.sent).toBe(0);

    const inbox = async (cookie: string) =>
      ((await call(t, cookie, 'GET', '/api/notifications')).json().items as { kind: string; title: string; body: string }[]).filter((n) =>
        n.title.startsWith('开课提醒'),
      );
    for (const who of [a, b]) {
      const mine = await inbox(who.cookie);
      expect(mine).toHaveLength(1);
      expect(mine[0].kind).toBe('checkin');
      expect(mine[0].title).toBe('开课提醒：「开课提醒项目」明天的一讲将于明天 09:00 开始');
      expect(mine[0].body).toContain('一楼报告厅');
    }
    expect(await inbox(gone.cookie)).toHaveLength(0);
    const rows = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = $1`, [`session:${soon}:reminder`]);
    expect(rows.rows[0].n).toBe(2);
    const none = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = $1`, [`session:${later}:reminder`]);
    expect(none.rows[0].n).toBe(0);
  });
});
