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
