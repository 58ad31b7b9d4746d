import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness.js';
import { seedWorld, type World } from '../../../../test/factories.js';
import { createPolicy } from '../policies/policies.service.js';
import { remindDeadlines } from './deadline-reminders.js';
import { reminderPolicy } from '../../../../test/reminder-policy.js';

// A policy reminding 30 and 7 days before (document-wide); the IT rule overrides it with 3 days.
const POLICY = reminderPolicy({
  key: 'reminder-days-test',
  title: '提醒天数测试政策',
  top: 'reminders: { daysBefore: [30, 7] }\n',
  it: '    reminders: { daysBefore: [3] }\n',
});

let t: TestApp;
let w: World;
let policyId: number;

const messages = async () =>
  (
    await t.db.query<{ title: string; dedupe_key: string; user_id: number }>(
      `SELECT title, dedupe_key, user_id FROM notifications WHERE kind = 'deadline' ORDER BY id`,
    )
  ).rows;

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  policyId = (await createPolicy(t.ctx, w.cityAdmin, POLICY, null)).id;
  // 张老师 (班主任) has 28 of the 40 hours, and no IT hours.
  await t.db.query(
    `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description, dedupe_key) VALUES ($1, 28, 'homeroom', '2025-03-01', 'import', '测试', 'test:1')`,
    [w.teacherId],
  );
}, 120_000);
afterAll(async () => t?.close());

describe('deadline reminders configured in the policy document (reminders.daysBefore)', () => {
  it('nothing 31 days before the deadline', async () => {
    expect(await remindDeadlines(t.ctx, '2025-11-30')).toEqual({ asOf: '2025-11-30', due: 0, sent: 0 });
    expect(await messages()).toEqual([]);
  });

  it('30 days before: the 30-day reminder, once; re-running the job sends nothing new', async () => {
    expect(await remindDeadlines(t.ctx, '2025-12-01')).toMatchObject({ due: 1, sent: 1 });
    const msgs = await messages();
    expect(msgs.map((m) => m.dedupe_key)).toEqual([`deadline:${policyId}:homeroom-annual:2025-12-31:30d`]);
    expect(msgs[0].title).toBe('「班主任每年研修不少于 40 学时」将于 2025-12-31 截止，还差 12 学时');
    expect((await remindDeadlines(t.ctx, '2025-12-01')).sent).toBe(0);
    expect((await remindDeadlines(t.ctx, '2025-12-10')).sent).toBe(0);
    expect(await messages()).toHaveLength(1);
  });

  it('7 days before: the 7-day reminder, once', async () => {
    expect(await remindDeadlines(t.ctx, '2025-12-24')).toMatchObject({ due: 1, sent: 1 });
    expect((await remindDeadlines(t.ctx, '2025-12-24')).sent).toBe(0);
    expect((await remindDeadlines(t.ctx, '2025-12-25')).sent).toBe(0);
    expect((await messages()).map((m) => m.dedupe_key)).toEqual([
      `deadline:${policyId}:homeroom-annual:2025-12-31:30d`,
      `deadline:${policyId}:homeroom-annual:2025-12-31`,
    ]);
  });

  it('a rule’s own setting overrides the document’s: the IT rule is reminded 3 days before only', async () => {
    const r = await remindDeadlines(t.ctx, '2025-12-28');
    // Both rules are at a reminder point, but the homeroom one (7 days) was already sent.
    expect(r).toMatchObject({ due: 2, sent: 1 });
    expect((await remindDeadlines(t.ctx, '2025-12-29')).sent).toBe(0);
    const msgs = await messages();
    expect(msgs.map((m) => m.dedupe_key)).toEqual([
      `deadline:${policyId}:homeroom-annual:2025-12-31:30d`,
      `deadline:${policyId}:homeroom-annual:2025-12-31`,
      `deadline:${policyId}:it-annual:2025-12-31:3d`,
    ]);
    expect(msgs[2].title).toBe('「信息技术每年不少于 8 学时」将于 2025-12-31 截止，还差 8 学时');
    expect(new Set(msgs.map((m) => m.user_id)).size).toBe(1);
  });
});
