import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { piiViewOf, viewNationalIdMask } from '../../platform/pii-view.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import * as repo from './projects.repository.js';
import type { ProjectRow } from './projects.repository.js';
import * as erepo from './enrolment.repository.js';
import type { EnrolmentRecord } from './enrolment.repository.js';
import { eligibilityProblem, enrolmentMachine, FROZEN_STATES, loadWarning, median } from './lifecycle.js';
import { assertRunning, managedPath, presentProject, projectOr404 } from './projects.service.js';
import { teachersShortOn } from '../compliance/compliance.service.js';
import { vetoFor, vetoMessage } from '../integrity/veto.service.js';
import { todayInChina } from '../../platform/china-time.js';

import { assertCapacity, facts, notifyTeachers, teacherLabel } from './enrolment.service.js';

/** 选派: quotas down the org tree, candidates, nominations and replacements. */
// ----------------------------------------------------------------- quotas

/** Projects the caller's org holds a quota for (the nomination list of a county or school). */
export async function nominationProjects(ctx: AppContext, user: CurrentUser) {
  requirePermission(user, 'projects.manage');
  const rows = await repo.projectsWithQuota(ctx.db, user.orgId, ['filed', 'planReview', 'open', 'running']);
  const quotas = new Map<number, erepo.QuotaRow | null>();
  for (const p of rows) quotas.set(p.id, (await erepo.listQuotas(ctx.db, p.id)).find((x) => x.org_id === user.orgId) ?? null);
  return {
    items: rows.map((p) => {
      const mine = quotas.get(p.id);
      return { ...presentProject(p), quota: p.quota, used: mine?.used ?? 0, nominated: mine?.nominated ?? 0 };
    }),
  };
}

const presentQuota = (r: erepo.QuotaRow) => ({
  orgId: r.org_id,
  orgName: r.org_name,
  parentOrgId: r.parent_org_id,
  quota: r.quota,
  used: r.used,
  nominated: r.nominated,
});

/** Quotas of a project: all of them for its managers; the caller's own and those it passed on, for a quota holder. */
export async function getQuotas(ctx: AppContext, user: CurrentUser, projectId: number) {
  requirePermission(user, 'projects.manage');
  const managed = await repo.findProject(ctx.db, user.orgPath, projectId);
  const holder = managed ? null : await repo.findProjectForQuotaHolder(ctx.db, user.orgId, projectId);
  const p = managed ?? holder;
  if (!p) throw notFound('培训项目');
  const all = await erepo.listQuotas(ctx.db, projectId);
  const mine = all.find((r) => r.org_id === user.orgId) ?? null;
  const visible = managed ? all : all.filter((r) => r.org_id === user.orgId || r.parent_org_id === user.orgId);
  return {
    project: presentProject(p),
    canAllocate: !!managed,
    allocated: all.filter((r) => r.parent_org_id === null).reduce((n, r) => n + r.quota, 0),
    mine: mine ? presentQuota(mine) : null,
    items: visible.map(presentQuota),
  };
}

interface QuotaItem {
  orgId: number;
  quota: number;
}

function assertDistinct(items: QuotaItem[]): void {
  const seen = new Set<number>();
  items.forEach((it, i) => {
    if (seen.has(it.orgId)) throw badRequest('同一单位不能重复分配', [{ field: `items.${i}.orgId`, message: '单位重复' }]);
    seen.add(it.orgId);
  });
}

