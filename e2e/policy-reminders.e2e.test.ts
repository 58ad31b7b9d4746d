import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { newPage, shot, startE2E, uiLogin, type E2E } from './support.js';
import { reminderPolicy } from '../test/reminder-policy.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 20 });
});
afterAll(async () => e?.close());

// Document-wide 30 and 7 days; the IT rule overrides it with 3; the staffing rule judges schools (no reminder).
const POLICY = reminderPolicy({
  key: 'browser-reminders',
  title: '提醒设置浏览器测试政策',
  top: 'reminders: { daysBefore: [30, 7] }\n',
  it: '    reminders: { daysBefore: [3] }\n',
  more: `  - id: psych-staff
    kind: staffing
    title: 每校至少 1 名专职心理教师
    per: school
    count: { role: psychFullTime }
    atLeast: 1
    cite: { section: 三（一）, text: 每校配备专职心理教师 }
`,
});

describe('policy page: reminder setting', () => {
  it('the rules tab shows each teacher rule’s reminder days', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);
    const res = await page.request.post('/api/policies', { data: { text: POLICY } });
    expect(res.status()).toBeLessThan(300);
    const { id } = (await res.json()) as { id: number };
    await page.goto(`/policies/${id}`);
    await page.getByTestId('policy-rules').waitFor({ timeout: 60_000 });
    const reminders = await page.getByTestId('rule-reminder').allInnerTexts();
    expect(reminders).toEqual(['截止前 30 天、7 天提醒', '截止前 3 天提醒']);
    await shot(page, 'policy-reminders-01-rules');
    await context.close();
  });
});
