import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { deleteStoredFile, getFiles, openDownload, saveUpload, type Download, type UploadPart } from '../../platform/files.js';
import type { Category } from '../../platform/vocab.js';
import { describeMatch, findDuplicates, type DuplicateMatch } from '../hour-duplicates/duplicates.service.js';
import { recordLedgerEntries } from '../ledger/ledger.service.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { claimMachine, EDITABLE, type ClaimAction, type ClaimStatus } from './claims.machine.js';
import * as repo from './claims.repository.js';
import type { ClaimRow } from './claims.repository.js';
import { MAX_CLAIM_FILES, type ClaimInput, type ClaimListQuery } from './claims.schema.js';
import { todayInChina } from '../../platform/china-time.js';

const REVIEW_LINK = '/claims/review';
const claimLink = (id: number) => `/claims/${id}`;

/** Who is looking: the claim's own teacher, or a reviewer (school / bureau admin) of a subtree. */
type Viewer = { kind: 'teacher'; teacherId: number } | { kind: 'reviewer'; scopePath: string };

function viewerOf(user: CurrentUser): Viewer {
  if (user.role === 'teacher' && user.teacherId) return { kind: 'teacher', teacherId: user.teacherId };
  if (can(user, 'hours.review')) return { kind: 'reviewer', scopePath: user.scopePath };
  throw forbidden('无权查看学时申报');
}

function filterOf(v: Viewer): repo.ClaimFilter {
  return v.kind === 'teacher' ? { scopePath: '/', teacherId: v.teacherId, excludeDrafts: false } : { scopePath: v.scopePath, excludeDrafts: true };
}

/** The claim if the viewer may see it (reviewers never see drafts), else 404. Locked when `lock`. */
async function claimOr404(q: Queryable, user: CurrentUser, id: number, lock = false): Promise<ClaimRow> {
  const v = viewerOf(user);
  const f = filterOf(v);
  const [c] = await repo.findClaims(q, f.scopePath, [id], lock);
  if (!c || (f.teacherId !== undefined && c.teacher_id !== f.teacherId) || (f.excludeDrafts && c.status === 'draft')) throw notFound('学时申报');
  return c;
}

/** The review step a claim in this state waits for, and the role that performs it. */
const STEP_ROLE: Partial<Record<ClaimStatus, CurrentUser['role']>> = { submitted: 'schoolAdmin', schoolApproved: 'bureauAdmin' };

/**
 * May this user perform `action` on the claim (its state already checked)? The teacher submits their
 * own; the school admin decides at the school step, a bureau admin at the county step.
 */
function actorError(user: CurrentUser, c: ClaimRow, action: ClaimAction): AppError | null {
  if (action === 'submit') return user.teacherId === c.teacher_id ? null : forbidden('只有申报教师本人可以提交');
  if (action === 'withdraw') return user.teacherId === c.teacher_id ? null : forbidden('只有申报教师本人可以撤回');
  if (!can(user, 'hours.review')) return forbidden('无权审核学时申报');
  const role = STEP_ROLE[c.status];
  if (role && user.role !== role) return forbidden(role === 'schoolAdmin' ? '该申报待学校审核，须由学校管理员处理' : '该申报待区县审核，须由教育局管理员处理');
  return null;
}

function allowedFor(user: CurrentUser, c: ClaimRow) {
  return claimMachine.allowedActions(c.status).filter((a) => !actorError(user, c, a.action));
}

export function presentClaim(c: ClaimRow, user: CurrentUser) {
  return {
    id: c.id,
    teacherId: c.teacher_id,
    teacherName: c.teacher_name,
    orgId: c.org_id,
    orgName: c.org_name,
    title: c.title,
    category: c.category,
    hours: c.hours,
    /** The hours approved so far when a reviewer approved fewer than claimed (null = as claimed). */
    approvedHours: c.approved_hours,
    occurredOn: c.occurred_on,
    description: c.description,
    status: c.status,
    statusLabel: claimMachine.stateLabel(c.status),
    fileCount: c.file_count,
    createdAt: c.created_at,
    submittedAt: c.submitted_at,
    decidedAt: c.decided_at,
    /** The buttons this user may press now. */
    allowedActions: allowedFor(user, c),
    /** The teacher may still edit the claim and its evidence. */
    editable: user.teacherId === c.teacher_id && EDITABLE.includes(c.status),
  };
}
export type ClaimDto = ReturnType<typeof presentClaim>;

