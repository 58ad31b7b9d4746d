/**
 * 案件办理 (issue 12 item 2). A report becomes a case (受理) with the teacher identified, or a case opens without
 * one (上级交办, 检查发现); then 调查 (investigator, findings, evidence) → 处理决定 (no violation or a sanction with
 * its term) → 告知 (the teacher is told and may appeal within APPEAL_DAYS) → 办结 after the deadline, or 申诉 →
 * 复核决定 (维持, 变更, 撤销) → 办结. 办结 writes the answer the reporter reads and the sanction's effects on the
 * teacher's dated facts. Every step is one transaction, a row of ethics_case_events and an audit row; every read
 * is audited. The 师德专干 of the handling bureau or above handles; everyone else gets 404.
 */
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { deleteStoredFile, getFiles, openDownload, saveUpload, type Download, type UploadPart } from '../../platform/files.js';
import { addDays, addMonths } from '../policies/policy.windows.js';
import { insertSanction, revokeSanction, sanctionsOf, type SanctionKind } from '../integrity/sanctions.repository.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { applySanctionEffects } from './cases.effects.js';
import { categoryLabelsAt, ethicsRulesFor } from '../ethics-reports/ethics-deadlines.js';
import * as repo from './cases.repository.js';
import type { CaseRow, EventRow } from './cases.repository.js';
import type { CaseListQuery, DecideBody, RedecideBody } from './cases.schema.js';
import {
  APPEAL_DAYS,
  CASE_ORIGIN_LABELS,
  CASE_STAGE_LABELS,
  CASE_STEP_LABELS,
  caseMachine,
  OUTCOME_LABELS,
  REDECISION_LABELS,
  type CaseAction,
  type CaseOrigin,
  type CaseStage,
  type Outcome,
} from './cases.vocab.js';
import { todayInChina } from '../../platform/china-time.js';

export const ENTITY = 'ethics_case';
const officer = (user: CurrentUser) => requirePermission(user, 'ethics.handle');
export const openText = (ctx: AppContext, enc: unknown) => (typeof enc === 'string' ? ctx.pii.decrypt(enc) : null);

// ---------------------------------------------------------------- presenting

export function presentEvent(ctx: AppContext, e: EventRow, names: Map<number, string>) {
  const d = e.data as Record<string, unknown>;
  const fileIds = Array.isArray(d.fileIds) ? (d.fileIds as number[]) : [];
  return {
    id: e.id,
    action: e.action,
    actionLabel: CASE_STEP_LABELS[e.action] ?? e.action,
    fromStage: e.from_stage,
    toStage: e.to_stage,
    byName: e.by_name,
    at: e.at,
    comment: e.comment,
    text: openText(ctx, d.textEnc),
    decision: (d.decision as DecisionData | undefined) ?? null,
    effects: (d.effects as string | undefined) ?? null,
    files: fileIds.map((id) => ({ id, name: names.get(id) ?? `附件 #${id}` })),
  };
}

/** What one decision (处理决定 or 复核决定) holds, as kept in its event. */
export interface DecisionData {
  result?: string;
  resultLabel?: string;
  outcome: Outcome;
  outcomeLabel: string;
  decidedOn: string;
  decisionNo: string | null;
  reason: string;
  validFrom: string | null;
  validUntil: string | null;
  sanctionId: number | null;
}

