import type { AppContext } from '../../platform/context.js';
import type { CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { deleteStoredFile, openDownload, saveUpload, type Download, type UploadPart } from '../../platform/files.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import * as repo from './projects.repository.js';
import * as srepo from './share-back.repository.js';
import type { ShareBackRow } from './share-back.repository.js';
import { SHARE_BACK_KINDS, shareBackMachine, type ShareBackStatus } from './lifecycle.js';
import type { ShareBackSubmit } from './share-back.schema.js';
import { todayInChina } from '../../platform/china-time.js';

/**
 * 返岗分享 (001 §三(五)): a trainee back from an outbound project (跟岗/影子) gives a 讲座, 座谈 or 公开课 in
 * their school, uploads evidence and submits; the school admin confirms or returns it.
 */

function present(r: ShareBackRow) {
  return {
    id: r.id,
    projectId: r.project_id,
    projectName: r.project_name,
    teacherId: r.teacher_id,
    teacherName: r.teacher_name,
    orgName: r.org_name,
    status: r.status,
    statusLabel: shareBackMachine.stateLabel(r.status),
    kind: r.kind,
    kindLabel: r.kind ? SHARE_BACK_KINDS[r.kind as keyof typeof SHARE_BACK_KINDS] : null,
    title: r.title,
    heldOn: r.held_on,
    place: r.place,
    summary: r.summary,
    evidence: r.evidence_file_id ? { fileId: r.evidence_file_id, name: r.evidence_name } : null,
    submittedAt: r.submitted_at,
    reviewedAt: r.reviewed_at,
    reviewComment: r.review_comment,
  };
}

function ownTeacher(user: CurrentUser): number {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可以提交返岗分享');
  return user.teacherId;
}

async function ownTask(q: Parameters<typeof srepo.findInScope>[0], user: CurrentUser, id: number, lock = false): Promise<ShareBackRow> {
  const teacherId = ownTeacher(user);
  const t = await srepo.findInScope(q, user.orgPath, id, lock);
  if (!t || t.teacher_id !== teacherId) throw notFound('返岗分享任务');
  return t;
}

/** Notify the trainees who got a task at close (called by the close transition). */
export async function notifyNewTasks(q: Parameters<typeof srepo.createTasks>[0], projectName: string, teacherIds: number[]): Promise<void> {
  await notify(q, await repo.usersOfTeachers(q, teacherIds), {
    kind: 'general',
    title: `返岗分享任务：「${projectName}」`,
    body: '请在本校开展讲座、座谈或公开课，并上传证明材料',
    link: '/my/share-backs',
  });
}

export async function myShareBacks(ctx: AppContext, user: CurrentUser) {
  return { items: (await srepo.listForTeacher(ctx.db, ownTeacher(user))).map(present) };
}

/** Upload (or replace) the evidence of an own task that is still open for submission. */
export async function uploadEvidence(ctx: AppContext, user: CurrentUser, id: number, part: UploadPart | Buffer) {
  const pre = await ownTask(ctx.db, user, id);
  shareBackMachine.assertTransition(pre.status, 'submit');
  const saved = await saveUpload(ctx, part, { allowed: ['pdf', 'png', 'jpeg'], owner: { userId: user.id, orgId: pre.org_id }, purpose: 'shareBack' });
  let cleanup: () => Promise<void> = async () => undefined;
  try {
    cleanup = await ctx.db.tx(async (q) => {
      const t = await ownTask(q, user, id, true);
      shareBackMachine.assertTransition(t.status, 'submit');
      await srepo.setEvidence(q, id, saved.fileId);
      return t.evidence_file_id ? deleteStoredFile(ctx, q, t.evidence_file_id) : async () => undefined;
    });
  } catch (err) {
    const drop = await ctx.db.tx((q) => deleteStoredFile(ctx, q, saved.fileId));
    await drop();
    throw err;
  }
  await cleanup();
  return { fileId: saved.fileId, name: saved.originalName, kind: saved.kind, size: saved.size };
}

/** Submit the share-back record (evidence required) for the school admin to confirm. */
export async function submitShareBack(ctx: AppContext, user: CurrentUser, id: number, input: ShareBackSubmit) {
  if (input.heldOn > todayInChina()) throw badRequest('分享日期不能晚于今天', [{ field: 'heldOn', message: '日期不能晚于今天' }]);
  return ctx.db.tx(async (q) => {
    const t = await ownTask(q, user, id, true);
    shareBackMachine.assertTransition(t.status, 'submit');
    if (!t.evidence_file_id) throw badRequest('请先上传证明材料（照片或 PDF）', [{ field: 'file', message: '缺少证明材料' }]);
    await srepo.submit(q, id, input);
    await notify(q, await usersAt(q, [t.org_id], ['schoolAdmin']), {
      kind: 'approval',
      title: `待确认：${t.teacher_name}的返岗分享`,
      body: `「${t.project_name}」${SHARE_BACK_KINDS[input.kind]}：${input.title}`,
      link: '/share-backs',
    });
    const r = await srepo.findInScope(q, user.orgPath, id);
    if (!r) throw notFound('返岗分享任务');
    return present(r);
  });
}

/** Share-back tasks of the caller's teachers (school admin; a bureau admin sees its subtree's). */
export async function reviewList(ctx: AppContext, user: CurrentUser, status: ShareBackStatus | undefined) {
  if (user.role !== 'schoolAdmin' && user.role !== 'bureauAdmin') throw forbidden();
  return { items: (await srepo.listInScope(ctx.db, user.scopePath, status ?? null)).map(present) };
}

/** The school admin confirms the share-back, or returns it with a comment for the teacher to complete. */
export async function reviewShareBack(ctx: AppContext, user: CurrentUser, id: number, action: 'confirm' | 'return', comment?: string) {
  if (user.role !== 'schoolAdmin' && user.role !== 'bureauAdmin') throw forbidden('由教师所在学校确认返岗分享');
  const text = comment?.trim() || null;
  if (action === 'return' && !text) throw badRequest('请填写退回原因', [{ field: 'comment', message: '请填写原因' }]);
  return ctx.db.tx(async (q) => {
    const t = await srepo.findInScope(q, user.scopePath, id, true);
    if (!t) throw notFound('返岗分享任务');
    const to = shareBackMachine.assertTransition(t.status, action);
    await srepo.review(q, id, to, user.id, text);
    await audit(q, user, `shareBack.${action}`, 'shareBack', id, { teacherId: t.teacher_id });
    await notify(q, await repo.usersOfTeachers(q, [t.teacher_id]), {
      kind: 'general',
      title: action === 'confirm' ? `您的返岗分享已确认：「${t.project_name}」` : `您的返岗分享被退回：「${t.project_name}」`,
      body: text ?? '',
      link: '/my/share-backs',
    });
    const r = await srepo.findInScope(q, user.scopePath, id);
    if (!r) throw notFound('返岗分享任务');
    return present(r);
  });
}

/**
 * Evidence download: the teacher themself, or a reviewer (the school or bureau admin who confirms share-backs)
 * whose scope holds the teacher's school; other roles 403 (the 安全/审计/信息管理员 and centres have no business
 * with a teacher's files); out of scope 404.
 */
export async function downloadEvidence(ctx: AppContext, user: CurrentUser, id: number): Promise<Download> {
  if (user.role !== 'teacher' && user.role !== 'schoolAdmin' && user.role !== 'bureauAdmin') throw forbidden();
  const scope = user.role === 'teacher' ? user.orgPath : user.scopePath;
  const t = await srepo.findInScope(ctx.db, scope, id);
  if (!t || !t.evidence_file_id || (user.role === 'teacher' && t.teacher_id !== user.teacherId)) throw notFound('文件');
  const fileId = t.evidence_file_id;
  return openDownload(ctx, user, fileId, (f) => f.id === fileId);
}