/** Checks shared by both allocators: orgs exist where they may, no org above another, nobody below what it used. */
async function checkAllocation(q: Queryable, projectId: number, under: string, parentOrgId: number | null, items: QuotaItem[]) {
  assertDistinct(items);
  const orgs = await erepo.orgsUnder(
    q,
    under,
    items.map((i) => i.orgId),
    true,
  );
  items.forEach((it, i) => {
    if (!orgs.has(it.orgId)) throw badRequest('只能向本项目面向地区内的下级单位分配名额', [{ field: `items.${i}.orgId`, message: '单位不存在或不在范围内' }]);
  });
  const list = [...orgs.values()];
  for (const a of list)
    for (const b of list)
      if (a.id !== b.id && b.path.startsWith(a.path))
        throw badRequest(`「${b.name}」是「${a.name}」的下级，请由「${a.name}」再分配`, [{ field: 'items', message: '上下级单位不能同时直接分配' }]);
  const current = await erepo.listQuotas(q, projectId);
  const byOrg = new Map(current.map((r) => [r.org_id, r]));
  for (const it of items) {
    const r = byOrg.get(it.orgId);
    if (r && r.parent_org_id !== parentOrgId) throw conflict(`「${r.org_name}」的名额已由其上级单位分配`);
    if (r && it.quota < r.used) throw conflict(`「${r.org_name}」已使用 ${r.used} 个名额，配额不能少于 ${r.used}`);
  }
  for (const r of current)
    if (r.parent_org_id === parentOrgId && !items.some((i) => i.orgId === r.org_id) && r.used > 0)
      throw conflict(`「${r.org_name}」已使用 ${r.used} 个名额，不能取消其配额`);
}

/** The organiser allocates quotas to orgs of the project's region (counties, schools): replaces its allocations. */
export async function setQuotas(ctx: AppContext, user: CurrentUser, projectId: number, items: QuotaItem[]) {
  await ctx.db.tx(async (q) => {
    const lock = await repo.lockProject(q, managedPath(user), projectId, 'update');
    if (!lock) throw notFound('培训项目');
    const p = await projectOr404(q, user, projectId);
    if (FROZEN_STATES.includes(p.status)) throw conflict(`当前状态「${presentProject(p).statusLabel}」不能分配名额`);
    await checkAllocation(q, projectId, p.region_path, null, items);
    const total = items.reduce((n, i) => n + i.quota, 0);
    const direct = await erepo.countUnquotaSeats(q, projectId);
    if (p.capacity && total + direct > p.capacity)
      throw conflict(`名额合计 ${total} 人${direct ? `（另有直接报名 ${direct} 人）` : ''}，超过项目容量 ${p.capacity} 人`);
    await erepo.replaceQuotas(q, projectId, null, items, user.id);
    await audit(q, user, 'project.quotas', 'project', projectId, { items });
    const holders = await usersAt(
      q,
      items.filter((i) => i.quota > 0).map((i) => i.orgId),
      ['bureauAdmin', 'schoolAdmin'],
    );
    await notify(q, holders, {
      kind: 'enrolment',
      title: `「${p.name}」已分配选派名额`,
      body: '请在“学员选派”中选派学员',
      link: '/nominations',
      dedupeKey: `quota:${projectId}:${p.status}`,
    });
  });
  return getQuotas(ctx, user, projectId);
}

/** A quota holder (a county) splits its own quota among orgs below it (its schools). */
export async function splitQuota(ctx: AppContext, user: CurrentUser, projectId: number, items: QuotaItem[]) {
  requirePermission(user, 'projects.manage');
  await ctx.db.tx(async (q) => {
    const p = await repo.findProjectForQuotaHolder(q, user.orgId, projectId);
    if (!p) throw notFound('培训项目');
    await repo.lockProject(q, '/', projectId, 'noKeyUpdate');
    if (FROZEN_STATES.includes(p.status)) throw conflict(`当前状态「${presentProject(p).statusLabel}」不能分配名额`);
    const mine = await erepo.lockQuota(q, projectId, user.orgId);
    if (!mine) throw notFound('本单位名额');
    await checkAllocation(q, projectId, user.orgPath, user.orgId, items);
    const total = items.reduce((n, i) => n + i.quota, 0);
    if (total + mine.nominated > mine.quota)
      throw conflict(`分配合计 ${total} 人${mine.nominated ? `，本单位已直接选派 ${mine.nominated} 人` : ''}，超过本单位名额 ${mine.quota} 人`);
    await erepo.replaceQuotas(q, projectId, user.orgId, items, user.id);
    const holders = await usersAt(
      q,
      items.filter((i) => i.quota > 0).map((i) => i.orgId),
      ['bureauAdmin', 'schoolAdmin'],
    );
    await notify(q, holders, {
      kind: 'enrolment',
      title: `「${p.name}」已分配选派名额`,
      body: `${user.orgName}分配`,
      link: '/nominations',
      dedupeKey: `quota:${projectId}:${user.orgId}`,
    });
  });
  return getQuotas(ctx, user, projectId);
}

