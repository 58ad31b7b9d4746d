import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { addYears } from '../server/src/modules/key-teachers/key-teachers.service.js';
import { addDays } from '../server/src/modules/policies/policy.windows.js';
import { assignSchool } from '../server/src/modules/teachers/teacher-facts.service.js';
import { todayInChina } from '../server/src/platform/china-time.js';
import { dialogCloses, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

// 骨干教师评选 (issue 13 item 2) as users meet it: the county bureau opens a round with a quota for the demo school;
// the school checks a teacher without 交流轮岗 (the reasons in Chinese, no submit) and nominates an eligible one; the
// bureau ends nomination, reviews, publishes the 公示 and — the 公示 over (its dates in the past) — designates; the
// teacher page shows the designation with its term and takes the 年度考核; the teacher reads it on their own page.
// The demo has no 交流轮岗 in any assignment history (小学 teachers need one), so the test gives a few teachers one.

let e: E2E;
const today = todayInChina();
const asOf = addDays(today, -30);
let school: { id: number; name: string };
let candidates: { id: number; name: string }[];
let withoutRotation: { id: number; name: string };

const rows = async <T>(sql: string, params: unknown[] = []) => (await e.ctx.db.query<T>(sql, params)).rows;

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  school = await orgOfUser(e.ctx.db, 'school.admin');
  const county = await orgOfUser(e.ctx.db, 'county.admin');
  const other = (
    await rows<{ id: number }>(`SELECT id FROM orgs WHERE kind = 'school' AND path LIKE $1 || '%' AND id <> $2 ORDER BY id LIMIT 1`, [county.path, school.id])
  )[0];
  // Long-serving teachers of the demo school with an account (not the school admin's own record).
  // The demo gives some of them 支教 records (交流轮岗 experience): the one without is the refused candidate.
  const long = await rows<{ id: number; name: string; rotated: boolean }>(
    `SELECT t.id, t.name, EXISTS (SELECT 1 FROM rotation_records r WHERE r.teacher_id = t.id AND r.superseded_at IS NULL) AS rotated
       FROM teachers t JOIN users u ON u.teacher_id = t.id
      WHERE t.org_id = $1 AND t.status = 'active' AND t.hire_date < '2018-01-01' AND u.username <> 'school.admin'
        AND (SELECT count(*) FROM teachers x WHERE x.name = t.name) = 1
      ORDER BY t.id LIMIT 12`,
    [school.id],
  );
  expect(long.length, 'the demo school has long-serving teachers').toBeGreaterThanOrEqual(4);
  const refused = long.find((t) => !t.rotated);
  expect(refused, 'a long-serving teacher of the demo school without any rotation record').toBeTruthy();
  withoutRotation = refused as (typeof long)[number];
  candidates = long.filter((t) => t !== refused);
  // A year of 交流轮岗 at another school of the county, then back (as a transfer) — history, not today's post.
  await e.ctx.db.tx(async (q) => {
    for (const t of candidates) {
      await assignSchool(q, null, t.id, other.id, 'rotation', '2021-09-01');
      await assignSchool(q, null, t.id, school.id, 'transfer', '2022-09-01');
    }
  });
});
afterAll(async () => e?.close());