function presentCase(ctx: AppContext, c: CaseRow, events: EventRow[], names: Map<number, string>, labels: Map<string, string>) {
  const today = todayInChina();
  const stage = c.stage as CaseStage;
  const hasFindings = events.some((e) => e.action === 'findings');
  const closable = (stage === 'notified' && (c.outcome === 'noViolation' || (c.appeal_by !== null && today > c.appeal_by))) || stage === 'redecided';
  const actions = caseMachine
    .allowedActions(stage)
    .filter((a) => a.action !== 'appeal')
    .filter((a) => a.action !== 'close' || closable)
    .filter((a) => a.action !== 'decide' || hasFindings);
  return {
    id: c.id,
    reportId: c.report_id,
    trackingCode: c.report_tracking_code,
    origin: c.origin,
    originLabel: c.origin ? CASE_ORIGIN_LABELS[c.origin as CaseOrigin] : c.report_id ? '举报受理' : '',
    teacherId: c.teacher_id,
    teacherName: c.teacher_name,
    teacherOrgName: c.teacher_org_name,
    handlingOrgId: c.handling_org_id,
    handlingOrgName: c.handling_org_name,
    category: c.category,
    categoryLabel: labels.get(c.category) ?? c.category,
    stage,
    stageLabel: CASE_STAGE_LABELS[stage],
    outcome: c.outcome,
    outcomeLabel: c.outcome ? OUTCOME_LABELS[c.outcome as Outcome] : null,
    description: openText(ctx, c.description_enc),
    investigatorId: c.investigator_id,
    investigatorName: c.investigator_name,
    schoolInformed: c.school_informed,
    schoolInformedAt: c.school_informed_at,
    openedAt: c.opened_at,
    notifiedAt: c.notified_at,
    appealBy: c.appeal_by,
    concludeBy: c.report_conclude_by,
    closedAt: c.closed_at,
    actions: actions.map((a) => ({ action: a.action, label: a.label })),
    canRecordFindings: stage === 'investigating',
    canAddEvidence: stage === 'accepted' || stage === 'investigating',
    canInformSchool: !c.school_informed && stage !== 'closed',
    needsAnswer: c.report_id !== null,
    timeline: events.map((e) => presentEvent(ctx, e, names)),
  };
}
export type CaseDto = ReturnType<typeof presentCase>;

function presentListItem(c: CaseRow, labels: Map<string, string>) {
  return {
    id: c.id,
    teacherName: c.teacher_name,
    teacherOrgName: c.teacher_org_name,
    handlingOrgName: c.handling_org_name,
    category: c.category,
    categoryLabel: labels.get(c.category) ?? c.category,
    origin: c.origin,
    stage: c.stage,
    stageLabel: CASE_STAGE_LABELS[c.stage as CaseStage],
    outcomeLabel: c.outcome ? OUTCOME_LABELS[c.outcome as Outcome] : null,
    openedAt: c.opened_at,
    appealBy: c.appeal_by,
    concludeBy: c.report_conclude_by,
    closedAt: c.closed_at,
  };
}

export async function fileNames(q: Queryable, events: EventRow[]): Promise<Map<number, string>> {
  const ids = events.flatMap((e) => (Array.isArray((e.data as { fileIds?: unknown }).fileIds) ? (e.data as { fileIds: number[] }).fileIds : []));
  return new Map((await getFiles(q, ids)).map((f) => [f.id, f.originalName]));
}

async function load(ctx: AppContext, q: Queryable, c: CaseRow): Promise<CaseDto> {
  const events = await repo.eventsOf(q, c.id);
  return presentCase(ctx, c, events, await fileNames(q, events), await categoryLabelsAt(q, [c.handling_org_path], todayInChina()));
}

async function reload(ctx: AppContext, q: Queryable, id: number): Promise<CaseDto> {
  const c = await repo.getCase(q, null, id);
  if (!c) throw notFound('案件');
  return load(ctx, q, c);
}

// ---------------------------------------------------------------- reading (officer)

