import type { AppContext } from '../../platform/context.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { SANCTION_LABELS, type SanctionKind } from '../integrity/sanctions.repository.js';
import { NAME_MASK_LABELS, renderName, type NameMask } from './name-mask.js';
import * as repo from './notices.repository.js';
import type { PublishNoticeInput } from './notices.schema.js';
import { todayInChina } from '../../platform/china-time.js';

/**
 * 典型问题通报 (issue 12 item 6). The 师德专干 publishes a typical case to the schools of an org of its subtree; the
 * teacher of a linked case is named as the officer chooses (实名 / 张某某 / 某教师), rendered here at publication, so
 * the raw name never reaches a reader who was given less. Each receiving school's admin confirms reading once
 * (一校一确认: who, when); the officer sees per-school status and reminds the schools that have not confirmed.
 * A notice is never edited; withdrawal (with its reason) keeps the row and stops confirmations.
 */

function requireReader(user: CurrentUser): void {
  if (!can(user, 'ethics.notices') && !can(user, 'ethics.handle')) throw forbidden();
}

const present = (r: repo.NoticeRow, manager: boolean) => ({
  id: r.id,
  title: r.title,
  body: r.body,
  publisherOrgName: r.publisher_org_name,
  targetOrgId: r.target_org_id,
  targetOrgName: r.target_org_name,
  caseId: manager ? r.case_id : null,
  subjectLabel: r.subject_label,
  nameMask: r.name_mask,
  nameMaskLabel: r.name_mask ? NAME_MASK_LABELS[r.name_mask as NameMask] : null,
  sanctionKind: r.sanction_kind,
  sanctionLabel: r.sanction_kind ? SANCTION_LABELS[r.sanction_kind as SanctionKind] : null,
  publishedOn: r.published_on,
  publishedByName: r.published_by_name,
  publishedAt: r.published_at,
  withdrawn: r.withdrawn_at !== null,
  withdrawnAt: r.withdrawn_at,
  withdrawnReason: r.withdrawn_reason,
  schools: manager ? r.schools : null,
  confirmed: manager ? r.confirmed : null,
  // The caller's school (a receiving school's admin): whether and when it confirmed, and who did.
  mySchool: r.my_school,
  myConfirmedAt: r.my_confirmed_at,
  myConfirmedByName: r.my_confirmed_by_name,
});

/** A notice the caller manages: ethics.handle and the target in the caller's subtree. */
const manages = (user: CurrentUser, r: repo.NoticeRow) => can(user, 'ethics.handle') && r.target_path.startsWith(user.orgPath);

export async function publish(ctx: AppContext, user: CurrentUser, input: PublishNoticeInput, ip?: string): Promise<{ id: number; schools: number }> {
  requirePermission(user, 'ethics.handle');
  const today = todayInChina();
  if (input.publishedOn && input.publishedOn > today) throw badRequest('发布日期不能晚于今天', [{ field: 'publishedOn', message: '发布日期不能晚于今天' }]);
  return ctx.db.tx(async (q) => {
    const target = await repo.orgInSubtree(q, input.targetOrgId, user.orgPath);
    if (!target) throw badRequest('请选择本辖区内的单位', [{ field: 'targetOrgId', message: '单位不存在或不在本辖区' }]);
    if ((await repo.schoolsBelow(q, target.id)) === 0)
      throw badRequest('所选单位下没有学校', [{ field: 'targetOrgId', message: '所选单位下没有学校，通报无人接收' }]);
    let subjectLabel: string | null = null;
    if (input.caseId) {
      const c = await repo.caseInSubtree(q, input.caseId, user.orgPath);
      if (!c) throw badRequest('关联的案件不存在或不在本辖区', [{ field: 'caseId', message: '案件不存在或不在本辖区' }]);
      subjectLabel = renderName(c.teacher_name, input.nameMask as NameMask);
    }
    const id = await repo.insertNotice(q, {
      publisherOrgId: user.orgId,
      targetOrgId: target.id,
      title: input.title,
      body: input.body,
      caseId: input.caseId ?? null,
      sanctionKind: input.sanctionKind ?? null,
      nameMask: input.caseId ? (input.nameMask ?? null) : null,
      subjectLabel,
      publishedOn: input.publishedOn ?? today,
      userId: user.id,
    });
    const schools = (await repo.schoolStatus(q, id)).map((s) => s.school_org_id);
    await audit(
      q,
      user,
      'ethics.notice.publish',
      'ethicsNotice',
      id,
      { targetOrgId: target.id, schools: schools.length, nameMask: input.nameMask ?? null },
      ip,
    );
    await notify(q, await usersAt(q, schools, ['schoolAdmin']), {
      kind: 'general',
      title: `师德通报：${input.title}`,
      body: '请阅读并确认（一校一确认）。',
      link: `/ethics/notices/${id}`,
    });
    return { id, schools: schools.length };
  });
}

