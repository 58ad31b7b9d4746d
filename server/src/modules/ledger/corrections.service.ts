import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import * as repo from './corrections.repository.js';
import type { RequestRow } from './corrections.repository.js';
import * as lrepo from './ledger.repository.js';
import type { CorrectionListQuery, DecisionBody } from './ledger.schema.js';

/**
 * 学时更正 across levels (issue 9 item 14). An entry is the record of the org that recognised it: the bureau
 * that filed its project (and confirmed its hours), or the org of the admin who recognised it. A corrector in
 * that org or above reverses it at once; one below (a county correcting hours the city recognised) sends the
 * correction to that org as a request, which its admin approves — then the reversal is written — or refuses.
 * Either way the teacher is told when their hours change.
 */

export const CORRECTION_STATUS = { pending: '待审核', approved: '已同意', refused: '未同意' } as const;

export function presentRequest(r: RequestRow, user: CurrentUser) {
  return {
    id: r.id,
    entryId: r.entry_id,
    teacherId: r.teacher_id,
    teacherName: r.teacher_name,
    teacherOrgName: r.teacher_org_name,
    hours: r.hours,
    category: r.category,
    occurredOn: r.occurred_on,
    description: r.description,
    ownerOrgName: r.owner_org_name,
    requestedByName: r.requested_by_name,
    requestedOrgName: r.requested_org_name,
    requestedAt: r.requested_at,
    reason: r.reason,
    status: r.status,
    statusLabel: CORRECTION_STATUS[r.status],
    decidedByName: r.decided_by_name,
    decidedAt: r.decided_at,
    decisionComment: r.decision_comment,
    /** Addressed to the caller's org (or one below it) and still open: the caller may approve or refuse. */
    canDecide: r.status === 'pending' && r.owner_path.startsWith(user.orgPath) && r.requested_by !== user.id,
    /** Sent from the caller's org subtree. */
    outgoing: r.requested_org_path.startsWith(user.orgPath),
  };
}
export type CorrectionRequestDto = ReturnType<typeof presentRequest>;

/** Tell the teacher their hours were corrected (inside the transaction that wrote the reversal). */
export async function notifyTeacherOfReversal(q: Queryable, teacherId: number, entry: { hours: number; description: string }, reason: string): Promise<void> {
  await notify(q, await repo.usersOfTeacher(q, teacherId), {
    kind: 'general',
    title: `您的学时记录已更正：冲销「${entry.description}」${entry.hours} 学时`,
    body: `原因：${reason}`,
    link: '/my/hours',
  });
}

/**
 * The entry is another org's record above the caller: file a request to that org instead of reversing.
 * Returns null when the caller may reverse it directly.
 */
export async function requestIfNotOwn(
  q: Queryable,
  user: CurrentUser,
  entry: { id: number; teacher_id: number; hours: number; description: string },
  reason: string,
  ip?: string,
): Promise<CorrectionRequestDto | null> {
  const owner = await repo.entryOwner(q, entry.id);
  if (!owner || owner.org_path.startsWith(user.orgPath)) return null;
  const id = await repo.insertRequest(q, {
    entryId: entry.id,
    teacherId: entry.teacher_id,
    ownerOrgId: owner.org_id,
    userId: user.id,
    orgId: user.orgId,
    reason,
  });
  if (id === null) throw conflict('该记录已有待审核的更正申请');
  await audit(q, user, 'ledger.correction.request', 'ledger_entry', entry.id, { requestId: id, reason, ownerOrgId: owner.org_id }, ip);
  await notify(q, await usersAt(q, [owner.org_id], ['bureauAdmin']), {
    kind: 'approval',
    title: `待审核：${user.orgName}申请冲销「${entry.description}」${entry.hours} 学时`,
    body: `该学时由${owner.org_name}认定，更正须经本单位同意。原因：${reason}`,
    link: '/hours/corrections',
  });
  const row = await repo.getRequest(q, id);
  if (!row) throw notFound('更正申请');
  return presentRequest(row, user);
}

/** Correction requests addressed to the caller's org subtree, and those it sent. */
export async function listCorrections(ctx: AppContext, user: CurrentUser, f: CorrectionListQuery) {
  requirePermission(user, 'hours.correct');
  return { items: (await repo.listRequests(ctx.db, user.orgPath, f.status ?? null)).map((r) => presentRequest(r, user)) };
}

/** The org a request is addressed to (or one above it) approves — writing the reversal — or refuses with a reason. */
export async function decideCorrection(ctx: AppContext, user: CurrentUser, id: number, body: DecisionBody, ip?: string): Promise<CorrectionRequestDto> {
  requirePermission(user, 'hours.correct');
  const comment = body.comment?.trim() || null;
  if (body.decision === 'refuse' && !comment) throw badRequest('请填写不同意的原因', [{ field: 'comment', message: '请填写原因' }]);
  return ctx.db.tx(async (q) => {
    const r = await repo.lockRequestFor(q, user.orgPath, id);
    if (!r) throw notFound('更正申请');
    if (r.status !== 'pending') throw conflict(`该申请已${CORRECTION_STATUS[r.status]}，不能再处理`);
    if (r.requested_by === user.id) throw forbidden('不能审核本人提出的更正申请');
    let reversalId: number | null = null;
    if (body.decision === 'approve') {
      reversalId = await lrepo.insertReversal(q, r.entry_id, user.id, r.reason);
      if (reversalId === null) throw conflict('该记录已被冲销');
      await notifyTeacherOfReversal(q, r.teacher_id, { hours: r.hours, description: r.description }, r.reason);
    }
    await repo.decideRequest(q, r.id, { status: body.decision === 'approve' ? 'approved' : 'refused', userId: user.id, comment, reversalId });
    await audit(q, user, `ledger.correction.${body.decision}`, 'ledger_entry', r.entry_id, { requestId: r.id, comment, reversalId }, ip);
    await notify(q, [r.requested_by], {
      kind: 'result',
      title: `${user.orgName}${body.decision === 'approve' ? '同意' : '未同意'}冲销「${r.description}」${r.hours} 学时`,
      body: comment ?? '',
      link: '/hours/corrections',
    });
    const after = await repo.getRequest(q, r.id);
    if (!after) throw notFound('更正申请');
    return presentRequest(after, user);
  });
}