// ----------------------------------------------------------------- nomination

/**
 * Candidates for nomination: the caller's active teachers, each with eligibility, current enrolment status
 * and training load this year (projects and days), flagged when sent again and again while the school's
 * median colleague got nothing.
 */
export async function nominationCandidates(
  ctx: AppContext,
  user: CurrentUser,
  projectId: number,
  f: { year?: number; q?: string; orgId?: number; stage?: string; subject?: string; needsTraining?: boolean },
) {
  requirePermission(user, 'projects.manage');
  const p = await repo.findProjectForQuotaHolder(ctx.db, user.orgId, projectId);
  if (!p) throw notFound('培训项目');
  const year = f.year ?? Number(todayInChina().slice(0, 4));
  const filtered = !!(f.q || f.orgId || f.stage || f.subject);
  let rows = await erepo.candidates(ctx.db, user.scopePath, projectId, year, f.q, { orgId: f.orgId, stage: f.stage, subject: f.subject });
  // 仍需此类培训: short on an hours rule this project's categories count towards (the compliance engine decides).
  const short = f.needsTraining ? await teachersShortOn(ctx, user, user.orgId, p.categories) : null;
  if (short) rows = rows.filter((r) => short.has(r.id));
  // Medians over every active teacher of each school (the filters narrow the list, not the baseline).
  const all = filtered || short ? await erepo.candidates(ctx.db, user.scopePath, projectId, year, undefined) : rows;
  const bySchool = new Map<number, number[]>();
  for (const r of all) bySchool.set(r.org_id, [...(bySchool.get(r.org_id) ?? []), r.projects]);
  const medians = new Map([...bySchool].map(([k, v]) => [k, median(v)]));
  const quota = (await erepo.listQuotas(ctx.db, projectId)).find((x) => x.org_id === user.orgId);
  const view = piiViewOf(user);
  // 一票否决 (issue 12): only teachers with a sanction on record are asked (one query for the list).
  const today = todayInChina();
  const vetoed = new Map<number, string>();
  const sanctioned = await ctx.db.query<{ id: number }>(
    'SELECT DISTINCT teacher_id AS id FROM ethics_sanctions WHERE teacher_id = ANY($1::int[]) AND superseded_at IS NULL',
    [rows.map((r) => r.id)],
  );
  for (const { id } of sanctioned.rows) {
    const v = await vetoFor(ctx.db, id, 'projectNominationKey', today);
    if (v.vetoed) vetoed.set(id, vetoMessage(v, 'projectNominationKey'));
  }
  return {
    project: presentProject(p),
    year,
    quota: quota ? presentQuota(quota) : null,
    items: rows.map((r) => ({
      teacherId: r.id,
      name: r.name,
      orgName: r.org_name,
      nationalIdMasked: viewNationalIdMask(r.national_id_mask, view),
      stage: r.stage,
      subjects: r.subjects,
      title: r.title,
      roles: r.roles,
      enrolmentStatus: r.enrolment_status,
      enrolmentStatusLabel: r.enrolment_status ? enrolmentMachine.stateLabel(r.enrolment_status) : null,
      eligibility: eligibilityProblem(p.audience, facts(r)),
      /** Why the teacher cannot be nominated (shown disabled with it), or null. */
      unavailable: unavailableReason(r, p) ?? vetoed.get(r.id) ?? null,
      load: { projects: r.projects, days: r.days, schoolMedian: medians.get(r.org_id) ?? 0 },
      warning: loadWarning(r.projects, medians.get(r.org_id) ?? 0),
    })),
  };
}

