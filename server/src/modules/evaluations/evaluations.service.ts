import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { openDownload, saveUpload, type Download, type UploadPart } from '../../platform/files.js';
import * as repo from './evaluations.repository.js';
import type { InspectionRow, ProjectScoreInputRow } from './evaluations.repository.js';
import type { InspectionInput } from './evaluations.schema.js';
import { evaluatedProject, projectScopePath } from './project-scope.js';
import { combineScore, round1, SURVEY_MIN_ANSWERS, type CombinedScore } from './score.js';
import { participantsScore } from './survey.service.js';
import { todayInChina } from '../../platform/china-time.js';

export const MAX_INSPECTION_FILES = 10;

function presentInspection(i: InspectionRow) {
  return {
    id: i.id,
    projectId: i.project_id,
    inspectedOn: i.inspected_on,
    inspectors: i.inspectors,
    findings: i.findings,
    score: i.score,
    issues: i.issues,
    recordedBy: i.recorded_by_name,
    recordedAt: i.recorded_at,
    files: i.files,
  };
}

/** Inspections (督导) of a project, newest first. */
export async function listInspections(ctx: AppContext, user: CurrentUser, projectId: number) {
  const p = await evaluatedProject(ctx.db, user, projectId);
  return (await repo.listInspections(ctx.db, p.id)).map(presentInspection);
}

/** A bureau admin records an inspection of a project in their region: date, inspectors, findings, score, issues. */
export async function recordInspection(ctx: AppContext, user: CurrentUser, projectId: number, input: InspectionInput) {
  requirePermission(user, 'evaluations.supervise');
  if (input.inspectedOn > todayInChina()) throw badRequest('督导日期不能晚于今天', [{ field: 'inspectedOn', message: '督导日期不能晚于今天' }]);
  return ctx.db.tx(async (q) => {
    const p = await evaluatedProject(q, user, projectId);
    const id = await repo.insertInspection(q, { projectId: p.id, ...input, recordedBy: user.id });
    await audit(q, user, 'inspection.create', 'project', p.id, { inspectionId: id, score: input.score });
    const i = await repo.findInspection(q, '/', id);
    if (!i) throw notFound('督导记录');
    return presentInspection(i);
  });
}

/** Attach a PDF or image to an inspection (checked by magic bytes and size, stored under a random name). */
export async function addInspectionFile(ctx: AppContext, user: CurrentUser, inspectionId: number, part: UploadPart) {
  requirePermission(user, 'evaluations.supervise');
  const i = await repo.findInspection(ctx.db, projectScopePath(user), inspectionId);
  if (!i) throw notFound('督导记录');
  if (i.files.length >= MAX_INSPECTION_FILES) throw conflict(`每条督导记录最多 ${MAX_INSPECTION_FILES} 个附件`);
  return ctx.db.tx(async (q) => {
    const saved = await saveUpload(ctx, part, { allowed: ['pdf', 'png', 'jpeg'], owner: { userId: user.id, orgId: user.orgId }, purpose: 'inspection', q });
    await repo.attachInspectionFile(q, i.id, saved.fileId);
    if ((await repo.countInspectionFiles(q, i.id)) > MAX_INSPECTION_FILES) throw conflict(`每条督导记录最多 ${MAX_INSPECTION_FILES} 个附件`);
    return { id: saved.fileId, name: saved.originalName, size: saved.size, mime: saved.mime };
  });
}

/** Download an inspection attachment: whoever may see the inspection's project evaluation; else 404. */
export async function inspectionFile(ctx: AppContext, user: CurrentUser, inspectionId: number, fileId: number): Promise<Download> {
  const scope = projectScopePath(user);
  return openDownload(ctx, user, fileId, async () => {
    if ((await repo.inspectionOfFile(ctx.db, fileId)) !== inspectionId) return false;
    return (await repo.findInspection(ctx.db, scope, inspectionId)) !== null;
  });
}

export interface ProjectScore {
  participants: number | null;
  experts: number | null;
  inspection: number | null;
  combined: CombinedScore;
  /** Present ÷ (approved enrolments × sessions), 0..1; null without enrolments or sessions. */
  attendanceRate: number | null;
}

/** The three parts of one project's score and their combination, from its aggregated inputs. */
export function scoreOf(x: ProjectScoreInputRow): ProjectScore {
  const participants = participantsScore(x.answers, x.rating_avg);
  const experts = x.expert_avg === null ? null : round1(x.expert_avg);
  const inspection = x.inspection_avg === null ? null : round1(x.inspection_avg);
  const possible = x.enrolled * x.sessions;
  return {
    participants,
    experts,
    inspection,
    combined: combineScore({ participants, experts, inspection }),
    attendanceRate: possible ? Math.round((x.attended / possible) * 10000) / 10000 : null,
  };
}

/**
 * The project's evaluation at a glance: participants (only with ≥ 5 answers), experts, inspection,
 * and the combined score with the weights actually used.
 */
export async function projectEvaluation(ctx: AppContext, user: CurrentUser, projectId: number) {
  const p = await evaluatedProject(ctx.db, user, projectId);
  const x = await repo.projectScoreInputs(ctx.db, p.id);
  const s = scoreOf(x);
  return {
    project: { id: p.id, code: p.code, name: p.name, status: p.status, orgId: p.org_id, orgName: p.org_name, startDate: p.start_date, endDate: p.end_date },
    participants: { answers: x.answers, threshold: SURVEY_MIN_ANSWERS, score: s.participants },
    experts: { scored: x.expert_count, average: s.experts },
    inspection: { count: x.inspection_count, average: s.inspection },
    attendanceRate: s.attendanceRate,
    combined: s.combined,
  };
}
