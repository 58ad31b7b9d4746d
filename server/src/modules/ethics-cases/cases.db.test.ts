import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../../../../test/factories.js';
import { accountsWorld, type AccountsWorld } from '../accounts/accounts.fixtures.js';
import { hashPassword } from '../../platform/auth.js';
import { insertUser } from '../users/users.repository.js';
import { addDays, addMonths } from '../policies/policy.windows.js';
import type { CaseDto } from './cases.service.js';
import type { MyCaseDto } from './cases.own.service.js';
import { APPEAL_DAYS } from './cases.vocab.js';
import { todayInChina } from '../../platform/china-time.js';

// 案件办理 (issue 12 item 2): a report becomes a case, 调查 → 处理决定 → 告知 → (申诉 → 复核) → 办结, with the
// sanction written as history, its effects on the teacher's dated facts, the reporter's answer, and who sees what.

let aw: AccountsWorld;
let officer: string; // 甲区 师德专干
let officer2: string; // 乙县 师德专干
let cityOfficer: string; // 市 师德专干 (above 甲区)
let schoolAdmin: string; // 一小管理员
let countyAdmin: string; // 甲区管理员 (bureauAdmin: no ethics.handle)
let officerId: number;
const today = todayInChina();
let seq = 0;

beforeAll(async () => {
  aw = await accountsWorld();
  const hash = await hashPassword(PASSWORD);
  const add = (username: string, orgId: number) => insertUser(aw.t.db, { username, passwordHash: hash, displayName: username, role: 'ethicsOfficer', orgId });
  officerId = await add('ethics.c1', aw.w.county1);
  await add('ethics.c2', aw.w.county2);
  await add('ethics.city', aw.w.city);
  officer = await aw.login('ethics.c1');
  officer2 = await aw.login('ethics.c2');
  cityOfficer = await aw.login('ethics.city');
  schoolAdmin = await aw.login('school.admin');
  countyAdmin = await aw.login('county.admin');
});
afterAll(async () => aw?.t.close());

async function teacherWithAccount(orgId: number, extra: Record<string, unknown> = {}) {
  const name = `案件教师${++seq}`;
  const teacherId = await aw.teacher(orgId, { name, ...extra });
  const username = `cases.t${seq}`;
  await insertUser(aw.t.db, { username, passwordHash: await hashPassword(PASSWORD), displayName: name, role: 'teacher', orgId, teacherId });
  return { teacherId, name, cookie: await aw.login(username) };
}

async function insertReport(handlingOrgId: number, schoolOrgId: number | null = null): Promise<number> {
  const n = ++seq;
  return (
    await aw.t.db.query<{ id: number }>(
      `INSERT INTO ethics_reports (tracking_code, secret_hash, secret_expires_at, channel, handling_org_id, school_org_id, category, content_enc,
         anonymous, respond_by, conclude_by)
       VALUES ($1, 'x', now() + interval '90 days', 'web', $2, $3, 'tutoring', $4, true, $5, $6) RETURNING id`,
      [`TC${n}`, handlingOrgId, schoolOrgId, aw.t.ctx.pii.encrypt('有偿补课'), addDays(today, 5), addDays(today, 30)],
    )
  ).rows[0].id;
}

const post = async (cookie: string, url: string, body: Record<string, unknown> = {}, status = 200) => {
  const r = await aw.call(cookie, 'POST', `/api${url}`, body);
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
};
const get = (cookie: string, url: string) => aw.call(cookie, 'GET', `/api${url}`);

/** A case from a report on a new teacher of 一小, handled by 甲区, up to 调查 with findings. */
async function caseInInvestigation(extra: Record<string, unknown> = {}) {
  const t = await teacherWithAccount(aw.w.school1, extra);
  const reportId = await insertReport(aw.w.county1, aw.w.school1);
  const c = (await post(officer, `/ethics/reports/${reportId}/case`, { teacherId: t.teacherId }, 201)) as CaseDto;
  await post(officer, `/ethics/cases/${c.id}/investigate`, { investigatorId: officerId });
  await post(officer, `/ethics/cases/${c.id}/findings`, { findings: '经查，该教师组织有偿补课属实。' });
  return { t, reportId, id: c.id };
}

const decision = (outcome: string, more: Record<string, unknown> = {}) => ({
  outcome,
  decidedOn: today,
  decisionNo: '甲教师德〔2026〕1号',
  reason: '违反十项准则第十条',
  ...more,
});