export async function listCases(ctx: AppContext, user: CurrentUser, f: CaseListQuery, ip?: string) {
  officer(user);
  const r = await repo.listCases(ctx.db, user.scopePath, { stage: f.stage, limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
  await audit(ctx.db, user, 'ethicsCase.list', ENTITY, null, { stage: f.stage ?? null, page: f.page, count: r.rows.length }, ip);
  const labels = await categoryLabelsAt(
    ctx.db,
    r.rows.map((c) => c.handling_org_path),
    todayInChina(),
  );
  return { items: r.rows.map((c) => presentListItem(c, labels)), total: r.total };
}

export async function getCase(ctx: AppContext, user: CurrentUser, id: number, ip?: string): Promise<CaseDto> {
  officer(user);
  const c = await repo.getCase(ctx.db, user.scopePath, id);
  if (!c) throw notFound('案件');
  await audit(ctx.db, user, 'ethicsCase.read', ENTITY, id, { teacherId: c.teacher_id }, ip);
  return load(ctx, ctx.db, c);
}

/** Who may be named investigator: the staff of the handling bureau. */
export async function investigators(ctx: AppContext, user: CurrentUser, id: number) {
  officer(user);
  const c = await repo.getCase(ctx.db, user.scopePath, id);
  if (!c) throw notFound('案件');
  return { items: (await repo.staffAt(ctx.db, c.handling_org_id)).map((u) => ({ id: u.id, name: u.display_name })) };
}

// ---------------------------------------------------------------- opening

async function teacherOf(q: Queryable, teacherId: number, handlingOrgId: number) {
  const path = await repo.orgPath(q, handlingOrgId);
  const t = path ? await repo.teacherUnder(q, teacherId, path) : null;
  if (!t) throw badRequest('请选择本辖区内的教师', [{ field: 'teacherId', message: '该教师不在受理单位辖区内' }]);
  return t;
}

/** 受理: the report becomes a case with the teacher identified; the report is accepted (first response now). */
export async function acceptReport(ctx: AppContext, user: CurrentUser, reportId: number, b: { teacherId: number; comment?: string | null }, ip?: string) {
  officer(user);
  return ctx.db.tx(async (q) => {
    const r = await repo.getReport(q, user.scopePath, reportId, true);
    if (!r) throw notFound('举报');
    if (r.status !== 'received') throw conflict(r.status === 'rejected' ? '该举报已不予受理，不能立案' : '该举报已受理或已办结，不能重复立案');
    const t = await teacherOf(q, b.teacherId, r.handling_org_id);
    if (!(await repo.markReportAccepted(q, r.id, t.id))) throw conflict('该举报已被处理，请刷新');
    const id = await repo.insertCase(q, {
      reportId: r.id,
      teacherId: t.id,
      handlingOrgId: r.handling_org_id,
      category: r.category,
      origin: 'report',
      descriptionEnc: null,
      openedBy: user.id,
    });
    await repo.insertEvent(q, { caseId: id, action: 'open', from: null, to: 'accepted', by: user.id, comment: b.comment || null, data: { reportId: r.id } });
    await audit(q, user, 'ethicsCase.open', ENTITY, id, { reportId: r.id, teacherId: t.id }, ip);
    return reload(ctx, q, id);
  });
}

/** A case without a report (上级交办 or found in an inspection), handled by the caller's own bureau. */
export async function openCase(
  ctx: AppContext,
  user: CurrentUser,
  b: { origin: 'assigned' | 'inspection'; teacherId: number; category: string; description: string },
  ip?: string,
) {
  officer(user);
  const vocabulary = (await ethicsRulesFor(ctx.db, user.orgPath, todayInChina())).ethics.categories;
  if (!vocabulary.some((c) => c.code === b.category))
    throw badRequest('请从本地区的举报类别中选择问题类别', [{ field: 'category', message: '问题类别不在本地区的举报类别（十项准则/负面清单）中' }]);
  return ctx.db.tx(async (q) => {
    const t = await teacherOf(q, b.teacherId, user.orgId);
    const id = await repo.insertCase(q, {
      reportId: null,
      teacherId: t.id,
      handlingOrgId: user.orgId,
      category: b.category,
      origin: b.origin,
      descriptionEnc: ctx.pii.encrypt(b.description),
      openedBy: user.id,
    });
    await repo.insertEvent(q, { caseId: id, action: 'open', from: null, to: 'accepted', by: user.id, data: { origin: b.origin } });
    await audit(q, user, 'ethicsCase.open', ENTITY, id, { origin: b.origin, teacherId: t.id }, ip);
    return reload(ctx, q, id);
  });
}

// ---------------------------------------------------------------- steps (officer)

async function lockCase(q: Queryable, user: CurrentUser, id: number): Promise<CaseRow> {
  officer(user);
  const c = await repo.getCase(q, user.scopePath, id, true);
  if (!c) throw notFound('案件');
  return c;
}

/** Take one stage step: check it is legal, move the stage, append the event and the audit row. */
async function step(
  q: Queryable,
  user: CurrentUser,
  c: CaseRow,
  action: CaseAction,
  event: { comment?: string | null; data?: Record<string, unknown> },
  set: Parameters<typeof repo.moveStage>[4] = {},
  ip?: string,
): Promise<CaseStage> {
  const to = caseMachine.assertTransition(c.stage, action);
  if (!(await repo.moveStage(q, c.id, c.stage, to, set))) throw conflict('该案件已被处理，请刷新');
  await repo.insertEvent(q, { caseId: c.id, action, from: c.stage, to, by: user.id, comment: event.comment ?? null, data: event.data });
  const { textEnc: _sealed, ...detail } = event.data ?? {};
  await audit(q, user, `ethicsCase.${action}`, ENTITY, c.id, { teacherId: c.teacher_id, from: c.stage, to, ...detail }, ip);
  return to;
}

export async function investigate(ctx: AppContext, user: CurrentUser, id: number, b: { investigatorId: number; comment?: string | null }, ip?: string) {
  return ctx.db.tx(async (q) => {
    const c = await lockCase(q, user, id);
    caseMachine.assertTransition(c.stage, 'investigate');
    const staff = await repo.staffAt(q, c.handling_org_id);
    const who = staff.find((s) => s.id === b.investigatorId);
    if (!who) throw badRequest('调查人须是受理单位的工作人员', [{ field: 'investigatorId', message: '请选择受理单位的工作人员' }]);
    await step(
      q,
      user,
      c,
      'investigate',
      { comment: b.comment || null, data: { investigatorId: who.id, investigatorName: who.display_name } },
      { investigatorId: who.id },
      ip,
    );
    return reload(ctx, q, id);
  });
}

/** 调查结论 (during 调查): sealed text, with evidence files uploaded to this case. */
export async function recordFindings(ctx: AppContext, user: CurrentUser, id: number, b: { findings: string; fileIds?: number[] }, ip?: string) {
  return ctx.db.tx(async (q) => {
    const c = await lockCase(q, user, id);
    if (c.stage !== 'investigating') throw conflict(`当前状态「${CASE_STAGE_LABELS[c.stage as CaseStage]}」不能填写调查结论`);
    const own = await repo.caseFileIds(q, c.id);
    const fileIds = [...new Set(b.fileIds ?? [])];
    if (fileIds.some((f) => !own.includes(f))) throw badRequest('所选证据材料不属于本案件', [{ field: 'fileIds', message: '请先上传证据材料' }]);
    await repo.insertEvent(q, {
      caseId: c.id,
      action: 'findings',
      from: c.stage,
      to: c.stage,
      by: user.id,
      data: { textEnc: ctx.pii.encrypt(b.findings), fileIds },
    });
    await audit(q, user, 'ethicsCase.findings', ENTITY, c.id, { teacherId: c.teacher_id, fileIds }, ip);
    return reload(ctx, q, id);
  });
}

/** Upload one evidence file (PDF/PNG/JPEG) to a case being accepted or investigated. */
export async function addEvidence(ctx: AppContext, user: CurrentUser, id: number, part: UploadPart | Buffer, fileName?: string, ip?: string) {
  officer(user);
  const pre = await repo.getCase(ctx.db, user.scopePath, id);
  if (!pre) throw notFound('案件');
  const open = (s: string) => s === 'accepted' || s === 'investigating';
  if (!open(pre.stage)) throw conflict(`当前状态「${CASE_STAGE_LABELS[pre.stage as CaseStage]}」不能上传证据材料`);
  const saved = await saveUpload(ctx, part, {
    allowed: ['pdf', 'png', 'jpeg'],
    owner: { userId: user.id, orgId: pre.handling_org_id },
    purpose: 'ethicsEvidence',
    originalName: fileName,
  });
  try {
    await ctx.db.tx(async (q) => {
      const c = await lockCase(q, user, id);
      if (!open(c.stage)) throw conflict('该案件已进入处理决定，不能再上传证据材料');
      await repo.insertEvent(q, { caseId: c.id, action: 'evidence', from: c.stage, to: c.stage, by: user.id, data: { fileIds: [saved.fileId] } });
      await audit(q, user, 'ethicsCase.evidence', ENTITY, c.id, { teacherId: c.teacher_id, fileId: saved.fileId }, ip);
    });
  } catch (err) {
    const cleanup = await ctx.db.tx((q) => deleteStoredFile(ctx, q, saved.fileId));
    await cleanup();
    throw err;
  }
  return { id: saved.fileId, name: saved.originalName, kind: saved.kind, size: saved.size };
}

/** Download a file of the case (evidence, appeal material): the handling office only; audited. */
export async function downloadFile(ctx: AppContext, user: CurrentUser, id: number, fileId: number, ip?: string): Promise<Download> {
  officer(user);
  const c = await repo.getCase(ctx.db, user.scopePath, id);
  if (!c) throw notFound('案件');
  const ids = await repo.caseFileIds(ctx.db, id);
  const d = await openDownload(ctx, user, fileId, (f) => ids.includes(f.id));
  await audit(ctx.db, user, 'ethicsCase.file', ENTITY, id, { fileId }, ip);
  return d;
}

type Term = { outcome: Outcome; decidedOn: string; validFrom?: string | null; validUntil?: string | null; termMonths?: number | null };

/** The sanction's period: from (default the decision date) to the end given, or from + months − 1 day. */
function termOf(b: Term): { validFrom: string; validUntil: string | null } {
  const validFrom = b.validFrom || b.decidedOn;
  if (b.validUntil) return { validFrom, validUntil: b.validUntil };
  if (b.termMonths) return { validFrom, validUntil: addDays(addMonths(validFrom, b.termMonths), -1) };
  return { validFrom, validUntil: null };
}

async function writeDecision(q: Queryable, user: CurrentUser, c: CaseRow, b: DecideBody, corrects: number | null): Promise<DecisionData> {
  const term = termOf(b);
  let sanctionId: number | null = null;
  if (b.outcome !== 'noViolation')
    sanctionId = await insertSanction(q, {
      teacherId: c.teacher_id,
      caseId: c.id,
      kind: b.outcome as SanctionKind,
      decidedOn: b.decidedOn,
      validFrom: term.validFrom,
      validUntil: term.validUntil,
      decisionNo: b.decisionNo || null,
      reason: b.reason,
      decidedByOrgId: c.handling_org_id,
      recordedBy: user.id,
      corrects,
    });
  return {
    outcome: b.outcome,
    outcomeLabel: OUTCOME_LABELS[b.outcome],
    decidedOn: b.decidedOn,
    decisionNo: b.decisionNo || null,
    reason: b.reason,
    validFrom: b.outcome === 'noViolation' ? null : term.validFrom,
    validUntil: b.outcome === 'noViolation' ? null : term.validUntil,
    sanctionId,
  };
}

/** 处理决定: no violation, or a sanction (written to ethics_sanctions with its term). Needs the findings first. */
export async function decide(ctx: AppContext, user: CurrentUser, id: number, b: DecideBody, ip?: string) {
  return ctx.db.tx(async (q) => {
    const c = await lockCase(q, user, id);
    caseMachine.assertTransition(c.stage, 'decide');
    if (!(await repo.eventsOf(q, c.id)).some((e) => e.action === 'findings')) throw conflict('请先填写调查结论，再作出处理决定');
    const decision = await writeDecision(q, user, c, b, null);
    await step(q, user, c, 'decide', { data: { decision } }, { outcome: b.outcome }, ip);
    return reload(ctx, q, id);
  });
}

/** 告知: the teacher is told of the decision (notification) and may appeal until today + APPEAL_DAYS. */
export async function notifyTeacher(ctx: AppContext, user: CurrentUser, id: number, ip?: string) {
  return ctx.db.tx(async (q) => {
    const c = await lockCase(q, user, id);
    caseMachine.assertTransition(c.stage, 'notify');
    const appealBy = addDays(todayInChina(), APPEAL_DAYS);
    const canAppeal = c.outcome !== 'noViolation';
    await step(q, user, c, 'notify', { data: { appealBy: canAppeal ? appealBy : null } }, { appealBy: canAppeal ? appealBy : undefined, notified: true }, ip);
    await notify(q, await repo.teacherUsers(q, c.teacher_id), {
      kind: 'result',
      title: `${c.handling_org_name}师德案件处理决定告知`,
      body: canAppeal ? `请查看处理决定及理由。如有异议，可在 ${appealBy}（含）前提出申诉。` : '经调查，不构成违规。请查看处理决定。',
      link: '/my/ethics',
    });
    return reload(ctx, q, id);
  });
}

/** 复核决定 after 申诉: uphold, change (the sanction is superseded by a new one) or annul (the sanction is revoked). */
export async function redecide(ctx: AppContext, user: CurrentUser, id: number, b: RedecideBody, ip?: string) {
  return ctx.db.tx(async (q) => {
    const c = await lockCase(q, user, id);
    caseMachine.assertTransition(c.stage, 'redecide');
    const current = await repo.currentSanctionId(q, c.id);
    let decision: DecisionData;
    let outcome = c.outcome as Outcome;
    if (b.result === 'change' && b.outcome && b.outcome !== 'noViolation') {
      decision = await writeDecision(q, user, c, { ...b, outcome: b.outcome }, current);
      outcome = b.outcome;
    } else {
      if (b.result !== 'uphold') {
        if (current) await revokeSanction(q, current, b.decidedOn, `申诉复核撤销：${b.reason}`);
        outcome = 'noViolation';
      }
      decision = {
        outcome,
        outcomeLabel: OUTCOME_LABELS[outcome],
        decidedOn: b.decidedOn,
        decisionNo: b.decisionNo || null,
        reason: b.reason,
        validFrom: null,
        validUntil: null,
        sanctionId: b.result === 'uphold' ? current : null,
      };
    }
    decision.result = b.result;
    decision.resultLabel = REDECISION_LABELS[b.result];
    await step(q, user, c, 'redecide', { data: { decision, replaced: current } }, { outcome }, ip);
    await notify(q, await repo.teacherUsers(q, c.teacher_id), {
      kind: 'result',
      title: `师德案件申诉复核结果：${REDECISION_LABELS[b.result]}`,
      body: '请查看复核决定及理由。',
      link: '/my/ethics',
    });
    return reload(ctx, q, id);
  });
}

/**
 * 办结: after the appeal deadline without an appeal (or at once when no violation was found), or after the second
 * decision. Writes the answer the reporter reads and the final sanction's effects on the teacher's facts.
 */
export async function closeCase(ctx: AppContext, user: CurrentUser, id: number, b: { answer?: string | null }, ip?: string) {
  return ctx.db.tx(async (q) => {
    const c = await lockCase(q, user, id);
    caseMachine.assertTransition(c.stage, 'close');
    const today = todayInChina();
    if (c.stage === 'notified' && c.outcome !== 'noViolation' && c.appeal_by !== null && today <= c.appeal_by)
      throw conflict(`申诉期限（${c.appeal_by} 止）未满，期满无申诉后方可办结`);
    if (c.report_id !== null && !b.answer) throw badRequest('请填写给举报人的答复', [{ field: 'answer', message: '请填写答复内容' }]);
    let effects: string | null = null;
    const sanctionId = await repo.currentSanctionId(q, c.id);
    if (sanctionId) {
      const s = (await sanctionsOf(q, c.teacher_id)).find((x) => x.id === sanctionId);
      if (s)
        effects = await applySanctionEffects(q, user.id, { id: s.id, teacherId: c.teacher_id, kind: s.kind, validFrom: s.validFrom, decisionNo: s.decisionNo });
    }
    if (c.report_id !== null) await repo.closeReport(q, c.report_id, b.answer as string);
    await step(q, user, c, 'close', { comment: b.answer || null, data: { effects, answered: c.report_id !== null } }, { closed: true }, ip);
    return reload(ctx, q, id);
  });
}

/** 告知学校: the school then sees that a case concerns its teacher (and when it opened), nothing else. */
export async function informSchool(ctx: AppContext, user: CurrentUser, id: number, b: { comment?: string | null }, ip?: string) {
  return ctx.db.tx(async (q) => {
    const c = await lockCase(q, user, id);
    if (c.stage === 'closed') throw conflict('该案件已办结，不再告知学校');
    if (!(await repo.markSchoolInformed(q, c.id))) throw conflict('已告知学校');
    await repo.insertEvent(q, { caseId: c.id, action: 'informSchool', from: c.stage, to: c.stage, by: user.id, comment: b.comment || null });
    await audit(q, user, 'ethicsCase.informSchool', ENTITY, c.id, { teacherId: c.teacher_id }, ip);
    return reload(ctx, q, id);
  });
}
