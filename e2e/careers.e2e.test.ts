import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { todayInChina, yearInChina } from '../server/src/platform/china-time.js';
import { dialogCloses, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

// 交流轮岗 and 表彰荣誉 (issue 14 items 2, 4) as users meet them: the county bureau reads the counts against the share,
// records a 支教 for a teacher of the demo school through the form, and the teacher's detail page shows it; the school
// nominates a teacher for an award type, the county awards it, and the honour shows in the teacher's record.

let e: E2E;
const today = todayInChina();
let school: { id: number; name: string };
let other: { id: number; name: string };
let teacher: { id: number; name: string };
let nominee: { id: number; name: string };

const rows = async <T>(sql: string, params: unknown[] = []) => (await e.ctx.db.query<T>(sql, params)).rows;

beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
  school = await orgOfUser(e.ctx.db, 'school.admin');
  const county = await orgOfUser(e.ctx.db, 'county.admin');
  other = (
    await rows<{ id: number; name: string }>(`SELECT id, name FROM orgs WHERE kind = 'school' AND path LIKE $1 || '%' AND id <> $2 ORDER BY id LIMIT 1`, [
      county.path,
      school.id,
    ])
  )[0];
  // Teachers of the demo school with a unique name and no rotation record yet.
  const ts = await rows<{ id: number; name: string }>(
    `SELECT t.id, t.name FROM teachers t WHERE t.org_id = $1 AND t.status = 'active'
        AND (SELECT count(*) FROM teachers x WHERE x.name = t.name) = 1
        AND NOT EXISTS (SELECT 1 FROM rotation_records r WHERE r.teacher_id = t.id)
        AND NOT EXISTS (SELECT 1 FROM honour_nominations n WHERE n.teacher_id = t.id)
        AND NOT EXISTS (SELECT 1 FROM ethics_sanctions s WHERE s.teacher_id = t.id)
      ORDER BY t.id DESC LIMIT 2`,
    [school.id],
  );
  expect(ts.length).toBe(2);
  // The county's 最美班主任 (the demo sets it up when its county is big enough; a small world may not have it).
  await e.ctx.db.query(
    `INSERT INTO honour_types (org_id, name, level) SELECT $1, '最美班主任', 'county'
      WHERE NOT EXISTS (SELECT 1 FROM honour_types WHERE org_id = $1 AND name = '最美班主任' AND retired_at IS NULL)`,
    [county.id],
  );
  [teacher, nominee] = ts;
});
afterAll(async () => e?.close());

async function typeDate(input: Locator, value: string) {
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}
const option = (page: Page, title: string) => page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${title}"]`).first();

describe('交流轮岗 and 表彰荣誉 in the browser', () => {
  it('the county records a 支教 and the teacher page shows it', async () => {
    const { page } = await newPage(e);
    await uiLogin(page, 'county.admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /交流轮岗/ }).click();
    // 完成情况: the county's row with the needed number and the shortfall.
    await page.getByRole('cell', { name: /（合计）/ }).waitFor({ timeout: 60_000 });
    await shot(page, 'careers-01-counts');

    await page.getByRole('tab', { name: '交流记录' }).click();
    await page.getByRole('button', { name: '登记交流轮岗' }).click();
    const dlg = page.locator('.ant-modal', { hasText: '登记交流轮岗' });
    await dlg.getByLabel('教师').click();
    await page.keyboard.type(teacher.name);
    await option(page, `${teacher.name}（${school.name}）`).click({ timeout: 60_000 });
    await dlg.getByLabel('类型').click();
    await option(page, '支教').click();
    await dlg.getByLabel('交流学校').click();
    await page.keyboard.type(other.name);
    await option(page, other.name).click({ timeout: 60_000 });
    await typeDate(dlg.getByLabel('开始日期'), today);
    await dlg.getByRole('button', { name: '登记' }).click();
    await dialogCloses(dlg);
    await page.getByRole('row', { name: new RegExp(teacher.name) }).waitFor({ timeout: 60_000 });
    const rec = await rows<{ kind: string; to_org_id: number }>('SELECT kind, to_org_id FROM rotation_records WHERE teacher_id = $1', [teacher.id]);
    expect(rec).toEqual([{ kind: 'supportTeaching', to_org_id: other.id }]);
    // 支教 does not move the school of record.
    expect((await rows<{ org_id: number }>('SELECT org_id FROM teachers WHERE id = $1', [teacher.id]))[0].org_id).toBe(school.id);

    await page.goto(`/teachers/${teacher.id}`);
    await page.getByRole('tab', { name: '交流与荣誉' }).click({ timeout: 60_000 });
    const card = page.getByTestId('career-rotations');
    await card.getByRole('cell', { name: other.name }).waitFor({ timeout: 60_000 });
    expect(await card.innerText()).toContain('有交流轮岗经历');
    await shot(page, 'careers-02-teacher-record');
  });

  it('the school nominates, the county awards, the honour is in the teacher’s record', async () => {
    const year = yearInChina();
    const sch = await newPage(e);
    await uiLogin(sch.page, 'school.admin', DEMO_PASSWORD);
    await sch.page.getByRole('menuitem', { name: /表彰荣誉/ }).click();
    await sch.page.getByRole('button', { name: '推荐教师' }).click({ timeout: 60_000 });
    const dlg = sch.page.locator('.ant-modal', { hasText: '推荐参加' });
    await dlg.getByLabel('表彰项目').click();
    await sch.page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '最美班主任' }).first().click({ timeout: 60_000 });
    await dlg.getByLabel('教师').click();
    await sch.page.keyboard.type(nominee.name);
    await option(sch.page, `${nominee.name}（${school.name}）`).click({ timeout: 60_000 });
    await sch.page.keyboard.press('Escape');
    await dlg.getByLabel('主要事迹').fill('爱岗敬业，班级管理成效显著');
    await dlg.getByRole('button', { name: '推荐' }).click();
    await dialogCloses(dlg);
    await sch.page.getByRole('row', { name: new RegExp(nominee.name) }).waitFor({ timeout: 60_000 });
    await shot(sch.page, 'careers-03-nominated');

    const cty = await newPage(e);
    await uiLogin(cty.page, 'county.admin', DEMO_PASSWORD);
    await cty.page.getByRole('menuitem', { name: /表彰荣誉/ }).click();
    const row = cty.page.getByRole('row', { name: new RegExp(nominee.name) });
    await row.getByRole('button', { name: '授予' }).click({ timeout: 60_000 });
    const award = cty.page.locator('.ant-modal', { hasText: `授予：${nominee.name}` });
    await typeDate(award.getByLabel('授予日期'), today);
    await award.getByRole('button', { name: '授予' }).click();
    await dialogCloses(award);
    await row.getByText('已授予').waitFor({ timeout: 60_000 });

    await cty.page.goto(`/teachers/${nominee.id}`);
    await cty.page.getByRole('tab', { name: '交流与荣誉' }).click({ timeout: 60_000 });
    const honours = cty.page.getByTestId('career-honours');
    await honours.getByRole('cell', { name: `${year} 年度最美班主任` }).waitFor({ timeout: 60_000 });
    expect(await honours.innerText()).toContain('有效');
    await shot(cty.page, 'careers-04-honour-in-record');
  });
});