const sanctions = async (teacherId: number) =>
  (
    await aw.t.db.query<{
      id: number;
      kind: string;
      valid_from: string;
      valid_until: string | null;
      superseded_by: number | null;
      corrects: number | null;
      revoked_on: string | null;
    }>(
      `SELECT id, kind, valid_from::text, valid_until::text, superseded_by, corrects, revoked_on::text FROM ethics_sanctions WHERE teacher_id = $1 ORDER BY id`,
      [teacherId],
    )
  ).rows;
const setAppealBy = (id: number, d: string) => aw.t.db.query('UPDATE ethics_cases SET appeal_by = $2 WHERE id = $1', [id, d]);

describe('from a report to a 警告 with a term, told, closed after the deadline', () => {
  it('takes every step, writes the sanction, answers the reporter and keeps the trail', async () => {
    const t = await teacherWithAccount(aw.w.school1);
    const reportId = await insertReport(aw.w.county1, aw.w.school1);
    const c = (await post(officer, `/ethics/reports/${reportId}/case`, { teacherId: t.teacherId, comment: '线索具体' }, 201)) as CaseDto;
    expect(c).toMatchObject({
      stage: 'accepted',
      stageLabel: '已受理',
      category: 'tutoring',
      categoryLabel: '规范从教行为',
      teacherName: t.name,
      reportId,
      needsAnswer: true,
    });
    expect(c.actions.map((a) => a.action)).toEqual(['investigate']);
    const report = async () =>
      (
        await aw.t.db.query('SELECT status, teacher_id, first_response_at IS NOT NULL AS responded, answer, answered_at FROM ethics_reports WHERE id = $1', [
          reportId,
        ])
      ).rows[0];
    expect(await report()).toMatchObject({ status: 'accepted', teacher_id: t.teacherId, responded: true, answer: null });
    // A report is accepted once.
    await post(officer, `/ethics/reports/${reportId}/case`, { teacherId: t.teacherId }, 409);

    const inv = (await get(officer, `/ethics/cases/${c.id}/investigators`)).json() as { items: { id: number }[] };
    expect(inv.items.map((i) => i.id)).toContain(officerId);
    let d = (await post(officer, `/ethics/cases/${c.id}/investigate`, { investigatorId: officerId })) as CaseDto;
    expect(d).toMatchObject({ stage: 'investigating', investigatorName: 'ethics.c1', canRecordFindings: true });
    // No decision before the findings.
    expect(d.actions.map((a) => a.action)).toEqual([]);
    await post(officer, `/ethics/cases/${c.id}/decide`, decision('warning', { termMonths: 6 }), 409);
    const up = await aw.t.app.inject({
      method: 'POST',
      url: `/api/ethics/cases/${c.id}/files`,
      headers: { cookie: officer, 'content-type': 'multipart/form-data; boundary=XB' },
      payload: Buffer.from(
        `--XB\r\nContent-Disposition: form-data; name="file"; filename="笔录.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 evidence\r\n--XB--\r\n`,
      ),
    });
    expect(up.statusCode, up.body).toBe(201);
    const fileId = up.json().id as number;
    d = (await post(officer, `/ethics/cases/${c.id}/findings`, { findings: '经查属实：收取补课费 3000 元。', fileIds: [fileId] })) as CaseDto;
    expect(d.timeline.find((e) => e.action === 'findings')).toMatchObject({
      text: '经查属实：收取补课费 3000 元。',
      files: [{ id: fileId, name: '笔录.pdf' }],
    });
    // Sealed at rest.
    const raw = (await aw.t.db.query<{ data: string }>(`SELECT data::text FROM ethics_case_events WHERE case_id = $1 AND action = 'findings'`, [c.id])).rows[0]
      .data;
    expect(raw).not.toContain('3000');
    expect((await get(officer, `/ethics/cases/${c.id}/files/${fileId}`)).statusCode).toBe(200);

    d = (await post(officer, `/ethics/cases/${c.id}/decide`, decision('warning', { termMonths: 6 }))) as CaseDto;
    expect(d).toMatchObject({ stage: 'decided', outcome: 'warning', outcomeLabel: '警告' });
    const [s] = await sanctions(t.teacherId);
    expect(s).toMatchObject({ kind: 'warning', valid_from: today, valid_until: addDays(addMonths(today, 6), -1) });

    // The teacher sees nothing before 告知.
    expect((await get(t.cookie, `/my/ethics/cases/${c.id}`)).statusCode).toBe(404);
    expect(((await get(t.cookie, '/my/ethics/cases')).json() as { items: unknown[] }).items).toEqual([]);

    d = (await post(officer, `/ethics/cases/${c.id}/notify`)) as CaseDto;
    expect(d).toMatchObject({ stage: 'notified', appealBy: addDays(today, APPEAL_DAYS) });
    const inbox = (
      await aw.t.db.query<{ title: string }>('SELECT title FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.teacher_id = $1', [t.teacherId])
    ).rows;
    expect(inbox.map((n) => n.title)).toEqual(['甲区教育局师德案件处理决定告知']);
    const mine = (await get(t.cookie, `/my/ethics/cases/${c.id}`)).json() as MyCaseDto;
    expect(mine).toMatchObject({ canAppeal: true, decisions: [{ outcome: 'warning', outcomeLabel: '警告', reason: '违反十项准则第十条', validFrom: today }] });
    expect(JSON.stringify(mine)).not.toContain('3000'); // findings are the office's

    // Not closable before the deadline; closable after it (no appeal).
    expect(d.actions.map((a) => a.action)).toEqual([]);
    const early = await aw.call(officer, 'POST', `/api/ethics/cases/${c.id}/close`, { answer: '经调查，已依规处理。' });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('申诉期限');
    await setAppealBy(c.id, addDays(today, -1));
    // The appeal is refused after the deadline.
    const late = await aw.call(t.cookie, 'POST', `/api/my/ethics/cases/${c.id}/appeal`, { text: '不服' });
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toContain('申诉期限已过');
    await post(officer, `/ethics/cases/${c.id}/close`, {}, 400); // the reporter's answer is required
    d = (await post(officer, `/ethics/cases/${c.id}/close`, { answer: '经调查，反映问题属实，已依规处理。' })) as CaseDto;
    expect(d).toMatchObject({ stage: 'closed' });
    expect(d.closedAt).toBeTruthy();
    expect(await report()).toMatchObject({ status: 'closed', answer: '经调查，反映问题属实，已依规处理。' });
    expect((await report()).answered_at).toBeTruthy();
    expect(d.timeline.map((e) => e.action)).toEqual(['open', 'investigate', 'evidence', 'findings', 'decide', 'notify', 'close']);
    expect(d.timeline.every((e) => e.byName)).toBe(true);
    // The trail is history.
    await expect(aw.t.db.query('UPDATE ethics_case_events SET comment = $2 WHERE case_id = $1', [c.id, '改写'])).rejects.toThrow(/history/);
    await expect(aw.t.db.query('DELETE FROM ethics_case_events WHERE case_id = $1', [c.id])).rejects.toThrow(/history/);
    // Nothing more after 办结.
    await post(officer, `/ethics/cases/${c.id}/investigate`, { investigatorId: officerId }, 409);
    await post(officer, `/ethics/cases/${c.id}/notify`, {}, 409);
    // Reads are audited.
    await get(officer, `/ethics/cases/${c.id}`);
    const reads = (
      await aw.t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'ethics_case' AND entity_id = $1`, [String(c.id)])
    ).rows.map((r) => r.action);
    expect(reads).toEqual(
      expect.arrayContaining(['ethicsCase.open', 'ethicsCase.decide', 'ethicsCase.read', 'ethicsCase.ownRead', 'ethicsCase.close', 'ethicsCase.file']),
    );
  });
});

describe('待办中心', () => {
  it('counts the cases waiting for the officer, not those in the teacher’s appeal period', async () => {
    const count = async (cookie: string) =>
      ((await get(cookie, '/todo')).json() as { items: { kind: string; count: number }[] }).items.find((i) => i.kind === 'ethicsCases')?.count ?? 0;
    const before = await count(officer);
    const { id } = await caseInInvestigation();
    expect(await count(officer)).toBe(before + 1);
    expect(await count(cityOfficer)).toBeGreaterThanOrEqual(before + 1);
    const other = await count(officer2);
    await post(officer, `/ethics/cases/${id}/decide`, decision('warning', { termMonths: 6 }));
    await post(officer, `/ethics/cases/${id}/notify`);
    expect(await count(officer)).toBe(before);
    await setAppealBy(id, addDays(today, -1));
    expect(await count(officer)).toBe(before + 1);
    expect(await count(officer2)).toBe(other);
  });
});

describe('refusals', () => {
  it('illegal steps are 409 in Chinese', async () => {
    const t = await teacherWithAccount(aw.w.school1);
    const reportId = await insertReport(aw.w.county1);
    const c = (await post(officer, `/ethics/reports/${reportId}/case`, { teacherId: t.teacherId }, 201)) as CaseDto;
    const r = await aw.call(officer, 'POST', `/api/ethics/cases/${c.id}/decide`, decision('criticism'));
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toBe('当前状态「已受理」不能执行「处理决定」');
    await post(officer, `/ethics/cases/${c.id}/notify`, {}, 409);
    await post(officer, `/ethics/cases/${c.id}/close`, { answer: 'x' }, 409);
    await post(officer, `/ethics/cases/${c.id}/findings`, { findings: '早了' }, 409);
    await post(officer, `/ethics/cases/${c.id}/redecide`, { result: 'uphold', decidedOn: today, reason: '维持' }, 409);
  });

  it('wrong outcome and term combinations are 400 with field messages', async () => {
    const { id } = await caseInInvestigation();
    const bad = async (body: Record<string, unknown>, field: string) => {
      const r = await aw.call(officer, 'POST', `/api/ethics/cases/${id}/decide`, body);
      expect(r.statusCode, r.body).toBe(400);
      expect(JSON.stringify(r.json())).toContain(field);
    };
    await bad(decision('warning'), 'termMonths'); // 警告 needs a term
    await bad(decision('removal'), 'termMonths');
    await bad(decision('dismissal', { validUntil: addDays(today, 100) }), 'validUntil'); // 开除 has no end
    await bad(decision('barred', { termMonths: 12 }), 'validUntil');
    await bad(decision('noViolation', { termMonths: 3 }), 'termMonths'); // no violation, no sanction
    await bad(decision('demerit', { termMonths: 12, validUntil: addDays(today, 300) }), 'termMonths');
    await bad(decision('warning', { validFrom: today, validUntil: addDays(today, -1) }), 'validUntil');
    await bad(decision('nonsense'), 'outcome');
    const r = await aw.call(officer, 'POST', `/api/ethics/cases/${id}/decide`, decision('warning'));
    expect(r.json().message).toMatch(/[\u4e00-\u9fa5]/);
    expect(
      await sanctions((await aw.t.db.query<{ teacher_id: number }>('SELECT teacher_id FROM ethics_cases WHERE id = $1', [id])).rows[0].teacher_id),
    ).toEqual([]);
  });

  it('the investigator must be staff of the handling bureau; the teacher must be in its subtree', async () => {
    const t = await teacherWithAccount(aw.w.school1);
    const reportId = await insertReport(aw.w.county1);
    const other = await aw.teacher(aw.w.school3, { name: '乙县教师' });
    await post(officer, `/ethics/reports/${reportId}/case`, { teacherId: other }, 400);
    await post(officer, `/ethics/reports/${reportId}/case`, {}, 400);
    const c = (await post(officer, `/ethics/reports/${reportId}/case`, { teacherId: t.teacherId }, 201)) as CaseDto;
    await post(officer, `/ethics/cases/${c.id}/investigate`, { investigatorId: aw.ids['school.admin'] }, 400);
  });

  it('bad input: a file of the wrong type (415), an empty appeal (400), another person’s file in the appeal (400)', async () => {
    const { t, id } = await caseInInvestigation();
    const up = (cookie: string, url: string, name: string, body: string) =>
      aw.t.app.inject({
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'multipart/form-data; boundary=XB' },
        payload: Buffer.from(
          `--XB\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n${body}\r\n--XB--\r\n`,
        ),
      });
    const wrong = await up(officer, `/api/ethics/cases/${id}/files`, '伪装.pdf', 'MZ not a pdf');
    expect(wrong.statusCode).toBe(415);
    expect(wrong.json().message).toMatch(/[\u4e00-\u9fa5]/);
    await post(officer, `/ethics/cases/${id}/findings`, { findings: '   ' }, 400);
    await post(officer, `/ethics/cases/${id}/findings`, { findings: '结论', fileIds: [999999] }, 400);
    await post(officer, `/ethics/cases/${id}/decide`, decision('warning', { termMonths: 6 }));
    await post(officer, `/ethics/cases/${id}/notify`);
    await post(t.cookie, `/my/ethics/cases/${id}/appeal`, { text: '' }, 400);
    // A file the officer uploaded is not the teacher's to name.
    const other = await teacherWithAccount(aw.w.school1);
    const x = await caseInInvestigation();
    await post(officer, `/ethics/cases/${x.id}/decide`, decision('warning', { termMonths: 6 }));
    await post(officer, `/ethics/cases/${x.id}/notify`);
    const theirs = await up(x.t.cookie, `/api/my/ethics/cases/${x.id}/files`, '说明.pdf', '%PDF-1.4 x');
    expect(theirs.statusCode, theirs.body).toBe(201);
    const r = await aw.call(t.cookie, 'POST', `/api/my/ethics/cases/${id}/appeal`, { text: '不服', fileIds: [theirs.json().id] });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('不是本人上传');
    // Uploading for someone else's case: 404.
    expect((await up(other.cookie, `/api/my/ethics/cases/${id}/files`, 'a.pdf', '%PDF-1.4 x')).statusCode).toBe(404);
  });

  it('a noViolation decision cannot be appealed and closes at once, with the answer', async () => {
    const { t, id, reportId } = await caseInInvestigation();
    await post(officer, `/ethics/cases/${id}/decide`, decision('noViolation'));
    expect(await sanctions(t.teacherId)).toEqual([]);
    await post(officer, `/ethics/cases/${id}/notify`);
    expect(((await get(t.cookie, `/my/ethics/cases/${id}`)).json() as MyCaseDto).canAppeal).toBe(false);
    await post(t.cookie, `/my/ethics/cases/${id}/appeal`, { text: '无' }, 409);
    await post(officer, `/ethics/cases/${id}/close`, { answer: '经调查，反映问题不属实。' });
    expect((await aw.t.db.query('SELECT status, answer FROM ethics_reports WHERE id = $1', [reportId])).rows[0]).toEqual({
      status: 'closed',
      answer: '经调查，反映问题不属实。',
    });
  });
});

describe('申诉 and the second decision', () => {
  async function appealed(outcome: Record<string, unknown>) {
    const x = await caseInInvestigation();
    await post(officer, `/ethics/cases/${x.id}/decide`, outcome);
    await post(officer, `/ethics/cases/${x.id}/notify`);
    const up = await aw.t.app.inject({
      method: 'POST',
      url: `/api/my/ethics/cases/${x.id}/files`,
      headers: { cookie: x.t.cookie, 'content-type': 'multipart/form-data; boundary=XB' },
      payload: Buffer.from(
        `--XB\r\nContent-Disposition: form-data; name="file"; filename="说明.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 appeal\r\n--XB--\r\n`,
      ),
    });
    expect(up.statusCode, up.body).toBe(201);
    const mine = (await post(x.t.cookie, `/my/ethics/cases/${x.id}/appeal`, { text: '补课系义务辅导，未收费。', fileIds: [up.json().id] })) as MyCaseDto;
    expect(mine).toMatchObject({ stage: 'appealed', canAppeal: false, appeal: { text: '补课系义务辅导，未收费。', files: [{ name: '说明.pdf' }] } });
    await post(x.t.cookie, `/my/ethics/cases/${x.id}/appeal`, { text: '再次申诉' }, 409);
    const officerInbox = (await aw.t.db.query<{ title: string }>('SELECT title FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT 1', [officerId]))
      .rows[0];
    expect(officerInbox.title).toContain('申诉');
    return x;
  }

  it('a changed decision supersedes the sanction with a new one; the old row stays', async () => {
    const { t, id } = await appealed(decision('demerit', { termMonths: 12 }));
    const d = (await post(officer, `/ethics/cases/${id}/redecide`, {
      result: 'change',
      ...decision('warning', { termMonths: 6 }),
      reason: '情节较轻，改为警告',
    })) as CaseDto;
    expect(d).toMatchObject({ stage: 'redecided', outcome: 'warning' });
    const [old, fresh] = await sanctions(t.teacherId);
    expect(old).toMatchObject({ kind: 'demerit', superseded_by: fresh.id });
    expect(fresh).toMatchObject({ kind: 'warning', corrects: old.id, superseded_by: null });
    await post(officer, `/ethics/cases/${id}/close`, { answer: '已依规处理。' });
    const mine = (await get(t.cookie, `/my/ethics/cases/${id}`)).json() as MyCaseDto;
    expect(mine.decisions.map((x) => x.outcome)).toEqual(['demerit', 'warning']);
  });

  it('an annulled decision revokes the sanction; upholding keeps it', async () => {
    const a = await appealed(decision('warning', { termMonths: 6 }));
    await post(officer, `/ethics/cases/${a.id}/redecide`, { result: 'annul', decidedOn: today, reason: '证据不足' });
    expect((await sanctions(a.t.teacherId))[0]).toMatchObject({ kind: 'warning', revoked_on: today, superseded_by: null });
    const u = await appealed(decision('warning', { termMonths: 6 }));
    await post(officer, `/ethics/cases/${u.id}/redecide`, { result: 'change', decidedOn: today, reason: '缺结果' }, 400);
    await post(officer, `/ethics/cases/${u.id}/redecide`, { result: 'uphold', decidedOn: today, reason: '事实清楚' });
    expect((await sanctions(u.t.teacherId))[0]).toMatchObject({ kind: 'warning', revoked_on: null, superseded_by: null });
  });
});

