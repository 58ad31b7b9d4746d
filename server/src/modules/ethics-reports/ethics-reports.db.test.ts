import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness.js';
import { PASSWORD, seedWorld, type World } from '../../../../test/factories.js';
import { createSession, hashPassword } from '../../platform/auth.js';
import { insertUser } from '../users/users.repository.js';
import { policiesRepo, syncSeedPolicies } from '../policies/policies.service.js';
import { addWorkingDays } from './ethics-deadlines.js';
import { escalateOverdue } from './ethics-escalation.js';
import { PUBLIC_LIMITS } from './ethics-reports.routes.js';
import { todayInChina } from '../../platform/china-time.js';

let t: TestApp;
let w: World;
const cookies: Record<string, string> = {};
let ipSeq = 0;
/** Each public call from its own address, so the per-address limits do not get in the way (the burst test uses one). */
const nextIp = () => `10.1.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

async function account(username: string, role: 'ethicsOfficer' | 'bureauAdmin', orgId: number): Promise<string> {
  const userId = await insertUser(t.db, { username, passwordHash: await hashPassword(PASSWORD), displayName: username, role, orgId });
  return `qs_session=${(await createSession(t.db, userId)).token}`;
}

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t.ctx);
  for (const u of ['county.admin', 'school.admin', 'teacher']) cookies[u] = await login(t.app, u, PASSWORD);
  cookies.officer = await account('ethics.c1', 'ethicsOfficer', w.county1);
  cookies.officer2 = await account('ethics.c2', 'ethicsOfficer', w.county2);
  cookies.cityOfficer = await account('ethics.city', 'ethicsOfficer', w.city);
});
afterAll(async () => t?.close());

const as = (who: string, method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: { cookie: cookies[who] } });
const pub = (method: 'GET' | 'POST', url: string, payload?: object, ip = nextIp()) => t.app.inject({ method, url, payload, remoteAddress: ip });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

/** The public form as the browser sends it: the report as JSON in `data`, files in `files`. */
function multipart(data: object, files: { name: string; bytes: Buffer }[]) {
  const b = `----ethics${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="data"\r\n\r\n${JSON.stringify(data)}\r\n`)];
  for (const f of files)
    parts.push(
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      f.bytes,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${b}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}
const submit = (data: object, files: { name: string; bytes: Buffer }[] = [], ip = nextIp()) =>
  t.app.inject({ method: 'POST', url: '/api/public/ethics/reports', ...multipart(data, files), remoteAddress: ip });

const facts = (over: object = {}) => ({
  handlingOrgId: w.county1,
  schoolOrgId: w.school1,
  subjectName: '王老师',
  category: 'care',
  content: '2026 年 11 月 20 日上午第二节课，王老师当众辱骂我的孩子，并罚站一整节课。',
  occurredOn: '2026-11-20',
  ...over,
});
const reportCount = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ethics_reports')).rows[0].n;
const auditCount = async (action: string, entityId?: number) =>
  (
    await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND ($2::text IS NULL OR entity_id = $2)', [
      action,
      entityId === undefined ? null : String(entityId),
    ])
  ).rows[0].n;

describe('举报受理: intake', () => {
  it('takes a named report with attachments from the public page: code, secret shown once, identity and account sealed', async () => {
    const r = await submit({ ...facts(), anonymous: false, reporter: { name: '李家长', phone: '138 0000 1234', relation: '学生家长' } }, [
      { name: '照片.png', bytes: PNG },
      { name: '聊天记录.pdf', bytes: PDF },
    ]);
    expect(r.statusCode).toBe(201);
    const receipt = r.json();
    expect(receipt.trackingCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(receipt.secret.replace(/-/g, '')).toHaveLength(16);
    expect(receipt.trackingCode).not.toMatch(/[01OIL]/);
    expect(receipt.respondBy).toBe(addWorkingDays(todayInChina(), 5));
    expect(receipt.concludeBy).toBe(addWorkingDays(todayInChina(), 30));
    expect(receipt.handlingOrgName).toBe('甲区教育局');
    const row = (
      await t.db.query<{ secret_hash: string; content_enc: string; reporter_enc: string; subject_name_enc: string; anonymous: boolean; channel: string }>(
        'SELECT * FROM ethics_reports WHERE tracking_code = $1',
        [receipt.trackingCode.replace('-', '')],
      )
    ).rows[0];
    expect(row.channel).toBe('web');
    expect(row.anonymous).toBe(false);
    // Nothing readable at rest: not the secret, the account, the reporter or the teacher's name.
    const raw = JSON.stringify(row);
    for (const s of ['李家长', '13800001234', '辱骂', '王老师', receipt.secret.replace(/-/g, '')]) expect(raw).not.toContain(s);
    const files = await t.db.query('SELECT 1 FROM ethics_report_files f JOIN ethics_reports r ON r.id = f.report_id WHERE r.tracking_code = $1', [
      receipt.trackingCode.replace('-', ''),
    ]);
    expect(files.rows).toHaveLength(2);
    // The handling bureau's officer is told.
    const inbox = (await as('officer', 'GET', '/api/notifications')).json();
    expect(JSON.stringify(inbox)).toContain('收到师德举报');
  });

  it('takes an anonymous report as plain JSON, and keeps no reporter', async () => {
    const r = await pub('POST', '/api/public/ethics/reports', { ...facts({ category: 'tutoring', schoolOrgId: null }), anonymous: true });
    expect(r.statusCode).toBe(201);
    const row = (
      await t.db.query<{ reporter_enc: string | null; anonymous: boolean }>('SELECT * FROM ethics_reports WHERE tracking_code = $1', [
        r.json().trackingCode.replace('-', ''),
      ])
    ).rows[0];
    expect(row).toMatchObject({ reporter_enc: null, anonymous: true });
  });

  it('logs a call to the 举报电话: channel phone, received by the officer, code and secret to read out', async () => {
    const r = await as('officer', 'POST', '/api/ethics/reports', {
      ...facts({ category: 'integrity' }),
      channel: 'phone',
      callerName: '赵先生',
      callerPhone: '13900002222',
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().secret).toBeTruthy();
    const row = (
      await t.db.query<{ channel: string; received_by: number }>('SELECT channel, received_by FROM ethics_reports WHERE tracking_code = $1', [
        r.json().trackingCode.replace('-', ''),
      ])
    ).rows[0];
    expect(row.channel).toBe('phone');
    expect(row.received_by).toBeGreaterThan(0);
    // A letter without a name is anonymous.
    const letter = await as('officer', 'POST', '/api/ethics/reports', { ...facts(), channel: 'letter' });
    expect(letter.statusCode).toBe(201);
    // Only for its own subtree, and only the ethics office.
    expect(
      (await as('officer', 'POST', '/api/ethics/reports', { ...facts({ handlingOrgId: w.county2, schoolOrgId: null }), channel: 'phone' })).statusCode,
    ).toBe(400);
    expect((await as('county.admin', 'POST', '/api/ethics/reports', { ...facts(), channel: 'phone' })).statusCode).toBe(403);
  });

  it('refuses missing fields with Chinese field messages, and stores nothing', async () => {
    const before = await reportCount();
    const r = await pub('POST', '/api/public/ethics/reports', { anonymous: false, content: '太短' });
    expect(r.statusCode).toBe(400);
    const fields = (r.json().fields as { field: string; message: string }[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['handlingOrgId', 'category', 'content']));
    expect(r.json().message).toContain('请选择举报类别');
    const unnamed = await pub('POST', '/api/public/ethics/reports', { ...facts(), anonymous: false });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().fields).toEqual([{ field: 'reporter.name', message: '实名举报请填写姓名和联系电话，或选择匿名举报' }]);
    const badCategory = await pub('POST', '/api/public/ethics/reports', { ...facts({ category: 'nonsense' }), anonymous: true });
    expect(badCategory.statusCode).toBe(400);
    expect(badCategory.json().fields[0].field).toBe('category');
    const schoolElsewhere = await pub('POST', '/api/public/ethics/reports', { ...facts({ schoolOrgId: w.school3 }), anonymous: true });
    expect(schoolElsewhere.statusCode).toBe(400);
    expect(schoolElsewhere.json().message).toContain('不在所选地区');
    expect(await reportCount()).toBe(before);
  });

  it('refuses oversized, wrong-type and too many attachments with a clear message, and stores nothing', async () => {
    const before = await reportCount();
    const big = await submit({ ...facts(), anonymous: true }, [
      { name: '大照片.jpg', bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5 * 1024 * 1024)]) },
    ]);
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toContain('“大照片.jpg”超过 5 MB');
    const exe = await submit({ ...facts(), anonymous: true }, [{ name: '照片.jpg', bytes: Buffer.from('MZ\x90\x00 this is not an image') }]);
    expect(exe.statusCode).toBe(415);
    expect(exe.json().message).toContain('不是图片（JPG、PNG）或 PDF');
    const many = await submit(
      { ...facts(), anonymous: true },
      Array.from({ length: 6 }, (_, i) => ({ name: `${i}.pdf`, bytes: PDF })),
    );
    expect(many.statusCode).toBe(400);
    expect(many.json().message).toContain('附件最多 5 个');
    expect(await reportCount()).toBe(before);
  });

  it('lists regions, schools and the categories in force (policy data, else the platform default)', async () => {
    const orgs = (await pub('GET', '/api/public/ethics/orgs')).json().items as { id: number; name: string }[];
    expect(orgs.map((o) => o.name)).toEqual(['测试市教育局', '甲区教育局', '乙县教育局']);
    expect(Object.keys(orgs[0]).sort()).toEqual(['id', 'level', 'name', 'parentId']);
    const schools = (await pub('GET', `/api/public/ethics/schools?orgId=${w.county1}`)).json().items as { name: string }[];
    expect(schools.map((s) => s.name).sort()).toEqual(['甲区第一小学', '甲区第二中学']);
    expect((await pub('GET', `/api/public/ethics/schools?orgId=${w.school1}`)).statusCode).toBe(404);
    const dflt = (await pub('GET', `/api/public/ethics/categories?orgId=${w.county1}`)).json();
    expect(dflt.categories).toHaveLength(11);
    expect(dflt.source).toContain('平台默认');
    // The provincial plan (seed 002) carries an `ethics:` section: attached above the county, it is what applies.
    await syncSeedPolicies(t.db);
    const p = await policiesRepo.findPolicyByKey(t.db, 'province-strong-teacher');
    expect(p).not.toBeNull();
    await policiesRepo.attach(t.db, p!.id, w.city, null);
    const fromPolicy = (await pub('GET', `/api/public/ethics/categories?orgId=${w.county1}`)).json();
    expect(fromPolicy.source).toContain('三（一）2');
    expect(fromPolicy.respondWorkingDays).toBe(5);
    expect(fromPolicy.categories.map((c: { code: string }) => c.code)).toContain('tutoring');
    await policiesRepo.detach(t.db, p!.id, w.city);
  });
});

describe('举报受理: tracking and confidentiality', () => {
  let id: number;
  let code: string;
  let secret: string;

  beforeAll(async () => {
    const r = await pub('POST', '/api/public/ethics/reports', {
      ...facts(),
      anonymous: false,
      reporter: { name: '孙女士', phone: '13712345678', relation: '学生家长' },
    });
    ({ trackingCode: code, secret } = r.json());
    id = (await t.db.query<{ id: number }>('SELECT id FROM ethics_reports WHERE tracking_code = $1', [code.replace('-', '')])).rows[0].id;
  });

  it('shows the status in plain words with the code and secret, and nothing about the teacher', async () => {
    const r = await pub('POST', '/api/public/ethics/track', { code: code.toLowerCase(), secret });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'received', statusLabel: '已收到', handlingOrgName: '甲区教育局', answer: null, categoryLabel: '关心爱护学生' });
    const body = r.body;
    for (const s of ['王老师', '甲区第一小学', '孙女士', '辱骂']) expect(body).not.toContain(s);
  });

  it('answers a wrong secret exactly like an unknown code', async () => {
    const wrong = await pub('POST', '/api/public/ethics/track', { code, secret: 'AAAA-AAAA-AAAA-AAAA' });
    const unknown = await pub('POST', '/api/public/ethics/track', { code: 'AAAA-AAAA', secret });
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().message).toBe('查询码或查询密码不正确，请核对后重试');
  });

  it('says when the secret has expired', async () => {
    const r = await pub('POST', '/api/public/ethics/reports', { ...facts(), anonymous: true });
    const c = r.json().trackingCode as string;
    await t.db.query(`UPDATE ethics_reports SET secret_expires_at = now() - interval '1 day' WHERE tracking_code = $1`, [c.replace('-', '')]);
    const tr = await pub('POST', '/api/public/ethics/track', { code: c, secret: r.json().secret });
    expect(tr.statusCode).toBe(404);
    expect(tr.json().message).toContain('查询密码已过期');
  });

  it('lets the handling office read the report (audited) with the reporter masked, and unmask (audited)', async () => {
    const reads = await auditCount('ethics.report.read', id);
    const d = await as('officer', 'GET', `/api/ethics/reports/${id}`);
    expect(d.statusCode).toBe(200);
    expect(d.json()).toMatchObject({ content: facts().content, subjectName: '王老师', schoolName: '甲区第一小学', canUnmask: true, canRespond: true });
    expect(d.json().reporter).toEqual({ name: '孙**', phone: '137****5678', relation: '学生家长' });
    expect(await auditCount('ethics.report.read', id)).toBe(reads + 1);
    const u = await as('officer', 'POST', `/api/ethics/reports/${id}/reporter`);
    expect(u.json()).toEqual({ name: '孙女士', phone: '13712345678', relation: '学生家长' });
    expect(await auditCount('ethics.reporter.unmask', id)).toBe(1);
    const list = (await as('officer', 'GET', '/api/ethics/reports')).json().items as { id: number }[];
    expect(list.map((x) => x.id)).toContain(id);
  });

  it('is 404 for the school, the teacher, the county admin and another county; the city sees it but not the reporter', async () => {
    for (const who of ['school.admin', 'teacher', 'county.admin', 'officer2']) {
      expect((await as(who, 'GET', `/api/ethics/reports/${id}`)).statusCode, who).toBe(404);
      expect((await as(who, 'POST', `/api/ethics/reports/${id}/reporter`)).statusCode, who).toBe(404);
      expect((await as(who, 'POST', `/api/ethics/reports/${id}/reject`, { reason: '不属于师德问题范围' })).statusCode, who).toBe(404);
    }
    expect((await as('officer2', 'GET', '/api/ethics/reports')).json().items.map((x: { id: number }) => x.id)).not.toContain(id);
    expect((await as('school.admin', 'GET', '/api/ethics/reports')).statusCode).toBe(403);
    // The city's office sees the subtree's reports (masked) but reads the reporter only once the report is escalated to it.
    const city = await as('cityOfficer', 'GET', `/api/ethics/reports/${id}`);
    expect(city.statusCode).toBe(200);
    expect(city.json().canUnmask).toBe(false);
    expect((await as('cityOfficer', 'POST', `/api/ethics/reports/${id}/reporter`)).statusCode).toBe(404);
  });

  it('rejects with a reason the reporter reads, once', async () => {
    const r = await as('officer', 'POST', `/api/ethics/reports/${id}/reject`, { reason: '经核实，所反映情况不属于师德失范问题，已转学校处理。' });
    expect(r.statusCode).toBe(200);
    expect((await as('officer', 'POST', `/api/ethics/reports/${id}/reject`, { reason: '再次不予受理的理由' })).statusCode).toBe(409);
    expect((await as('officer', 'POST', `/api/ethics/reports/${id}/reject`, { reason: '短' })).statusCode).toBe(400);
    const tr = (await pub('POST', '/api/public/ethics/track', { code, secret })).json();
    expect(tr).toMatchObject({ status: 'rejected', statusLabel: '不予受理', answer: '经核实，所反映情况不属于师德失范问题，已转学校处理。' });
    expect(tr.firstResponseAt).not.toBeNull();
    const d = (await as('officer', 'GET', `/api/ethics/reports/${id}`)).json();
    expect(d.events.map((e: { action: string }) => e.action)).toEqual(['received', 'rejected']);
  });
});

describe('举报受理: deadlines, escalation, transfer', () => {
  it('counts working days Monday to Friday', () => {
    expect(addWorkingDays('2026-12-04', 5)).toBe('2026-12-11'); // Friday → next Friday
    expect(addWorkingDays('2026-12-05', 1)).toBe('2026-12-07'); // Saturday → Monday
    expect(addWorkingDays('2026-12-07', 30)).toBe('2027-01-18');
  });

  it('escalates an overdue report once to the bureau above, tells its officers, and lets them read the reporter', async () => {
    const r = await pub('POST', '/api/public/ethics/reports', { ...facts(), anonymous: false, reporter: { name: '周先生', phone: '13600000000' } });
    const id = (await t.db.query<{ id: number }>('SELECT id FROM ethics_reports WHERE tracking_code = $1', [r.json().trackingCode.replace('-', '')])).rows[0]
      .id;
    const todo = async (who: string, kind: string) =>
      ((await as(who, 'GET', '/api/todo')).json().items as { kind: string; count: number }[]).find((i) => i.kind === kind)?.count;
    expect(await todo('officer', 'ethicsReports')).toBeGreaterThan(0);
    const overdueBefore = (await todo('officer', 'ethicsOverdue')) ?? 0;
    await t.db.query(`UPDATE ethics_reports SET respond_by = $2::date - 1 WHERE id = $1`, [id, todayInChina()]);
    expect(await todo('officer', 'ethicsOverdue')).toBe(overdueBefore + 1);
    const list = (await as('officer', 'GET', '/api/ethics/reports?overdue=true')).json().items as { id: number; overdue: string }[];
    expect(list.find((x) => x.id === id)?.overdue).toBe('respond');

    const first = await escalateOverdue(t.ctx);
    expect(first.escalated).toContain(id);
    const again = await escalateOverdue(t.ctx);
    expect(again.escalated).not.toContain(id);
    const row = (await t.db.query<{ escalated_to_org_id: number; escalation_reason: string }>('SELECT * FROM ethics_reports WHERE id = $1', [id])).rows[0];
    expect(row).toMatchObject({ escalated_to_org_id: w.city, escalation_reason: 'respond' });
    const inbox = JSON.stringify((await as('cityOfficer', 'GET', '/api/notifications')).json());
    expect(inbox.match(/超过受理时限/g)?.length).toBe(1);
    const d = (await as('cityOfficer', 'GET', `/api/ethics/reports/${id}`)).json();
    expect(d).toMatchObject({ canUnmask: true, escalatedToName: '测试市教育局' });
    expect((await as('cityOfficer', 'POST', `/api/ethics/reports/${id}/reporter`)).json().name).toBe('周先生');
  });

  it('transfers to another bureau of the officer’s subtree, with a trail; the new office handles it', async () => {
    const r = await pub('POST', '/api/public/ethics/reports', { ...facts({ schoolOrgId: null }), anonymous: true });
    const id = (await t.db.query<{ id: number }>('SELECT id FROM ethics_reports WHERE tracking_code = $1', [r.json().trackingCode.replace('-', '')])).rows[0]
      .id;
    // A county cannot hand it to its sibling; the city can.
    expect((await as('officer', 'POST', `/api/ethics/reports/${id}/transfer`, { orgId: w.county2, comment: '属乙县管辖' })).statusCode).toBe(400);
    const ok = await as('cityOfficer', 'POST', `/api/ethics/reports/${id}/transfer`, { orgId: w.county2, comment: '被举报人在乙县任教' });
    expect(ok.statusCode).toBe(200);
    expect((await as('officer', 'GET', `/api/ethics/reports/${id}`)).statusCode).toBe(404);
    const d = (await as('officer2', 'GET', `/api/ethics/reports/${id}`)).json();
    expect(d.handlingOrgName).toBe('乙县教育局');
    expect(d.events.map((e: { action: string; comment: string | null }) => [e.action, e.comment])).toEqual([
      ['received', null],
      ['transferred', '被举报人在乙县任教'],
    ]);
    expect((await as('officer2', 'POST', `/api/ethics/reports/${id}/notes`, { comment: '已电话联系学校核实' })).statusCode).toBe(200);
  });

  it('pages the officer’s list: every report once across the pages, the total with each page', async () => {
    for (let i = 0; i < 3; i++) await as('officer', 'POST', '/api/ethics/reports', { ...facts(), channel: 'phone' });
    const all = (await as('officer', 'GET', '/api/ethics/reports?status=all&pageSize=100')).json();
    expect(all.total).toBe(all.items.length);
    expect(all.total).toBeGreaterThanOrEqual(3);
    const seen: number[] = [];
    for (let page = 1; (page - 1) * 2 < all.total; page++) {
      const p = (await as('officer', 'GET', `/api/ethics/reports?status=all&pageSize=2&page=${page}`)).json();
      expect(p.total).toBe(all.total);
      expect(p.items.length).toBeLessThanOrEqual(2);
      seen.push(...p.items.map((r: { id: number }) => r.id));
    }
    expect(seen).toEqual(all.items.map((r: { id: number }) => r.id));
    expect((await as('officer', 'GET', '/api/ethics/reports?pageSize=1000')).statusCode).toBe(400);
  });
});

describe('举报受理: abuse of the public form', () => {
  it('answers a burst from one address with 429 in Chinese, and logs it', async () => {
    const ip = '10.9.9.9';
    const codes: number[] = [];
    for (let i = 0; i < PUBLIC_LIMITS.submit.max + 2; i++) codes.push((await pub('POST', '/api/public/ethics/reports', { anonymous: true }, ip)).statusCode);
    expect(codes.slice(0, PUBLIC_LIMITS.submit.max).every((c) => c === 400)).toBe(true);
    const last = await pub('POST', '/api/public/ethics/reports', { anonymous: true }, ip);
    expect(last.statusCode).toBe(429);
    expect(last.json().message).toBe('请求过于频繁，请稍后再试');
    // Audited once per address and window, however many requests are refused.
    expect(await auditCount('ethics.public.rateLimited')).toBe(1);
  });
});
