import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { seedWorld, type World } from '../../../../test/factories.js';
import { syncSeedPolicies } from '../policies/policies.service.js';
import { remindDeadlines } from './deadline-reminders.js';

let t: TestApp;
let w: World;
let teacherUser: number;

const deadlineMessages = async () =>
  (
    await t.db.query<{ title: string; dedupe_key: string; user_id: number }>(
      `SELECT title, dedupe_key, user_id FROM notifications WHERE kind = 'deadline' ORDER BY id`,
    )
  ).rows;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  await syncSeedPolicies(t.db);
  const policyId = (await t.db.query<{ id: number }>(`SELECT id FROM policies WHERE key = 'bayannur-2023-2025'`)).rows[0].id;
  await t.db.query('INSERT INTO policy_attachments (policy_id, org_id) VALUES ($1, $2)', [policyId, w.city]);
  // 张老师 (班主任) has 28 of the 40 班主任 hours required in 2025.
  await t.db.query(
    `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description, dedupe_key) VALUES ($1, 28, 'homeroom', '2025-03-01', 'import', '测试', 'test:1')`,
    [w.teacherId],
  );
  teacherUser = (await t.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'teacher'`)).rows[0].id;
}, 120_000);
afterAll(async () => t?.close());

describe('deadline reminders (达标期限提醒)', () => {
  it('sends nothing while the deadline is more than 7 days away', async () => {
    const r = await remindDeadlines(t.ctx, '2025-06-30');
    expect(r.sent).toBe(0);
    expect(await deadlineMessages()).toEqual([]);
  });

  it('reminds a teacher short of a rule 7 days before its deadline, once per rule and deadline', async () => {
    const r = await remindDeadlines(t.ctx, '2025-12-24');
    expect(r.sent).toBeGreaterThan(0);
    const msgs = await deadlineMessages();
    expect(msgs.every((m) => m.user_id === teacherUser)).toBe(true);
    const homeroom = msgs.find((m) => m.dedupe_key.endsWith(':homeroom-annual:2025-12-31'));
    expect(homeroom?.title).toContain('将于 2025-12-31 截止，还差 12 学时');
    // The next day's run (and a second process's run) adds nothing.
    expect((await remindDeadlines(t.ctx, '2025-12-25')).sent).toBe(0);
    expect((await remindDeadlines(t.ctx, '2025-12-25')).sent).toBe(0);
    expect(await deadlineMessages()).toHaveLength(msgs.length);
  });

  it('without a reminders setting only the 7-day reminder is sent (none 31 days before)', async () => {
    const before = (await deadlineMessages()).length;
    const r = await remindDeadlines(t.ctx, '2025-11-30');
    expect(r.due).toBe(0);
    expect((await deadlineMessages()).length).toBe(before);
  });
});
