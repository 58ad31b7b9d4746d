import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/modules/auth/demo-accounts.js';
import { dialogCloses, type E2E, newPage, orgOfUser, shot, startE2E, uiLogin } from './support.js';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ teachers: 300 });
});
afterAll(async () => e?.close());

const PHONE = { width: 390, height: 844 };
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(256, 7)]);

/** Pick an option of an antd Select (opened by clicking it; searchable ones filter as we type). */
async function choose(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
}

describe('师德举报 in the browser', () => {
  it('an anonymous reporter files on a phone, the officer answers 不予受理, the reporter reads the answer with the tracking code', async () => {
    const county = await orgOfUser(e.ctx.db, 'ethics.officer');

    // The reporter, logged out, on a phone.
    const r = await newPage(e, PHONE);
    await r.page.goto('/report');
    await choose(r.page, 'ethics-org', county.name);
    await choose(r.page, 'ethics-category', '关心爱护学生');
    const account = '本周一上午数学课上，老师当众辱骂学生并罚站一节课，多名同学可以作证。';
    await r.page.getByTestId('ethics-content').fill(account);
    // A file that is not a picture is refused here, and nothing typed is lost.
    await r.page.getByTestId('ethics-files').setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await expect.poll(() => r.page.getByTestId('ethics-file-error').innerText()).toContain('不是图片');
    expect(await r.page.getByTestId('ethics-content').inputValue()).toBe(account);
    await r.page.getByTestId('ethics-files').setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
    await r.page.getByText('现场照片.png').waitFor();
    // Nothing wider than the phone.
    expect(await r.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(r.page, 'ethics-01-report-form');
    await r.page.getByTestId('ethics-submit').click();
    await r.page.getByTestId('ethics-receipt').waitFor();
    const code = (await r.page.getByTestId('ethics-code').innerText()).trim();
    const secret = (await r.page.getByTestId('ethics-secret').innerText()).trim();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(secret.replace(/-/g, '')).toHaveLength(16);
    await shot(r.page, 'ethics-02-receipt');

    // The county's 师德专干 finds it in 举报受理 and answers 不予受理 with a reason.
    const o = await newPage(e);
    await uiLogin(o.page, 'ethics.officer', DEMO_PASSWORD);
    await o.page.getByRole('menuitem', { name: /举报受理/ }).click();
    await o.page.getByRole('link', { name: code }).click();
    await o.page.getByText(account).waitFor();
    await o.page.getByRole('link', { name: '现场照片.png' }).waitFor();
    const reason = '经核查，该班当日由代课教师授课，所反映情况与事实不符，不予受理。如有新的线索，欢迎再次反映。';
    await o.page.getByTestId('ethics-reject').click();
    const dialog = o.page.getByRole('dialog');
    await dialog.getByTestId('ethics-reject-reason').fill(reason);
    await dialog.getByTestId('ethics-action-submit').click();
    await dialogCloses(dialog);
    await expect.poll(() => o.page.getByTestId('ethics-status').innerText()).toBe('不予受理');
    await shot(o.page, 'ethics-03-officer-rejected');

    // The reporter reads the answer with the code and the secret.
    await r.page.goto('/report/track');
    await r.page.getByTestId('ethics-track-code').fill(code);
    await r.page.getByTestId('ethics-track-secret').fill(secret);
    await r.page.getByTestId('ethics-track-submit').click();
    await r.page.getByTestId('ethics-track-result').waitFor();
    expect(await r.page.getByTestId('ethics-track-result').innerText()).toContain('不予受理');
    expect(await r.page.getByTestId('ethics-track-answer').innerText()).toBe(reason);
    await shot(r.page, 'ethics-04-track-answer');
    await r.context.close();
    await o.context.close();
  });
});
