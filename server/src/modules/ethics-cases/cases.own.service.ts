import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { saveUpload, type UploadPart } from '../../platform/files.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { categoryLabelsAt } from '../ethics-reports/ethics-deadlines.js';
import * as repo from './cases.repository.js';
import type { CaseRow, EventRow } from './cases.repository.js';
import { ENTITY, fileNames, openText, presentEvent, type DecisionData } from './cases.service.js';
import { CASE_STAGE_LABELS, caseMachine, type CaseStage } from './cases.vocab.js';
import { todayInChina } from '../../platform/china-time.js';

/**
 * 师德案件 as the other parties see them (issue 12 item 2): the school, only that a case concerns its teacher when
 * the bureau informed it; the teacher, their own cases once told (告知), with the decision and the 申诉.
 */

// ---------------------------------------------------------------- the school (informed cases: existence only)

export async function schoolCases(ctx: AppContext, user: CurrentUser, ip?: string) {
  requirePermission(user, 'ethics.notices');
  const rows = await repo.informedCases(ctx.db, user.orgId);
  await audit(ctx.db, user, 'ethicsCase.schoolList', ENTITY, null, { count: rows.length }, ip);
  return { items: rows.map((r) => ({ id: r.id, teacherName: r.teacher_name, openedOn: r.opened_on, informedAt: r.informed_at })) };
}

// ---------------------------------------------------------------- the teacher (own cases, once told)

function ownTeacher(user: CurrentUser): number {
  if (user.role !== 'teacher') throw forbidden();
  if (!user.teacherId) throw notFound('案件');
  return user.teacherId;
}

function presentForTeacher(c: CaseRow, events: EventRow[], ctx: AppContext, names: Map<number, string>, labels: Map<string, string>) {
  const today = todayInChina();
  const decisions = events
    .filter((e) => (e.action === 'decide' || e.action === 'redecide') && e.data.decision)
    .map((e) => ({ ...(e.data.decision as DecisionData), eventId: e.id }));
  const appeal = events.find((e) => e.action === 'appeal');
  return {
    id: c.id,
    handlingOrgName: c.handling_org_name,
    category: c.category,
    categoryLabel: labels.get(c.category) ?? c.category,
    stage: c.stage,
    stageLabel: CASE_STAGE_LABELS[c.stage as CaseStage],
    notifiedAt: c.notified_at,
    appealBy: c.appeal_by,
    decisions,
    appeal: appeal ? { at: appeal.at, text: openText(ctx, appeal.data.textEnc), files: presentEvent(ctx, appeal, names).files } : null,
    canAppeal: c.stage === 'notified' && c.outcome !== 'noViolation' && c.appeal_by !== null && today <= c.appeal_by,
    closedAt: c.closed_at,
  };
}
export type MyCaseDto = ReturnType<typeof presentForTeacher>;

/** Category labels of the region's vocabulary in force for the handling bureaus (the teacher reads words, not codes). */
const labelsOf = (q: Queryable, rows: CaseRow[]) =>
  categoryLabelsAt(
    q,
    rows.map((c) => c.handling_org_path),
    todayInChina(),
  );

async function myCase(q: Queryable, user: CurrentUser, id: number): Promise<CaseRow> {
  const [c] = await repo.casesOfTeacher(q, ownTeacher(user), id);
  if (!c) throw notFound('案件');
  return c;
}

export async function myCases(ctx: AppContext, user: CurrentUser, ip?: string) {
  const rows = await repo.casesOfTeacher(ctx.db, ownTeacher(user));
  const labels = await labelsOf(ctx.db, rows);
  const items: MyCaseDto[] = [];
  for (const c of rows) {
    const events = await repo.eventsOf(ctx.db, c.id);
    items.push(presentForTeacher(c, events, ctx, await fileNames(ctx.db, events), labels));
  }
  await audit(ctx.db, user, 'ethicsCase.ownList', ENTITY, null, { count: items.length }, ip);
  return { items };
}

export async function myCaseDetail(ctx: AppContext, user: CurrentUser, id: number, ip?: string): Promise<MyCaseDto> {
  const c = await myCase(ctx.db, user, id);
  const events = await repo.eventsOf(ctx.db, c.id);
  await audit(ctx.db, user, 'ethicsCase.ownRead', ENTITY, id, {}, ip);
  return presentForTeacher(c, events, ctx, await fileNames(ctx.db, events), await labelsOf(ctx.db, [c]));
}

function appealOpen(c: CaseRow) {
  if (c.stage === 'appealed') throw conflict('已提出申诉，请等待复核决定');
  if (c.stage !== 'notified') throw conflict(`当前状态「${CASE_STAGE_LABELS[c.stage as CaseStage]}」不能申诉`);
  if (c.outcome === 'noViolation' || c.appeal_by === null) throw conflict('经调查不构成违规，无需申诉');
  if (todayInChina() > c.appeal_by) throw conflict(`申诉期限已过（${c.appeal_by} 止），不能再提出申诉`);
}

/** A file for the teacher's appeal (PDF/PNG/JPEG), before the deadline; named in the appeal by id. */
export async function addAppealFile(ctx: AppContext, user: CurrentUser, id: number, part: UploadPart | Buffer, fileName?: string) {
  const c = await myCase(ctx.db, user, id);
  appealOpen(c);
  const saved = await saveUpload(ctx, part, {
    allowed: ['pdf', 'png', 'jpeg'],
    owner: { userId: user.id, orgId: c.handling_org_id },
    purpose: 'ethicsAppeal',
    originalName: fileName,
  });
  return { id: saved.fileId, name: saved.originalName, kind: saved.kind, size: saved.size };
}

/** 申诉: the teacher, before the deadline, with the reasons (sealed) and files uploaded for it. */
export async function fileAppeal(ctx: AppContext, user: CurrentUser, id: number, b: { text: string; fileIds?: number[] }, ip?: string) {
  ownTeacher(user);
  return ctx.db.tx(async (q) => {
    const c = await myCase(q, user, id);
    const locked = await repo.getCase(q, null, c.id, true);
    if (!locked) throw notFound('案件');
    appealOpen(locked);
    const fileIds = [...new Set(b.fileIds ?? [])];
    const own = await repo.ownAppealFiles(q, user.id, fileIds);
    if (own.length !== fileIds.length) throw badRequest('所选材料不存在或不是本人上传的', [{ field: 'fileIds', message: '请重新上传申诉材料' }]);
    const to = caseMachine.assertTransition(locked.stage, 'appeal');
    if (!(await repo.moveStage(q, c.id, locked.stage, to))) throw conflict('该案件已被处理，请刷新');
    await repo.insertEvent(q, { caseId: c.id, action: 'appeal', from: locked.stage, to, by: user.id, data: { textEnc: ctx.pii.encrypt(b.text), fileIds } });
    await audit(q, user, 'ethicsCase.appeal', ENTITY, c.id, { fileIds }, ip);
    await notify(q, await usersAt(q, [c.handling_org_id], ['ethicsOfficer']), {
      kind: 'approval',
      title: `师德案件 #${c.id} 教师提出申诉，请复核`,
      link: `/ethics/cases/${c.id}`,
    });
    const events = await repo.eventsOf(q, c.id);
    const fresh = await repo.getCase(q, null, c.id);
    return presentForTeacher(fresh as CaseRow, events, ctx, await fileNames(q, events), await labelsOf(q, [c]));
  });
}
