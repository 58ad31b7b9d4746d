import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { dialogCloses, newPage, shot, startE2E, uiLogin, type E2E } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 20 });
});
afterAll(async () => e?.close());

// The city's own plan (attached to the bureau that uploads it), with a comment the form must keep.
const POLICY = `# 表单编辑浏览器测试：这行注释发布后仍在
policy: browser-form
version: 1
title: 塞北市强师计划（2026—2027年）
source: { file: 000_browser_form.txt, title: 塞北市强师计划（2026年—2027年） }
appliesTo: {}
period: { from: 2026-01-01, to: 2027-12-31 }
rules:
  - id: homeroom-annual
    kind: hours
    title: 班主任每年研修不少于 40 学时
    label: 班主任研修
    who: { role: homeroom }
    categories: [homeroom]
    atLeast: 40
    window: { every: year }
    cite: { section: 二（二）, text: 每位班主任每年不少于40学时 }
  - id: it-annual
    kind: hours
    title: 信息技术每年不少于 8 学时
    who: { all: true }
    categories: [it]
    atLeast: 8
    window: { every: year }
    cite: { section: 二（五）, text: 每年不少于8学时 }
`;

describe('the form policy editor', () => {
  it('a bureau admin edits the 班主任 hours in the form, sees the diff, confirms, and the compliance page uses the new version', async () => {
    const { context, page } = await newPage(e);
    await uiLogin(page, 'city.admin', DEMO_PASSWORD);
    const res = await page.request.post('/api/policies', { data: { text: POLICY } });
    expect(res.status()).toBe(201);
    const { id } = (await res.json()) as { id: number };

    await page.goto(`/policies/${id}`);
    await page.getByTestId('policy-rules').waitFor({ timeout: 60_000 });
    // The rule's source by the plan's title and section; no rule code, no file name.
    const rulesText = await page.getByTestId('policy-rules').innerText();
    expect(rulesText).toContain('《塞北市强师计划（2026年—2027年）》§二（二）');
    expect(rulesText).not.toContain('homeroom-annual');
    expect(rulesText).not.toContain('000_browser_form.txt');

    await page.getByRole('tab', { name: '表单编辑' }).click();
    await page.getByTestId('policy-form').waitFor();
    await page.getByText('班主任每年研修不少于 40 学时').click();
    const rule = page.getByTestId('rule-form-homeroom-annual');
    await rule.waitFor();
    const figure = rule.getByLabel('要求');
    expect(await figure.inputValue()).toBe('40');

    // A wrong value is named at its field, in Chinese, and nothing is published.
    await rule.getByLabel('提醒天数').fill('30、400');
    await expect.poll(() => rule.innerText()).toContain('提醒天数应为 1—365 的整数（400 不符合）');
    await page.getByTestId('form-review').click();
    expect(await page.getByTestId('policy-diff').count()).toBe(0);
    await rule.getByLabel('提醒天数').fill('30、7');

    await figure.fill('48');
    await expect.poll(() => page.getByTestId('policy-form').innerText()).toContain('已修改');
    await shot(page, 'policy-form-01-edit');
    await page.getByTestId('form-review').click();

    // The confirmation: the figure in words, and the line diff against the published version.
    const dialog = page.getByRole('dialog');
    await page.getByTestId('policy-diff').waitFor({ timeout: 30_000 });
    const summary = await page.getByTestId('change-summary').innerText();
    expect(summary).toContain('班主任研修 · 要求：40 学时 → 48 学时');
    // The title stated the figure: it follows.
    expect(summary).toContain('班主任研修 · 标题：班主任每年研修不少于 40 学时 → 班主任每年研修不少于 48 学时');
    expect(summary).toContain('班主任研修 · 提醒：按政策默认 → 截止前 30 天、7 天');
    expect(await page.getByTestId('diff-del').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('atLeast: 40')]));
    expect(await page.getByTestId('diff-add').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining('atLeast: 48'), expect.stringContaining('version: 2')]),
    );
    await shot(page, 'policy-form-02-confirm');
    await page.getByLabel('发布说明').fill('表单修改：班主任 48 学时');
    await page.getByTestId('confirm-publish').click();
    await dialogCloses(dialog);

    // Published as version 2; its text keeps the comment and every line the form did not touch.
    await expect.poll(() => page.getByTestId('policy-versions').innerText(), { timeout: 30_000 }).toContain('第 2 版');
    expect(await page.getByTestId('policy-versions').innerText()).toContain('表单修改：班主任 48 学时');
    const detail = (await (await page.request.get(`/api/policies/${id}`)).json()) as { text: string; version: number };
    expect(detail.version).toBe(2);
    expect(detail.text).toContain('# 表单编辑浏览器测试：这行注释发布后仍在');
    expect(detail.text).toContain('    cite: { section: 二（二）, text: 每位班主任每年不少于40学时 }');

    // The compliance page evaluates the new version: the 班主任 rule asks 48 学时.
    await page.goto(`/compliance?policyId=${id}&asOf=2026-06-30`);
    const rules = page.getByTestId('rules-table');
    await rules.waitFor({ timeout: 60_000 });
    await expect.poll(() => rules.innerText(), { timeout: 60_000 }).toContain('班主任每年研修不少于 48 学时');
    expect(await rules.innerText()).toContain('≥ 48 学时');
    await shot(page, 'policy-form-03-compliance');
    await context.close();
  });
});