describe('effects on the teacher’s dated facts at 办结', () => {
  async function closed(extra: Record<string, unknown>, outcome: Record<string, unknown>) {
    const x = await caseInInvestigation(extra);
    await post(officer, `/ethics/cases/${x.id}/decide`, outcome);
    await post(officer, `/ethics/cases/${x.id}/notify`);
    await setAppealBy(x.id, addDays(today, -1));
    const d = (await post(officer, `/ethics/cases/${x.id}/close`, { answer: '已依规处理。' })) as CaseDto;
    return { ...x, d };
  }
  const statuses = async (teacherId: number) =>
    (
      await aw.t.db.query<{ status: string; from: string | null; until: string | null }>(
        `SELECT status, valid_from::text AS "from", valid_until::text AS "until" FROM teacher_statuses WHERE teacher_id = $1 AND superseded_at IS NULL ORDER BY valid_from NULLS FIRST`,
        [teacherId],
      )
    ).rows;

  it('行业禁入 sets the status 禁入 from its start', async () => {
    const { t, d } = await closed({}, decision('barred'));
    expect((await statuses(t.teacherId)).at(-1)).toEqual({ status: 'banned', from: today, until: null });
    expect((await aw.t.db.query('SELECT status FROM teachers WHERE id = $1', [t.teacherId])).rows[0].status).toBe('banned');
    expect(d.timeline.at(-1)?.effects).toContain('禁入');
  });

  it('开除 ends employment from its start', async () => {
    const from = addDays(today, -3);
    const { t } = await closed({}, decision('dismissal', { validFrom: from }));
    const s = await statuses(t.teacherId);
    expect(s.at(-1)).toEqual({ status: 'resigned', from, until: null });
    expect(s.at(-2)?.until).toBe(addDays(from, -1));
  });

  it('撤销教师资格 ends the 教师资格 credential on its start date', async () => {
    const { t } = await closed({ qualificationType: '小学教师资格', qualificationNo: '2019-123' }, decision('credentialRevoked'));
    const rows = (
      await aw.t.db.query<{ field: string; until: string | null }>(
        `SELECT field, valid_until::text AS until FROM teacher_credentials WHERE teacher_id = $1 AND field IN ('qualification_type','qualification_no') AND superseded_at IS NULL`,
        [t.teacherId],
      )
    ).rows;
    expect(rows.length).toBe(2);
    for (const r of rows) expect(r.until).toBe(addDays(today, -1));
    expect((await aw.t.db.query('SELECT qualification_type FROM teachers WHERE id = $1', [t.teacherId])).rows[0].qualification_type).toBeNull();
  });

  it('a 警告 changes no fact', async () => {
    const { t } = await closed({}, decision('warning', { termMonths: 6 }));
    expect((await statuses(t.teacherId)).map((s) => s.status)).not.toContain('banned');
    expect((await aw.t.db.query('SELECT status FROM teachers WHERE id = $1', [t.teacherId])).rows[0].status).toBe('active');
  });
});