/** Type a date into an antd picker and confirm it. */
async function typeDate(input: Locator, value: string) {
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

/** Choose the option of an open antd Select dropdown whose title is `title`. */
const option = (page: Page, title: string) => page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${title}"]`).first();

async function openRound(page: Page, title: string) {
  await page.goto('/key-teachers');
  await page
    .getByRole('row', { name: new RegExp(title) })
    .getByRole('button', { name: '查看' })
    .click({ timeout: 60_000 });
  const card = page.locator('.ant-card', { has: page.locator('.ant-card-head-title', { hasText: title }) });
  await card.waitFor({ timeout: 60_000 });
  return card;
}

describe('骨干教师评选 in the browser', () => {
  it('from opening a round to the designation on the teacher page', async () => {
    const title = 'E2E 河东区县级骨干教师评选';
    // ---------------------------------------------------------------- the bureau opens the round with a quota
    const bureau = await newPage(e);
    await uiLogin(bureau.page, 'county.admin', DEMO_PASSWORD);
    await bureau.page.getByRole('menuitem', { name: /骨干教师评选/ }).click();
    await bureau.page.getByRole('button', { name: '开展评选' }).click({ timeout: 60_000 });
    const create = bureau.page.locator('.ant-modal', { hasText: '开展骨干教师评选' });
    await create.getByLabel('评选名称').fill(title);
    await create.getByLabel('层级').click();
    await option(bureau.page, '县级').click();
    await create.getByLabel('类别').click();
    await option(bureau.page, '骨干教师').click();
    await bureau.page.keyboard.press('Escape');
    await typeDate(create.getByLabel('评选基准日（核查推荐条件的日期）'), asOf);
    await typeDate(create.getByLabel('推荐截止日期'), addDays(today, 30));
    await create.getByRole('button', { name: '添加单位名额' }).click();
    await create.locator('.ant-select', { hasText: '单位' }).click();
    await bureau.page.keyboard.type(school.name);
    await option(bureau.page, school.name).click({ timeout: 60_000 });
    await create.getByPlaceholder('名额').fill('2');
    await shot(bureau.page, 'key-teachers-01-open-round');
    await create.getByRole('button', { name: '开展' }).click();
    await dialogCloses(create);
    const roundId = (await rows<{ id: number }>('SELECT id FROM key_teacher_rounds WHERE title = $1', [title]))[0].id;

    // ---------------------------------------------------------------- the school checks and nominates
    const sch = await newPage(e);
    await uiLogin(sch.page, 'school.admin', DEMO_PASSWORD);
    // Which candidates meet every condition on the round's date (hours differ between demo teachers): the same check
    // the page runs, asked once for all of them.
    const check = await sch.page.request.post(`/api/key-teachers/rounds/${roundId}/eligibility`, {
      data: { category: 'keyTeacher', teacherIds: candidates.map((c) => c.id) },
    });
    expect(check.ok(), await check.text()).toBe(true);
    const okIds = ((await check.json()) as { teachers: { teacherId: number; eligible: boolean }[] }).teachers.filter((t) => t.eligible).map((t) => t.teacherId);
    const nominee = candidates.find((c) => okIds.includes(c.id));
    expect(nominee, 'a candidate with a rotation meets the hours and the other conditions').toBeTruthy();
    if (!nominee) return;

    const round = await openRound(sch.page, title);
    const form = round.locator('.ant-card', { hasText: '推荐人选' });
    const pickTeacher = async (t: { name: string }) => {
      await form.locator('.ant-select-multiple').click();
      await sch.page.keyboard.type(t.name);
      await option(sch.page, `${t.name}（${school.name}）`).click({ timeout: 60_000 });
      await sch.page.keyboard.press('Escape');
    };
    await pickTeacher(withoutRotation);
    await form.getByRole('button', { name: '核查推荐条件' }).click();
    const refused = form.locator('.ant-alert-error', { hasText: `${withoutRotation.name}：不符合推荐条件` });
    await refused.waitFor({ timeout: 60_000 });
    expect(await refused.innerText()).toContain('无交流轮岗经历：小学教师参加骨干教师评选须有交流轮岗经历');
    // Not eligible: nothing to submit, and the server refuses the same request with the reasons.
    expect(await form.getByRole('button', { name: '提交推荐' }).isDisabled()).toBe(true);
    await shot(sch.page, 'key-teachers-02-ineligible');
    const direct = await sch.page.request.post(`/api/key-teachers/rounds/${roundId}/nominations`, {
      data: { category: 'keyTeacher', teacherIds: [withoutRotation.id] },
    });
    expect(direct.status()).toBe(400);
    expect(((await direct.json()) as { message: string }).message).toContain(`${withoutRotation.name} 不符合推荐条件：无交流轮岗经历`);
    // The eligible one instead.
    await form.locator('.ant-select-selection-item-remove').first().click();
    await pickTeacher(nominee);
    await form.getByRole('button', { name: '核查推荐条件' }).click();
    await form.locator('.ant-alert-success', { hasText: `${nominee.name}：符合推荐条件` }).waitFor({ timeout: 60_000 });
    await form.getByRole('button', { name: '提交推荐' }).click();
    await round.getByRole('row', { name: new RegExp(`${nominee.name}.*已推荐`) }).waitFor({ timeout: 60_000 });
    await shot(sch.page, 'key-teachers-03-nominated');
    await sch.context.close();

    // ---------------------------------------------------------------- the bureau: review, 公示, designation
    const b = await openRound(bureau.page, title);
    const status = () => b.locator('.ant-descriptions-item', { hasText: '状态' }).first().innerText();
    await b.getByRole('button', { name: '结束推荐' }).click();
    await expect.poll(status, { timeout: 60_000 }).toContain('评审中');
    await b
      .getByRole('row', { name: new RegExp(nominee.name) })
      .getByRole('button', { name: '评审' })
      .click();
    const review = bureau.page.locator('.ant-modal', { hasText: `评审：${nominee.name}` });
    await review.getByLabel('评分').fill('91');
    await review.getByLabel('评审意见').fill('示范课效果好，辐射带动作用明显');
    await review.getByRole('button', { name: '确定' }).click();
    await dialogCloses(review);
    await b.getByRole('row', { name: new RegExp(`${nominee.name}.*评审通过`) }).waitFor({ timeout: 60_000 });

    // The 公示 ran in the past (from 20 to 10 days ago): designation is allowed now.
    const [pubFrom, pubUntil, termFrom] = [addDays(today, -20), addDays(today, -10), addDays(today, -5)];
    await b.getByRole('button', { name: '公示' }).click();
    const pub = bureau.page.locator('.ant-modal-confirm', { hasText: '公示期' });
    await typeDate(pub.getByPlaceholder('公示开始日期'), pubFrom);
    await typeDate(pub.getByPlaceholder('公示结束日期'), pubUntil);
    await pub.getByRole('button', { name: '确定' }).click();
    await dialogCloses(pub);
    await expect.poll(status, { timeout: 60_000 }).toContain('公示中');
    await b.getByRole('button', { name: '认定' }).click();
    const des = bureau.page.locator('.ant-modal-confirm', { hasText: '认定：任期开始日期' });
    await typeDate(des.getByPlaceholder('任期开始日期'), termFrom);
    await des.getByRole('button', { name: '确定' }).click();
    await dialogCloses(des);
    await expect.poll(status, { timeout: 60_000 }).toContain('已认定');
    const termUntil = addDays(addYears(termFrom, 3), -1);
    expect(await b.innerText()).toContain(`${termFrom} 至 ${termUntil}`);
    await b.getByRole('row', { name: new RegExp(`${nominee.name}.*已认定`) }).waitFor();
    await shot(bureau.page, 'key-teachers-04-designated');

    // ---------------------------------------------------------------- the teacher page: designation, term, 年度考核
    await bureau.page.goto(`/teachers/${nominee.id}`);
    const profile = bureau.page.getByTestId('teacher-profile');
    await profile.waitFor({ timeout: 60_000 });
    await expect.poll(() => profile.innerText(), { timeout: 60_000 }).toContain(termUntil);
    await bureau.page.getByRole('tab', { name: '骨干教师' }).click();
    const card = bureau.page.getByTestId('key-designation');
    await card.waitFor({ timeout: 60_000 });
    expect(await card.locator('.ant-card-head-title').innerText()).toBe(`县级骨干教师（任期 ${termFrom} 至 ${termUntil}）`);
    expect(await card.innerText()).toContain('认定');
    await card.getByRole('button', { name: '年度考核' }).click();
    const assess = bureau.page.locator('.ant-modal', { hasText: '完成的年度职责' });
    await assess.getByLabel('结果').click();
    await option(bureau.page, '合格').click();
    await assess.locator('.ant-checkbox-wrapper').first().click();
    await assess.getByLabel('说明').fill('完成示范课和带教任务');
    await assess.getByRole('button', { name: '确定' }).click();
    await dialogCloses(assess);
    await card.getByRole('row', { name: /年度考核.*合格.*完成示范课和带教任务/ }).waitFor({ timeout: 60_000 });
    await shot(bureau.page, 'key-teachers-05-teacher-page');
    await bureau.context.close();

    // The nominee was told, and reads the designation on their own page.
    const inbox = await rows<{ title: string }>(
      `SELECT n.title FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.teacher_id = $1 AND n.link = '/my/key-teacher'`,
      [nominee.id],
    );
    expect(inbox.map((n) => n.title)).toEqual([`您已被认定为县级骨干教师，任期 ${termFrom} 至 ${termUntil}`]);
    const me = await newPage(e, { width: 390, height: 844 });
    const [account] = await rows<{ username: string }>('SELECT username FROM users WHERE teacher_id = $1', [nominee.id]);
    await uiLogin(me.page, account.username, DEMO_PASSWORD);
    await me.page.goto('/my/key-teacher');
    const mine = me.page.getByTestId('key-designation');
    await mine.waitFor({ timeout: 60_000 });
    expect(await mine.innerText()).toContain(`任期 ${termFrom} 至 ${termUntil}`);
    expect(await mine.getByRole('button', { name: '年度考核' }).count()).toBe(0);
    await shot(me.page, 'key-teachers-06-my-phone');
    await me.context.close();
  }, 400_000);
});