export async function list(ctx: AppContext, user: CurrentUser, page: number, pageSize: number) {
  requireReader(user);
  const r = await repo.list(ctx.db, user.orgPath, user.orgId, pageSize, (page - 1) * pageSize);
  return { items: r.rows.map((x) => present(x, manages(user, x))), total: r.total };
}

async function visible(ctx: AppContext, user: CurrentUser, id: number) {
  requireReader(user);
  const r = await repo.findVisible(ctx.db, user.orgPath, user.orgId, id);
  if (!r) throw notFound('师德通报');
  return r;
}

async function managed(ctx: AppContext, user: CurrentUser, id: number) {
  requirePermission(user, 'ethics.handle');
  const r = await repo.findVisible(ctx.db, user.orgPath, user.orgId, id);
  if (!r || !manages(user, r)) throw notFound('师德通报');
  return r;
}

export async function open(ctx: AppContext, user: CurrentUser, id: number) {
  const r = await visible(ctx, user, id);
  const manager = manages(user, r);
  return { ...present(r, manager), canManage: manager, canConfirm: r.my_school && user.role === 'schoolAdmin' && !r.withdrawn_at && !r.my_confirmed_at };
}

/** Per-school confirmation status (the officer's view). */
export async function schools(ctx: AppContext, user: CurrentUser, id: number) {
  const r = await managed(ctx, user, id);
  const rows = await repo.schoolStatus(ctx.db, id);
  return {
    id: r.id,
    title: r.title,
    schools: rows.length,
    confirmed: rows.filter((s) => s.confirmed_at).length,
    items: rows.map((s) => ({
      schoolOrgId: s.school_org_id,
      schoolName: s.school_name,
      confirmed: s.confirmed_at !== null,
      confirmedAt: s.confirmed_at,
      confirmedByName: s.confirmed_by_name,
      remindedAt: s.reminded_at,
    })),
  };
}

/** A receiving school's admin confirms reading (once per school; repeating returns the first confirmation). */
export async function confirm(ctx: AppContext, user: CurrentUser, id: number, ip?: string) {
  if (user.role !== 'schoolAdmin') throw forbidden('只有接收学校的管理员可以确认阅读');
  return ctx.db.tx(async (q) => {
    await repo.lock(q, id);
    const r = await repo.findVisible(q, user.orgPath, user.orgId, id);
    if (!r?.my_school) throw notFound('师德通报');
    if (r.withdrawn_at) throw conflict('该通报已撤回，无需确认');
    const c = await repo.confirm(q, id, user.orgId, user.id);
    if (c.first) await audit(q, user, 'ethics.notice.confirm', 'ethicsNotice', id, {}, ip);
    return { confirmedAt: c.confirmed_at };
  });
}

export async function withdraw(ctx: AppContext, user: CurrentUser, id: number, reason: string, ip?: string) {
  await managed(ctx, user, id);
  return ctx.db.tx(async (q) => {
    await repo.lock(q, id);
    if (!(await repo.withdraw(q, id, user.id, reason))) throw conflict('该通报已撤回');
    await audit(q, user, 'ethics.notice.withdraw', 'ethicsNotice', id, { reason }, ip);
    return { ok: true };
  });
}

/** Remind the admins of the schools that have not confirmed. */
export async function remind(ctx: AppContext, user: CurrentUser, id: number) {
  const r = await managed(ctx, user, id);
  if (r.withdrawn_at) throw conflict('该通报已撤回');
  return ctx.db.tx(async (q) => {
    await repo.lock(q, id);
    const schools = await repo.markReminded(q, id);
    const users = schools.length
      ? await notify(q, await usersAt(q, schools, ['schoolAdmin']), {
          kind: 'general',
          title: `请确认师德通报：${r.title}`,
          body: `${r.publisher_org_name}提醒：贵校尚未确认阅读该通报。`,
          link: `/ethics/notices/${id}`,
        })
      : 0;
    return { schools: schools.length, users };
  });
}