/** How a message names a teacher: 张三（某某小学）, never an id. */

function unavailableReason(r: erepo.CandidateRow, p: ProjectRow): string | null {
  if (r.enrolment_status === 'approved') return '已报名';
  if (r.enrolment_status === 'pending') return '已自主报名，待审核';
  return eligibilityProblem(p.audience, facts(r));
}

/**
 * 学员选派: a quota holder nominates its teachers. All or nothing: any teacher not found, ineligible or
 * already enrolled, or more teachers than the quota has left, and nothing is saved (409 naming why).
 */
export async function nominate(ctx: AppContext, user: CurrentUser, projectId: number, teacherIds: number[]) {
  requirePermission(user, 'projects.manage');
  const ids = [...new Set(teacherIds)];
  return ctx.db.tx(async (q) => {
    const found = await repo.findProjectForQuotaHolder(q, user.orgId, projectId);
    if (!found) throw notFound('培训项目');
    const lock = await repo.lockProject(q, '/', projectId, 'noKeyUpdate');
    if (!lock) throw notFound('培训项目');
    assertRunning(lock.status);
    const p = (await repo.findProjectForQuotaHolder(q, user.orgId, projectId)) ?? found;
    const quota = await erepo.lockQuota(q, projectId, user.orgId);
    if (!quota) throw notFound('本单位名额');
    const teachers = await erepo.teacherFacts(q, user.scopePath, ids);
    const existing = await erepo.lockEnrolments(q, projectId, ids);
    const problems: { field: string; message: string }[] = [];
    const today = todayInChina();
    for (const [i, id] of ids.entries()) {
      const t = teachers.get(id);
      const e = existing.get(id);
      const say = (m: string) => problems.push({ field: `teacherIds.${i}`, message: m });
      if (!t) {
        say('所选教师不存在或不在本单位范围内');
        continue;
      }
      if (e?.status === 'approved') say(`${teacherLabel(t)}已报名该项目`);
      else if (e?.status === 'pending') say(`${teacherLabel(t)}已自主报名，请在报名审核中处理`);
      else {
        const problem = eligibilityProblem(p.audience, facts(t));
        if (problem) say(`${teacherLabel(t)}${problem}`);
        // 一票否决 (issue 12): nominations carry no 骨干/expert role, so every nomination is checked as projectNominationKey.
        const veto = await vetoFor(q, id, 'projectNominationKey', today);
        if (veto.vetoed) say(`${teacherLabel(t)}${vetoMessage(veto, 'projectNominationKey')}`);
      }
    }
    if (problems.length) throw new AppError('CONFLICT', problems.map((x) => x.message).join('；'), problems);
    if (quota.used + ids.length > quota.quota)
      throw conflict(`超出本单位名额：「${quota.org_name}」名额 ${quota.quota} 人，已用 ${quota.used} 人，本次选派 ${ids.length} 人`);
    await assertCapacity(q, p, ids.length);
    for (const id of ids) {
      const e = existing.get(id);
      if (e) enrolmentMachine.assertTransition(e.status, 'renominate');
      await erepo.upsertEnrolment(q, { projectId, teacherId: id, status: 'approved', source: 'nomination', quotaOrgId: user.orgId, userId: user.id });
    }
    await erepo.insertEnrolmentHistory(
      q,
      ids.map((id) => ({ projectId, teacherId: id, userId: user.id, action: 'nominate', from: existing.get(id)?.status ?? null, to: 'approved' })),
    );
    await notifyTeachers(q, ids, `您已被选派参加「${p.name}」`, `${user.orgName}选派`);
    return { nominated: ids.length, quota: quota.quota, used: quota.used + ids.length };
  });
}

/**
 * Replace an enrolled teacher by another (e.g. illness), with a reason; both are logged. Done by the
 * project's managers or by the quota holder the enrolment was charged to. The seat passes on: capacity
 * and quota are unchanged.
 */
