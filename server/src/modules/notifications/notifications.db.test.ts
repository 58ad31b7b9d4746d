import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld } from '../../../../test/factories.js';
import { notify, usersAt } from './notifications.service.js';

let t: TestApp;
let cookie: string;
let other: string;
let userId: number;

beforeAll(async () => {
  t = await createTestApp();
  const w = await seedWorld(t.ctx);
  cookie = await login(t.app, 'county.admin', PASSWORD);
  other = await login(t.app, 'school.admin', PASSWORD);
  [userId] = await usersAt(t.db, [w.county1], ['bureauAdmin']);
});
afterAll(async () => t?.close());

describe('notifications inbox', () => {
  it('delivers, counts badges by kind, and a dedupe key makes repeats no-ops', async () => {
    expect(await notify(t.db, [userId], { kind: 'approval', title: '项目待审批', link: '/projects/1', dedupeKey: 'approve:1' })).toBe(1);
    expect(await notify(t.db, [userId], { kind: 'approval', title: '项目待审批', link: '/projects/1', dedupeKey: 'approve:1' })).toBe(0);
    await notify(t.db, [userId, userId], { kind: 'deadline', title: '还差 8 学时' });
    const badges = (await t.app.inject({ url: '/api/notifications/badges', headers: { cookie } })).json();
    expect(badges).toEqual({ total: 2, byKind: { approval: 1, deadline: 1 } });
  });

  it('lists only the caller’s own messages and marks them read', async () => {
    const mine = (await t.app.inject({ url: '/api/notifications', headers: { cookie } })).json();
    expect(mine.total).toBe(2);
    const theirs = (await t.app.inject({ url: '/api/notifications', headers: { cookie: other } })).json();
    expect(theirs.total).toBe(0);
    // Someone else cannot mark my messages read.
    await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      headers: { cookie: other },
      payload: { ids: mine.items.map((i: { id: number }) => i.id) },
    });
    expect((await t.app.inject({ url: '/api/notifications/badges', headers: { cookie } })).json().total).toBe(2);
    const r = await t.app.inject({ method: 'POST', url: '/api/notifications/read', headers: { cookie }, payload: { ids: null } });
    expect(r.json().marked).toBe(2);
    expect((await t.app.inject({ url: '/api/notifications?unread=1', headers: { cookie } })).json().total).toBe(0);
  });
});

describe('the actor is never notified of their own action', () => {
  it('leaves the actor out of notify(), whichever module calls it', async () => {
    const { withActor } = await import('./notifications.service.js');
    const [other] = await usersAt(
      t.db,
      [(await t.db.query<{ id: number }>(`SELECT org_id AS id FROM user_roles WHERE user_id = $1`, [userId])).rows[0].id],
      ['bureauAdmin'],
    );
    expect(other).toBe(userId);
    expect(await withActor(userId, () => notify(t.db, [userId], { kind: 'general', title: '自己的操作' }))).toBe(0);
    expect(await withActor(null, () => notify(t.db, [userId], { kind: 'general', title: '系统提醒' }))).toBe(1);
  });

  it('a county admin who proposes, approves, files and opens its own project gets no message about it; a colleague does', async () => {
    const { createOpenProject } = await import('../../../../test/projects.js');
    const { insertUser } = await import('../users/users.repository.js');
    const { createSession, hashPassword } = await import('../../platform/auth.js');
    const county = (await t.db.query<{ org_id: number }>(`SELECT org_id FROM user_roles WHERE user_id = $1`, [userId])).rows[0].org_id;
    const colleague = await insertUser(t.db, {
      username: 'county.colleague',
      passwordHash: await hashPassword(PASSWORD),
      displayName: '同事',
      role: 'bureauAdmin',
      orgId: county,
    });
    const colleagueCookie = `qs_session=${(await createSession(t.db, colleague)).token}`;
    const unread = async (c: string) => (await t.app.inject({ url: '/api/notifications/badges', headers: { cookie: c } })).json().total as number;
    const before = await unread(cookie);
    await createOpenProject(t.app, [cookie]);
    expect(await unread(cookie)).toBe(before);
    expect(await unread(colleagueCookie)).toBeGreaterThan(0);
  });
});