describe('visibility', () => {
  it('other counties 404, the city above sees, the school sees only existence when informed, the teacher only own after 告知', async () => {
    const { t, id } = await caseInInvestigation();
    expect((await get(officer2, `/ethics/cases/${id}`)).statusCode).toBe(404);
    await post(officer2, `/ethics/cases/${id}/decide`, decision('criticism'), 404);
    expect(((await get(officer2, '/ethics/cases')).json() as { items: { id: number }[] }).items.map((c) => c.id)).not.toContain(id);
    expect((await get(cityOfficer, `/ethics/cases/${id}`)).statusCode).toBe(200);
    expect(((await get(officer, '/ethics/cases')).json() as { items: { id: number }[] }).items.map((c) => c.id)).toContain(id);
    // Other roles have no case routes.
    expect((await get(schoolAdmin, `/ethics/cases/${id}`)).statusCode).toBe(403);
    expect((await get(countyAdmin, `/ethics/cases/${id}`)).statusCode).toBe(403);
    // The school: nothing until informed, then the teacher's name and the opening date only.
    const schoolList = async () =>
      ((await get(schoolAdmin, '/ethics/school-cases')).json() as { items: Record<string, unknown>[] }).items.filter((c) => c.id === id);
    expect(await schoolList()).toEqual([]);
    const d = (await post(officer, `/ethics/cases/${id}/inform-school`)) as CaseDto;
    expect(d.schoolInformed).toBe(true);
    await post(officer, `/ethics/cases/${id}/inform-school`, {}, 409);
    const [seen] = await schoolList();
    expect(Object.keys(seen).sort()).toEqual(['id', 'informedAt', 'openedOn', 'teacherName']);
    expect(seen).toMatchObject({ teacherName: t.name, openedOn: today });
    // Another school's admin does not see it.
    await insertUser(aw.t.db, {
      username: 'school2.cases',
      passwordHash: await hashPassword(PASSWORD),
      displayName: '二中',
      role: 'schoolAdmin',
      orgId: aw.w.school2,
    });
    const s2 = await aw.login('school2.cases');
    expect(((await get(s2, '/ethics/school-cases')).json() as { items: { id: number }[] }).items.map((c) => c.id)).not.toContain(id);
    // The teacher: 404 before 告知, own after; another teacher never.
    expect((await get(t.cookie, `/my/ethics/cases/${id}`)).statusCode).toBe(404);
    await post(officer, `/ethics/cases/${id}/decide`, decision('criticism'));
    await post(officer, `/ethics/cases/${id}/notify`);
    expect((await get(t.cookie, `/my/ethics/cases/${id}`)).statusCode).toBe(200);
    const other = await teacherWithAccount(aw.w.school1);
    expect((await get(other.cookie, `/my/ethics/cases/${id}`)).statusCode).toBe(404);
    await post(other.cookie, `/my/ethics/cases/${id}/appeal`, { text: '冒充' }, 404);
    expect((await get(t.cookie, `/ethics/cases/${id}`)).statusCode).toBe(403);
  });

  it('a case without a report: 上级交办, description sealed, no reporter answer needed', async () => {
    const t = await teacherWithAccount(aw.w.school2);
    const c = (await post(
      officer,
      '/ethics/cases',
      { origin: 'assigned', teacherId: t.teacherId, category: 'tutoring', description: '市局转来线索：体罚学生' },
      201,
    )) as CaseDto;
    expect(c).toMatchObject({ origin: 'assigned', originLabel: '上级交办', reportId: null, needsAnswer: false, description: '市局转来线索：体罚学生' });
    const raw = (await aw.t.db.query<{ description_enc: string }>('SELECT description_enc FROM ethics_cases WHERE id = $1', [c.id])).rows[0].description_enc;
    expect(raw).not.toContain('体罚');
    await post(officer, '/ethics/cases', { origin: 'assigned', teacherId: t.teacherId, category: '', description: '' }, 400);
    // The category comes from the region's vocabulary (policy data), never free text.
    const unknown = (await post(officer, '/ethics/cases', { origin: 'assigned', teacherId: t.teacherId, category: '收礼', description: '收受礼品' }, 400)) as {
      fields: { field: string; message: string }[];
    };
    expect(unknown.fields).toEqual([{ field: 'category', message: '问题类别不在本地区的举报类别（十项准则/负面清单）中' }]);
    await post(officer2, '/ethics/cases', { origin: 'inspection', teacherId: t.teacherId, category: 'x', description: 'y' }, 400);
  });
});
