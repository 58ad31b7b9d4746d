import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { attachDemoPolicies } from '../server/src/modules/policies/policies.service.js';
import { newPage, shot, startE2E, uiLogin, ARTIFACTS, type E2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  // The demo's history pinned to reach through 2025 at full volume: the test reads the 2023–2025 city plan.
  e = await startE2E({ teachers: 300, asOf: '2026-03-02' });
  // As `seed-demo` does: the seed policies attached to the fictional demo city's orgs.
  await attachDemoPolicies(e.ctx.db);
});
afterAll(async () => e?.close());

/** An evaluation date inside the 巴彦淖尔 2023–2025 plan, before its year-end deadlines: most unmet requirements are 进行中 ('还需 …，剩余 … 天'). */
const AS_OF = '2025-06-30';

describe('policy engine, in the browser', () => {
  it('a city admin reads the dashboard, drills from city to a county and a school, opens the worklist and a teacher', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /合规看板/ }).click();
    await page.waitForURL(/\/compliance/);
    const rules = page.getByTestId('rules-table');
    await rules.waitFor({ timeout: 60_000 });
    // It opens on the policy in force today (the provincial plan to 2035), not the city's 2023–2025 plan that has ended.
    await expect.poll(() => page.getByTestId('policy-select').innerText(), { timeout: 60_000 }).toContain('基础教育强师计划实施方案（省级）');
    await shot(page, 'compliance-00-opening-policy');

    // Pick an evaluation date inside the city's plan: with no policy chosen, the one in force on that date opens.
    await page.getByPlaceholder('评估日期：今天').fill(AS_OF);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('asOf') === AS_OF);
    await expect.poll(() => page.getByTestId('policy-select').innerText(), { timeout: 60_000 }).toContain('巴彦淖尔');
    // Per rule: a share compliant as a percentage where a deadline has passed, 进行中 apart, and honest '暂无数据' where the data does not exist yet.
    await expect.poll(() => page.getByTestId('rule-share').count(), { timeout: 60_000 }).toBeGreaterThan(3);
    expect((await page.getByTestId('rule-share').allInnerTexts()).join('\n')).toMatch(/\d+(\.\d)?%/);
    expect(await page.getByTestId('rule-nodata').count()).toBeGreaterThan(0);
    await expect.poll(() => rules.innerText(), { timeout: 60_000 }).toContain('班主任每年研修不少于 40 学时');
    // On 30 June the yearly rules are not due: no rate yet, 进行中 counted apart rather than as 未达标.
    expect(await page.getByTestId('rule-not-due').count()).toBeGreaterThan(0);
    expect((await page.getByTestId('rule-counts').allInnerTexts()).join('\n')).toContain('进行中');
    // The citation: the plan's title (not its file name), section and the seed's own words, on hover.
    await page.getByTestId('cite').first().hover();
    const cite = page.getByTestId('cite-text').first();
    await cite.waitFor();
    expect(await cite.innerText()).toContain('每位班主任完成每年不少于40学时的研修培训');
    expect(await cite.innerText()).toContain('《巴彦淖尔市教师专业能力提升行动计划（2023年—2025年）》§二（三）');
    expect(await cite.innerText()).not.toContain('000_1a3ff7e1cbb247a8.txt');
    await page.getByTestId('children-chart').locator('canvas').first().waitFor();
    await page.mouse.move(0, 0);
    await cite.waitFor({ state: 'hidden' });
    await shot(page, 'compliance-01-city');

    // The URL (and so the export) carries the evaluation date.
    await expect.poll(async () => (await page.locator('.ant-typography').filter({ hasText: '实施中' }).count()) > 0, { timeout: 60_000 }).toBe(true);
    const href = await page.getByTestId('export').getAttribute('href');
    expect(href).toContain('/api/compliance/summary.xlsx?');
    expect(href).toContain(`asOf=${AS_OF}`);
    const xlsx = await page.request.get(href!);
    expect(xlsx.ok()).toBe(true);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');

    // City → county.
    const county = page.getByTestId('child-org').first();
    const countyName = await county.innerText();
    await county.click();
    await expect.poll(() => page.getByTestId('org-trail').innerText(), { timeout: 60_000 }).toContain(countyName);
    await page.getByTestId('children-table').waitFor();
    await expect.poll(() => page.getByTestId('child-org').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await shot(page, 'compliance-02-county');

    // County → school: the school's teachers with what each is short of.
    const school = page.getByTestId('child-org').first();
    const schoolName = await school.innerText();
    await school.click();
    await expect.poll(() => page.getByTestId('org-trail').innerText(), { timeout: 60_000 }).toContain(schoolName);
    const teachers = page.getByTestId('teachers-table');
    await teachers.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('child-teacher').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('teacher-shortfalls').first().innerText()).toMatch(/还(需|差)|需/);
    expect(await page.getByTestId('teacher-shortfalls').first().getByTestId('status-tag').count()).toBeGreaterThan(0);
    await page.getByTestId('rules-chart').locator('canvas').first().waitFor();
    await shot(page, 'compliance-03-school');

    // The school's worklist: teachers needing attention, most urgent first, in plain words; on-pace teachers apart.
    await page.getByRole('button', { name: '本校待办清单' }).click();
    await page.waitForURL(/\/compliance\/worklist/);
    const needs = page.getByTestId('worklist-needs');
    await needs.first().waitFor({ timeout: 60_000 });
    await expect
      .poll(async () => (await page.getByTestId('worklist').innerText()).match(/还(需|差) [\d.]+ (学时|天|人|场次)[^\n]*截止 \d{4}-\d{2}-\d{2}/) !== null)
      .toBe(true);
    expect(await page.getByTestId('worklist').innerText()).toContain(schoolName);
    const urgencies = await page.getByTestId('worklist-urgency').allInnerTexts();
    expect(urgencies.length).toBeGreaterThan(0);
    // Most urgent first; nobody on pace among those needing attention.
    const rank = (u: string) => ['未达标（已逾期）', '临期', '进行中·落后进度'].indexOf(u);
    expect(urgencies.every((u) => rank(u) >= 0)).toBe(true);
    expect(urgencies.map(rank)).toEqual([...urgencies.map(rank)].sort((a, b) => a - b));
    expect(await page.getByTestId('worklist-filter').innerText()).toContain('进行中·进度正常');
    await shot(page, 'compliance-04-worklist');

    // One teacher's status, from the worklist.
    const name = await page.getByTestId('worklist-teacher').first().innerText();
    await page.getByTestId('worklist-teacher').first().click();
    await page.getByTestId('teacher-compliance').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('teacher-name').innerText()).toBe(name);
    expect(await page.getByTestId('requirement').count()).toBeGreaterThan(0);
    await shot(page, 'compliance-05-teacher-status');
    await context.close();
  });

  it('after a write, the dashboard shows the stored figures as being recomputed, then the current ones by itself', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);
    const policyId = (await e.ctx.db.query<{ id: number }>(`SELECT id FROM policies WHERE key = 'bayannur-2023-2025'`)).rows[0].id;
    const url = `/compliance?policyId=${policyId}&asOf=2025-12-31`;
    await page.goto(url);
    await page.getByTestId('rules-table').waitFor({ timeout: 60_000 });
    // As if this summary were a city's (seconds to compute): over the budget for recomputing inside a request.
    await e.ctx.db.query(`UPDATE compliance_snapshots SET duration_ms = 3000`);
    const teacher = (await e.ctx.db.query<{ id: number }>(`SELECT id FROM teachers WHERE status = 'active' ORDER BY id LIMIT 1`)).rows[0].id;
    await e.ctx.db.query(
      `INSERT INTO ledger_entries (teacher_id, hours, category, occurred_on, source_type, description) VALUES ($1, 2, 'it', '2025-05-05', 'import', '浏览器测试')`,
      [teacher],
    );
    await page.reload();
    // Visible until the page's next request (at least two seconds later) brings the recomputed figures.
    const stale = page.getByTestId('summary-stale').filter({ hasText: '数据有变动，正在重新计算' });
    await stale.waitFor({ timeout: 60_000 });
    // The page asks again and swaps in the current figures without a reload.
    await stale.waitFor({ state: 'hidden', timeout: 60_000 });
    await context.close();
  });

  it('a school admin has the worklist in the menu', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'school.admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /待办清单/ }).click();
    await page.waitForURL(/\/compliance\/worklist/);
    await page.getByTestId('worklist-needs').first().waitFor({ timeout: 60_000 });
    // Today the 2023–2025 plan is over: its unmet requirements are 未达标, listed first.
    expect(await page.getByTestId('worklist-summary').innerText()).toMatch(/未达标 \d+ 人|临期 \d+ 人|落后进度 \d+ 人/);
    expect((await page.getByTestId('worklist-urgency').allInnerTexts())[0]).toBe('未达标（已逾期）');
    await context.close();
  });

  it('a teacher sees on the phone what is still needed, with the source text on tap', async () => {
    const { context, page } = await newPage(e, { width: 390, height: 844 });
    await uiLogin(page, 'teacher', DEMO_PASSWORD);
    const card = page.getByTestId('my-compliance');
    await card.waitFor({ timeout: 60_000 });
    await page.getByTestId('teacher-compliance').waitFor({ timeout: 60_000 });
    expect(await card.innerText()).toContain('我还需完成的培训要求');
    expect(await page.getByTestId('outstanding').innerText()).toMatch(/还有 \d+ 项要求未完成|各项要求均已达标/);
    // Met requirements fold away on the phone; open them so there is always something to tap.
    const unfold = card.getByRole('button', { name: /展开查看/ });
    if (!(await page.getByTestId('requirement').count())) await unfold.first().click();
    const first = page.getByTestId('requirement-title').first();
    await first.click();
    await page.getByTestId('cite-text').first().waitFor();
    expect(await page.getByTestId('cite-text').first().innerText()).toMatch(/出处：.+“.{4,}”/s);
    await shot(page, 'compliance-06-teacher-home-phone');
    // No horizontal scrolling on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await context.close();
  });

  it('a bureau admin validates a broken policy, jumps to the error line, publishes a fixed version and uploads a new policy', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);
    await page.getByRole('menuitem', { name: /政策管理/ }).click();
    await page.getByTestId('policies-table').waitFor({ timeout: 60_000 });
    await shot(page, 'compliance-07-policies');
    await page.getByTestId('policy-link').filter({ hasText: '巴彦淖尔' }).click();
    await page.getByTestId('policy-rules').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('policy-rules').innerText()).toContain('每个自然年');
    await shot(page, 'compliance-08-policy-rules');

    await page.getByRole('tab', { name: /编辑并发布新版本/ }).click();
    const area = page.getByTestId('policy-text');
    await area.waitFor();
    const good = await area.inputValue();
    expect(good).toMatch(/^version: 3$/m);
    // A misspelt category and an unknown field, on known lines.
    const broken = good.replace('categories: [homeroom]', 'categories: [homeroon]').replace('    atLeast: 40\n', '    atLeast: 40\n    colour: red\n');
    const lineOf = (needle: string) => broken.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const badCategory = lineOf('[homeroon]');
    const badField = lineOf('colour: red');
    expect(badCategory).toBeGreaterThan(1);
    await area.fill(broken);
    await page.getByTestId('validate').click();
    const errors = page.getByTestId('policy-error');
    await errors.first().waitFor({ timeout: 30_000 });
    const texts = await errors.allInnerTexts();
    expect(texts.some((t) => t.includes(`第${badCategory}行`) && t.includes('rules[0].categories'))).toBe(true);
    expect(texts.some((t) => t.includes(`第${badField}行`) && t.includes('colour'))).toBe(true);
    // A click on an error puts the cursor on its line.
    await errors.filter({ hasText: 'colour' }).click();
    await expect.poll(() => page.getByTestId('cursor-pos').innerText()).toContain(`第 ${badField} 行`);
    const selected = await area.evaluate((t: HTMLTextAreaElement) => t.value.slice(t.selectionStart, t.selectionEnd));
    expect(selected).toContain('colour: red');
    await page.mouse.move(0, 0);
    await shot(page, 'compliance-09-policy-errors');

    // A YAML syntax error points at its line too.
    const syntax = good.replace(/^title: (.*)$/m, '  title: $1');
    await area.fill(syntax);
    await page.getByTestId('validate').click();
    await expect.poll(async () => (await errors.allInnerTexts()).join('\n'), { timeout: 30_000 }).toMatch(/第\d+行[\s\S]*YAML 格式错误/);

    // Fixed: publish version 3 (the seed file is version 2); the version history shows both.
    await area.fill(good);
    await page.getByLabel('版本说明').fill('浏览器测试：重新发布');
    await page.getByTestId('submit-policy').click();
    // Publishing asks for confirmation, showing what changes against the published version.
    await page.getByTestId('policy-diff').waitFor({ timeout: 30_000 });
    await page.getByTestId('confirm-publish').click();
    await expect.poll(() => page.getByTestId('policy-versions').innerText(), { timeout: 30_000 }).toContain('第 3 版');
    expect(await page.getByTestId('policy-versions').innerText()).toContain('浏览器测试：重新发布');

    // Upload a new policy from a file, read in the browser.
    const file = `${ARTIFACTS}/test-policy.yaml`;
    writeFileSync(
      file,
      [
        'policy: e2e-test-policy',
        'version: 1',
        'title: 浏览器测试政策（2025年）',
        'source: { file: 浏览器测试.txt }',
        'appliesTo: { name: 塞北市 }',
        'period: { from: 2025-01-01, to: 2025-12-31 }',
        'rules:',
        '  - id: ethics-annual',
        '    kind: hours',
        '    title: 每人每年师德师风培训不少于 6 学时',
        '    who: { all: true }',
        '    categories: [ethics]',
        '    atLeast: 6',
        '    window: { every: year }',
        "    cite: { section: 一（一）, text: '每位教师每年参加师德师风专题培训不少于6学时' }",
        '',
      ].join('\n'),
    );
    await page.goto('/policies');
    await page.getByTestId('new-policy').click();
    await page.getByTestId('policy-editor').locator('input[type=file]').setInputFiles(file);
    await expect.poll(() => page.getByTestId('policy-text').inputValue()).toContain('e2e-test-policy');
    await page.getByTestId('validate').click();
    await page.getByTestId('validation-ok').waitFor({ timeout: 30_000 });
    await page.getByTestId('submit-policy').click();
    await expect.poll(() => page.getByTestId('policy-title').innerText(), { timeout: 30_000 }).toBe('浏览器测试政策（2025年）');
    expect(await page.getByTestId('policy-rules').innerText()).toContain('每人每年师德师风培训不少于 6 学时');
    await shot(page, 'compliance-10-uploaded-policy');
    await context.close();
  });
});