export async function replace(ctx: AppContext, user: CurrentUser, projectId: number, teacherId: number, newTeacherId: number, reason: string) {
  requirePermission(user, 'projects.manage');
  if (teacherId === newTeacherId) throw badRequest('替换人不能是原学员本人', [{ field: 'newTeacherId', message: '替换人与原学员相同' }]);
  return ctx.db.tx(async (q) => {
    const managed = await repo.findProject(q, user.orgPath, projectId);
    const p = managed ?? (await repo.findProjectForQuotaHolder(q, user.orgId, projectId));
    if (!p) throw notFound('培训项目');
    const lock = await repo.lockProject(q, '/', projectId, 'noKeyUpdate');
    if (!lock) throw notFound('培训项目');
    assertRunning(lock.status);
    const old = await erepo.lockEnrolment(q, projectId, teacherId);
    const oldTeacher = (await erepo.teacherFacts(q, managed ? '/' : user.scopePath, [teacherId])).get(teacherId);
    if (!old || !oldTeacher) throw notFound('报名记录');
    if (!managed && old.quota_org_id !== user.orgId) throw forbidden('只能替换本单位选派的学员');
    enrolmentMachine.assertTransition(old.status, 'replace');
    const t = (await erepo.teacherFacts(q, user.scopePath, [newTeacherId])).get(newTeacherId);
    if (!t) throw badRequest('替换人不存在或不在本单位范围内', [{ field: 'newTeacherId', message: '教师不存在或无权访问' }]);
    // The seat belongs to the quota holder: the replacement comes from its subtree.
    if (old.quota_org_id) {
      const qo = (await erepo.orgsUnder(q, '/', [old.quota_org_id], false)).get(old.quota_org_id);
      if (qo && !t.org_path.startsWith(qo.path)) throw badRequest(`替换人应为「${qo.name}」的教师`, [{ field: 'newTeacherId', message: '不在名额所属单位' }]);
    }
    const problem = eligibilityProblem(p.audience, facts(t));
    if (problem) throw conflict(`${teacherLabel(t)}${problem}`);
    const veto = await vetoFor(q, newTeacherId, 'projectNominationKey', todayInChina());
    if (veto.vetoed) throw conflict(`${teacherLabel(t)}${vetoMessage(veto, 'projectNominationKey')}`);
    const existing: EnrolmentRecord | null = await erepo.lockEnrolment(q, projectId, newTeacherId);
    if (existing?.status === 'approved' || existing?.status === 'pending') throw conflict(`${teacherLabel(t)}已报名该项目`);
    if (existing) enrolmentMachine.assertTransition(existing.status, 'renominate');
    await erepo.setEnrolmentStatus(q, projectId, teacherId, 'replaced', user.id, reason);
    await erepo.upsertEnrolment(q, {
      projectId,
      teacherId: newTeacherId,
      status: 'approved',
      source: old.source === 'self' ? 'nomination' : old.source,
      quotaOrgId: old.quota_org_id,
      userId: user.id,
      replacesTeacherId: teacherId,
    });
    await erepo.insertEnrolmentHistory(q, [
      { projectId, teacherId, userId: user.id, action: 'replace', from: old.status, to: 'replaced', reason, otherTeacherId: newTeacherId },
      {
        projectId,
        teacherId: newTeacherId,
        userId: user.id,
        action: 'replacement',
        from: existing?.status ?? null,
        to: 'approved',
        reason,
        otherTeacherId: teacherId,
      },
    ]);
    await audit(q, user, 'enrolment.replace', 'project', projectId, { teacherId, newTeacherId, reason });
    await notifyTeachers(q, [teacherId], `您在「${p.name}」的报名已由他人替换`, `原因：${reason}`);
    await notifyTeachers(q, [newTeacherId], `您已被选派参加「${p.name}」（替换${oldTeacher.name}）`);
    return { replaced: teacherId, by: newTeacherId };
  });
}