/**
 * Claims the caller may see: a teacher their own (drafts included); a reviewer every submitted claim of
 * their subtree. `pending=1` narrows to those waiting for the caller's own review step.
 */
export async function listClaims(ctx: AppContext, user: CurrentUser, f: ClaimListQuery) {
  const filter = filterOf(viewerOf(user));
  if (f.status) filter.statuses = [f.status];
  if (f.pending === '1') {
    const waiting = (Object.keys(STEP_ROLE) as ClaimStatus[]).filter((s) => STEP_ROLE[s] === user.role);
    filter.statuses = f.status ? waiting.filter((s) => s === f.status) : waiting;
  }
  if (f.q) filter.q = f.q;
  const r = await repo.listClaims(ctx.db, filter, f.page, f.pageSize);
  const dupes = await duplicatesOf(ctx.db, r.rows);
  return {
    items: r.rows.map((c) => ({ ...presentClaim(c, user), duplicateCount: dupes.get(String(c.id))?.length ?? 0 })),
    total: r.total,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/** Why the approved hours were lowered to `hours`: the comment of the step (in the current review round) that set them. */
function loweringReason(events: repo.EventRow[], hours: number): string | null {
  const lastSubmit = events.findLastIndex((e) => e.action === 'submit');
  return events.slice(lastSubmit + 1).find((e) => e.hours !== null && Number(e.hours) === hours)?.comment ?? null;
}

/** States in which a claim waits for a reviewer: its likely duplicates are looked up live. */
const UNDER_REVIEW: readonly ClaimStatus[] = ['submitted', 'schoolApproved'];

/** Likely duplicates of the claims under review among `claims`, keyed by claim id (as a string). */
async function duplicatesOf(q: Queryable, claims: ClaimRow[]): Promise<Map<string, DuplicateMatch[]>> {
  return findDuplicates(
    q,
    claims
      .filter((c) => UNDER_REVIEW.includes(c.status))
      .map((c) => ({ key: String(c.id), teacherId: c.teacher_id, title: c.title, hours: c.approved_hours ?? c.hours, date: c.occurred_on, claimId: c.id })),
  );
}

/**
 * One claim with its evidence files, full history and its likely duplicates (404 if the caller may not
 * see it): live while it waits for review, else those the deciding reviewer saw. hoursReason is why a
 * reviewer approved fewer hours than claimed (shown to the teacher too).
 */
export async function getClaim(ctx: AppContext, user: CurrentUser, id: number) {
  const c = await claimOr404(ctx.db, user, id);
  const [files, events, live] = await Promise.all([
    getFiles(ctx.db, await repo.claimFileIds(ctx.db, id)),
    repo.listEvents(ctx.db, id),
    duplicatesOf(ctx.db, [c]),
  ]);
  const decided = [...events].reverse().find((e) => e.duplicates);
  return {
    ...presentClaim(c, user),
    hoursReason: c.approved_hours !== null ? loweringReason(events, c.approved_hours) : null,
    duplicates: UNDER_REVIEW.includes(c.status) ? (live.get(String(c.id)) ?? []) : ((decided?.duplicates ?? []) as DuplicateMatch[]),
    files: files.map((f) => ({ id: f.id, name: f.originalName, kind: f.kind, size: f.size, uploadedAt: f.createdAt })),
    history: events.map((e) => ({
      at: e.at,
      action: e.action,
      actionLabel: e.action === 'create' ? '创建' : (claimMachine.transitions[e.action as ClaimAction]?.label ?? e.action),
      from: e.from_status,
      to: e.to_status,
      toLabel: claimMachine.stateLabel(e.to_status),
      comment: e.comment,
      userName: e.user_name,
      hours: e.hours,
      duplicateCount: e.duplicates?.length ?? 0,
      duplicateReason: e.duplicate_reason,
    })),
  };
}

function ownTeacher(user: CurrentUser): number {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('只有教师本人可以申报学时');
  return user.teacherId;
}

function checkDate(occurredOn: string, today: string): void {
  if (occurredOn > today) throw badRequest('培训日期不能晚于今天', [{ field: 'occurredOn', message: '培训日期不能晚于今天' }]);
}

const columns = (input: ClaimInput): repo.ClaimColumns => ({
  title: input.title,
  category: input.category,
  hours: input.hours,
  occurred_on: input.occurredOn,
  description: input.description,
});

/** A teacher starts a claim as a draft; evidence is added next, then it is submitted. */
export async function createClaim(ctx: AppContext, user: CurrentUser, input: ClaimInput, now = new Date()) {
  const teacherId = ownTeacher(user);
  checkDate(input.occurredOn, todayInChina(now));
  return ctx.db.tx(async (q) => {
    const id = await repo.insertClaim(q, teacherId, columns(input), user.id);
    await repo.insertEvent(q, { claimId: id, userId: user.id, action: 'create', from: null, to: 'draft', comment: null });
    return presentClaim(await claimOr404(q, user, id), user);
  });
}

function assertEditable(user: CurrentUser, c: ClaimRow, what: string): void {
  if (user.teacherId !== c.teacher_id) throw forbidden('只有申报教师本人可以修改');
  if (!EDITABLE.includes(c.status)) throw conflict(`当前状态「${claimMachine.stateLabel(c.status)}」不能${what}`);
}

/** Change a draft or a returned claim (the teacher's own). */
export async function updateClaim(ctx: AppContext, user: CurrentUser, id: number, input: ClaimInput, now = new Date()) {
  ownTeacher(user);
  checkDate(input.occurredOn, todayInChina(now));
  return ctx.db.tx(async (q) => {
    const c = await claimOr404(q, user, id, true);
    assertEditable(user, c, '修改');
    await repo.updateClaim(q, id, columns(input));
    return presentClaim(await claimOr404(q, user, id), user);
  });
}

/** Delete a draft that was never submitted, with its evidence. */
export async function deleteClaim(ctx: AppContext, user: CurrentUser, id: number): Promise<void> {
  ownTeacher(user);
  const cleanups = await ctx.db.tx(async (q) => {
    const c = await claimOr404(q, user, id, true);
    if (c.status !== 'draft') throw conflict(`当前状态「${claimMachine.stateLabel(c.status)}」不能删除，只有草稿可以删除`);
    const fileIds = await repo.claimFileIds(q, id);
    await repo.deleteClaim(q, id);
    const out: (() => Promise<void>)[] = [];
    for (const f of fileIds) out.push(await deleteStoredFile(ctx, q, f));
    return out;
  });
  for (const c of cleanups) await c();
}

/** Attach one evidence file (PDF / PNG / JPEG, ≤ 10 MB; at most 5 per claim) to the teacher's editable claim. */
export async function addEvidence(ctx: AppContext, user: CurrentUser, id: number, part: UploadPart | Buffer, fileName?: string) {
  ownTeacher(user);
  // Checked before reading the upload so a refused request stores nothing; re-checked under the lock.
  const pre = await claimOr404(ctx.db, user, id);
  assertEditable(user, pre, '上传材料');
  if (pre.file_count >= MAX_CLAIM_FILES) throw conflict(`每条申报最多上传 ${MAX_CLAIM_FILES} 个证明材料`);
  const saved = await saveUpload(ctx, part, {
    allowed: ['pdf', 'png', 'jpeg'],
    owner: { userId: user.id, orgId: pre.org_id },
    purpose: 'claimEvidence',
    originalName: fileName,
  });
  try {
    await ctx.db.tx(async (q) => {
      const c = await claimOr404(q, user, id, true);
      assertEditable(user, c, '上传材料');
      if (c.file_count >= MAX_CLAIM_FILES) throw conflict(`每条申报最多上传 ${MAX_CLAIM_FILES} 个证明材料`);
      await repo.attachFile(q, id, saved.fileId);
    });
  } catch (err) {
    const cleanup = await ctx.db.tx((q) => deleteStoredFile(ctx, q, saved.fileId));
    await cleanup();
    throw err;
  }
  return { id: saved.fileId, name: saved.originalName, kind: saved.kind, size: saved.size };
}

/** Remove an evidence file from the teacher's editable claim. */
export async function removeEvidence(ctx: AppContext, user: CurrentUser, id: number, fileId: number): Promise<void> {
  ownTeacher(user);
  const cleanup = await ctx.db.tx(async (q) => {
    const c = await claimOr404(q, user, id, true);
    assertEditable(user, c, '删除材料');
    if (!(await repo.detachFile(q, id, fileId))) throw notFound('材料');
    return deleteStoredFile(ctx, q, fileId);
  });
  await cleanup();
}

/** Open an evidence file of a claim the caller may see (its teacher, reviewers in scope); else 404. */
export async function downloadEvidence(ctx: AppContext, user: CurrentUser, id: number, fileId: number): Promise<Download> {
  await claimOr404(ctx.db, user, id);
  const ids = await repo.claimFileIds(ctx.db, id);
  return openDownload(ctx, user, fileId, (f) => ids.includes(f.id));
}

interface Applied {
  claim: ClaimRow;
  action: ClaimAction;
  to: ClaimStatus;
  comment: string | null;
  /** The claim's approved hours after this step. */
  hours: number;
}

/** What a reviewer adds to an approval: fewer hours than claimed, why a likely duplicate is approved anyway. */
export interface ReviewInput {
  hours?: number;
  duplicateReason?: string;
}

const APPROVALS: readonly ClaimAction[] = ['schoolApprove', 'countyApprove'];
const REVIEWS: readonly ClaimAction[] = [...APPROVALS, 'return', 'reject'];

/** The approved hours after an approval with `requested` hours (400 if more than claimed, or lowered without a reason). */
function approvedHours(c: ClaimRow, action: ClaimAction, requested: number | undefined, comment: string | null): number | null {
  if (requested === undefined) return null;
  if (!APPROVALS.includes(action)) throw badRequest('只有审核通过时可以填写认定学时', [{ field: 'hours', message: '只有审核通过时可以填写认定学时' }]);
  const current = c.approved_hours ?? c.hours;
  if (requested > current) {
    const m = `认定学时不能超过${c.approved_hours === null ? '申报的' : '已核定的'} ${current} 学时`;
    throw badRequest(m, [{ field: 'hours', message: m }]);
  }
  if (requested === current) return null;
  if (!comment || comment.length < 2)
    throw badRequest('认定学时少于申报学时时，请在意见中填写核减理由（至少 2 个字），教师会看到', [{ field: 'comment', message: '请填写核减理由' }]);
  return requested;
}

/**
 * Check and apply one transition to a locked claim: state machine (409), actor (403), required comment
 * and evidence (400); log it; at the county step append the ledger entry (dedupe key claim:{id}).
 */
async function applyOne(
  q: Queryable,
  user: CurrentUser,
  c: ClaimRow,
  action: ClaimAction,
  comment: string | null,
  today: string,
  review: ReviewInput = {},
  duplicates: DuplicateMatch[] = [],
): Promise<Applied> {
  const to = claimMachine.assertTransition(c.status, action);
  const denied = actorError(user, c, action);
  if (denied) throw denied;
  const lowered = approvedHours(c, action, review.hours, comment);
  const duplicateReason = review.duplicateReason?.trim() || null;
  if (APPROVALS.includes(action) && duplicates.length && (!duplicateReason || duplicateReason.length < 2)) {
    const m = `该申报可能与已有学时重复：${duplicates.map(describeMatch).join('；')}。请填写仍然通过的理由，或按重复驳回`;
    throw badRequest(m, [{ field: 'duplicateReason', message: '请填写仍然通过的理由' }]);
  }
  if ((action === 'return' || action === 'reject') && (!comment || comment.length < 2))
    throw badRequest(`${action === 'return' ? '退回' : '驳回'}时请填写意见（至少 2 个字）`, [{ field: 'comment', message: '请填写意见' }]);
  if (action === 'submit') {
    if (c.file_count < 1) throw badRequest('请至少上传 1 个证明材料后再提交', [{ field: 'files', message: '请上传证明材料' }]);
    checkDate(c.occurred_on, today);
  }
  if (!(await repo.setStatus(q, c.id, c.status, to, lowered))) throw conflict('该申报已被他人处理，请刷新后重试');
  const hours = lowered ?? c.approved_hours ?? c.hours;
  await repo.insertEvent(q, {
    claimId: c.id,
    userId: user.id,
    action,
    from: c.status,
    to,
    comment,
    hours: APPROVALS.includes(action) ? hours : null,
    duplicates: REVIEWS.includes(action) ? duplicates : null,
    duplicateReason: APPROVALS.includes(action) && duplicates.length ? duplicateReason : null,
  });
  if (to === 'countyApproved') {
    // Fewer hours than claimed: the ledger entry's note says so, with the reason.
    const reason = hours < c.hours ? (loweringReason(await repo.listEvents(q, c.id), hours) ?? '') : '';
    await recordLedgerEntries(q, [
      {
        teacherId: c.teacher_id,
        hours,
        category: c.category as Category,
        occurredOn: c.occurred_on,
        sourceType: 'claim',
        sourceRef: `claim:${c.id}`,
        description: hours < c.hours ? `个人申报：${c.title}（申报 ${c.hours} 学时，认定 ${hours} 学时；核减理由：${reason}）` : `个人申报：${c.title}`,
        recognisedBy: user.id,
        dedupeKey: `claim:${c.id}`,
      },
    ]);
  }
  return { claim: c, action, to, comment, hours };
}

const TEACHER_MESSAGES: Partial<Record<ClaimAction, (a: Applied) => string>> = {
  schoolApprove: (a) => `学时申报「${a.claim.title}」已通过学校审核，待区县审核`,
  countyApprove: (a) =>
    a.hours < a.claim.hours
      ? `学时申报「${a.claim.title}」已认定 ${a.hours} 学时（申报 ${a.claim.hours} 学时）`
      : `学时申报「${a.claim.title}」已认定 ${a.hours} 学时`,
  return: (a) => `学时申报「${a.claim.title}」被退回修改`,
  reject: (a) => `学时申报「${a.claim.title}」未通过审核`,
};

/** Tell teachers about decisions and the next reviewers about work waiting (one message per reviewer group). */
async function notifyApplied(q: Queryable, applied: Applied[]): Promise<void> {
  if (!applied.length) return;
  const accounts = await repo.usersOfTeachers(q, [...new Set(applied.map((a) => a.claim.teacher_id))]);
  for (const a of applied) {
    const msg = TEACHER_MESSAGES[a.action];
    if (!msg) continue;
    const users = accounts.filter((u) => u.teacher_id === a.claim.teacher_id).map((u) => u.id);
    await notify(q, users, { kind: 'claim', title: msg(a), body: a.comment ? `审核意见：${a.comment}` : '', link: claimLink(a.claim.id) });
  }
  // Submitted → the school's admins; school-approved → the county's bureau admins.
  const groups = new Map<string, { reviewers: () => Promise<number[]>; count: number; stage: string }>();
  for (const a of applied) {
    if (a.to !== 'submitted' && a.to !== 'schoolApproved') continue;
    const key = `${a.to}:${a.claim.org_id}`;
    const g = groups.get(key) ?? {
      reviewers: a.to === 'submitted' ? () => usersAt(q, [a.claim.org_id], ['schoolAdmin']) : () => repo.countyReviewers(q, a.claim.org_path),
      count: 0,
      stage: a.to === 'submitted' ? '学校' : '区县',
    };
    g.count++;
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    await notify(q, await g.reviewers(), { kind: 'claim', title: `有 ${g.count} 条学时申报待${g.stage}审核`, link: REVIEW_LINK });
  }
}

/** Perform one workflow action on one claim; errors are thrown (404 / 409 / 403 / 400). */
export async function transition(
  ctx: AppContext,
  user: CurrentUser,
  id: number,
  action: ClaimAction,
  comment?: string,
  review: ReviewInput = {},
  now = new Date(),
) {
  return ctx.db.tx(async (q) => {
    const c = await claimOr404(q, user, id, true);
    const dupes = REVIEWS.includes(action) ? ((await duplicatesOf(q, [c])).get(String(id)) ?? []) : [];
    const a = await applyOne(q, user, c, action, comment?.trim() || null, todayInChina(now), review, dupes);
    await notifyApplied(q, [a]);
    if (a.to === 'countyApproved')
      await audit(q, user, 'claim.approve', 'hour_claim', id, {
        hours: a.hours,
        claimedHours: c.hours,
        teacherId: c.teacher_id,
        ...(dupes.length ? { duplicates: dupes.length, duplicateReason: review.duplicateReason?.trim() } : {}),
      });
    else if (a.to === 'withdrawn') await audit(q, user, 'claim.withdraw', 'hour_claim', id, { teacherId: c.teacher_id });
    else if (dupes.length && APPROVALS.includes(action))
      await audit(q, user, 'claim.approveDuplicate', 'hour_claim', id, { duplicates: dupes.length, duplicateReason: review.duplicateReason?.trim() });
    return presentClaim(await claimOr404(q, user, id), user);
  });
}

/**
 * Review many claims at once (select many → approve). One transaction; each claim is checked on its
 * own and the ones that cannot take the action are reported with the reason, the rest are applied.
 */
export async function batchTransition(
  ctx: AppContext,
  user: CurrentUser,
  ids: number[],
  action: Exclude<ClaimAction, 'submit'>,
  comment?: string,
  now = new Date(),
) {
  if (!can(user, 'hours.review')) throw forbidden('无权审核学时申报');
  const unique = [...new Set(ids)];
  return ctx.db.tx(async (q) => {
    const found = new Map((await repo.findClaims(q, user.scopePath, unique, true)).filter((c) => c.status !== 'draft').map((c) => [c.id, c]));
    const applied: Applied[] = [];
    const failed: { id: number; message: string }[] = [];
    // A likely duplicate is never approved in bulk: the reviewer decides on its own page.
    const dupes = APPROVALS.includes(action) ? await duplicatesOf(q, [...found.values()]) : new Map<string, DuplicateMatch[]>();
    for (const id of unique) {
      const c = found.get(id);
      if (!c) {
        failed.push({ id, message: '学时申报不存在或无权访问' });
        continue;
      }
      const d = dupes.get(String(id));
      if (d && claimMachine.can(c.status, action)) {
        failed.push({ id, message: `可能重复：${d.map(describeMatch).join('；')}，请打开详情逐条审核` });
        continue;
      }
      try {
        applied.push(await applyOne(q, user, c, action, comment?.trim() || null, todayInChina(now)));
      } catch (err) {
        if (!(err instanceof AppError) || err.code === 'VALIDATION') throw err; // a missing comment fails the whole batch
        failed.push({ id, message: err.message });
      }
    }
    await notifyApplied(q, applied);
    if (action === 'countyApprove' && applied.length)
      await audit(q, user, 'claim.approve', 'hour_claim', null, { ids: applied.map((a) => a.claim.id), hours: applied.reduce((n, a) => n + a.hours, 0) });
    return { succeeded: applied.map((a) => a.claim.id), failed };
  });
}
