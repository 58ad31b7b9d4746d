import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld } from '../../../../test/factories.js';

let t: TestApp;
let cookie = '';

/** multipart/form-data with text fields and, optionally, a file (after the fields). */
function form(fields: Record<string, string>, file?: { name: string; content: Buffer }) {
  const boundary = `----qs${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file.content,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie } };
}
const post = (url: string, f: ReturnType<typeof form>) => t.app.inject({ method: 'POST', url, payload: f.payload, headers: f.headers });

beforeAll(async () => {
  t = await createTestApp();
  await seedWorld(t.ctx);
  cookie = await login(t.app, 'city.admin', PASSWORD);
}, 120_000);
afterAll(async () => t?.close());

describe('hour import uploads (shared too-large and missing-file answers of platform/upload.ts)', () => {
  const big = { name: 'big.csv', content: Buffer.alloc(10 * 1024 * 1024 + 10, 0x41) };

  it('a file over 10 MB is 413 with the import message, for the analysis and for a run', async () => {
    for (const url of ['/api/hour-imports/analyse', '/api/hour-imports?dryRun=1']) {
      const r = await post(url, form({ mapping: '{}' }, big));
      expect(r.statusCode, url).toBe(413);
      expect(r.json().message).toBe('文件超过 10 MB，请拆分成多个文件后分批导入');
    }
  });

  it('no file is 400 naming the field; a mapping that is not JSON is 400 naming mapping', async () => {
    const none = await post('/api/hour-imports', form({ mapping: '{}' }));
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ message: '请选择要上传的文件（.xlsx 或 .csv）', fields: [{ field: 'file', message: '请选择文件' }] });
    const bad = await post('/api/hour-imports', form({ mapping: '{oops' }, { name: 'a.csv', content: Buffer.from('姓名,学时\n') }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ message: '映射设置不是有效的 JSON', fields: [{ field: 'mapping', message: '格式不正确' }] });
  });
});
