import type { Queryable } from '../../db/db.js';
import { todayInChina } from '../../platform/china-time.js';
import type { AppContext } from '../../platform/context.js';
import { can, type CurrentUser, requirePermission } from '../../platform/access.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { assertNotVetoed } from '../integrity/veto.service.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import { citeLabel } from '../policies/policy.cite.js';
import { DEFAULT_STUDIOS, STUDIO_KINDS, STUDIO_LEVELS, type StudiosPolicy } from '../policies/policy.studios.js';
import * as repo from './studios.repository.js';
import type { ApplyInput, LeaveInput, MemberInput, TransitionInput } from './studios.schema.js';
import { ACTIVE_STATES, CAP_STATES, MEMBER_ROLES, studioMachine, type StudioAction } from './studios.machine.js';

/**
 * Studios (工作室, issue 13 item 1): founding (申报 → 评审 → 命名/未通过), members over time, and the reading side.
 * The annual work (plan, activities, outputs, assessment) is in work.service.ts.
 *
 * Who does what: a school or bureau with studios.manage files an application for a host teacher of its subtree; the
 * naming org (a school for 校级, else the bureau of that level above the host's school) reviews and names it, ends it
 * and assesses it; the studio is run (members, plan, activities, outputs) by its host or by a manager above the
 * naming org; members read their studio's page.
 */

export interface StudiosRules {
  studios: StudiosPolicy;
  source: { policyKey: string; title: string; cite: string | null } | null;
}

/** The `studios` rules in force on `day` for an org: the nearest attached policy with the key, else the defaults. */
export async function studiosRulesFor(q: Queryable, orgPath: string, day: string): Promise<StudiosRules> {
  const loaded = await policiesInForceAt(q, orgPath);
  let best: { depth: number; rules: StudiosRules } | null = null;
  for (const p of loaded) {
    const s = p.policy.studios;
    if (!s || p.policy.period.from > day || p.policy.period.to < day) continue;
    const depth = Math.max(...p.attachments.map((a) => a.org_path.length));
    if (!best || depth > best.depth) {
      const cite = s.cite ? citeLabel({ title: s.cite.title ?? p.policy.source.title ?? p.policy.title, file: s.cite.file, section: s.cite.section }) : null;
      best = { depth, rules: { studios: s, source: { policyKey: p.key, title: p.policy.title, cite } } };
    }
  }
  return best?.rules ?? { studios: DEFAULT_STUDIOS, source: null };
}

/** The caller manages the studio's naming org (or an org above it). */
export const managesAbove = (user: CurrentUser, s: repo.StudioRow) => can(user, 'studios.manage') && s.naming_path.startsWith(user.orgPath);
/**
 * The caller decides for the naming org (reviews, names, ends, assesses): the naming org itself, or a bureau above it
 * (supervision: a county may take over a school's 校级 studio).
 */
export const isNamingOrg = managesAbove;
/** The caller runs the studio: its host, or a manager at or above the naming org. */
export const runs = (user: CurrentUser, s: repo.StudioRow) => (user.teacherId !== null && user.teacherId === s.host_teacher_id) || managesAbove(user, s);

/** The studio if the caller may read it (a manager of its naming or base org's subtree, or a member past or present); else 404. */
export async function readable(q: Queryable, user: CurrentUser, id: number, lock = false): Promise<repo.StudioRow> {
  if (!can(user, 'studios.manage') && user.role !== 'teacher') throw forbidden();
  const s = await repo.studio(q, id, lock);
  if (!s) throw notFound('工作室');
  if (runs(user, s)) return s;
  if (can(user, 'studios.manage') && s.base_path.startsWith(user.orgPath)) return s;
  if (user.teacherId && (await repo.members(q, id)).some((m) => m.teacher_id === user.teacherId)) return s;
  throw notFound('工作室');
}

/** The studio if the caller runs it; a reader who does not run it gets 403, anyone else 404. */
export async function running(q: Queryable, user: CurrentUser, id: number): Promise<repo.StudioRow> {
  const s = await readable(q, user, id, true);
  if (!runs(user, s)) throw forbidden('只有工作室主持人或命名单位可以操作');
  return s;
}

export function assertActive(s: repo.StudioRow): void {
  if (!(ACTIVE_STATES as readonly string[]).includes(s.status))
    throw conflict(`工作室当前状态为「${studioMachine.stateLabel(s.status)}」，只有已命名（含警示期）的工作室可以开展此项工作`);
}

export function present(s: repo.StudioRow, user: CurrentUser) {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    kindLabel: STUDIO_KINDS[s.kind as keyof typeof STUDIO_KINDS] ?? s.kind,
    level: s.level,
    levelLabel: STUDIO_LEVELS[s.level as keyof typeof STUDIO_LEVELS] ?? s.level,
    namingOrgId: s.naming_org_id,
    namingOrgName: s.naming_org_name,
    baseOrgId: s.base_org_id,
    baseOrgName: s.base_org_name,
    hostTeacherId: s.host_teacher_id,
    hostName: s.host_name,
    subject: s.subject,
    status: s.status,
    statusLabel: studioMachine.stateLabel(s.status),
    namedOn: s.named_on,
    termFrom: s.term_from,
    termUntil: s.term_until,
    planText: s.plan_text,
    reviewComment: s.review_comment,
    appliedAt: s.applied_at,
    runs: runs(user, s),
    actions: isNamingOrg(user, s) ? studioMachine.allowedActions(s.status).filter((a) => ['startReview', 'approve', 'reject', 'end'].includes(a.action)) : [],
  };
}

const addYears = (date: string, years: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

/** 申报: a school or bureau files a studio for a host teacher of its subtree. */
export async function apply(ctx: AppContext, user: CurrentUser, input: ApplyInput) {
  requirePermission(user, 'studios.manage');
  return ctx.db.tx(async (q) => {
    const host = await repo.teacher(q, input.hostTeacherId);
    if (!host?.path.startsWith(user.orgPath))
      throw badRequest('主持人不在本单位（本辖区）', [{ field: 'hostTeacherId', message: '请选择本单位（本辖区）的教师' }]);
    const lineage = await repo.lineageOf(q, host.org_id);
    const base = lineage[lineage.length - 1];
    const naming = input.level === 'school' ? (base.kind === 'school' ? base : undefined) : lineage.find((o) => o.kind === 'bureau' && o.level === input.level);
    if (!naming) {
      const message = `主持人所在单位之上没有可命名「${STUDIO_LEVELS[input.level]}」工作室的单位`;
      throw badRequest(message, [{ field: 'level', message }]);
    }
    const id = await repo.insertStudio(q, {
      name: input.name,
      kind: input.kind,
      level: input.level,
      namingOrgId: naming.id,
      baseOrgId: base.id,
      hostTeacherId: host.id,
      subject: input.subject?.trim() || null,
      planText: input.planText,
      userId: user.id,
    });
    await repo.insertHistory(q, {
      studioId: id,
      action: 'apply',
      from: null,
      to: 'applying',
      onDate: todayInChina(),
      comment: null,
      userId: user.id,
      orgId: user.orgId,
    });
    await notify(q, await usersAt(q, [naming.id], ['bureauAdmin', 'schoolAdmin']), {
      kind: 'approval',
      title: `待评审：「${input.name}」工作室申报`,
      body: `${user.orgName}申报，主持人${host.name}`,
      link: `/studios/${id}`,
    });
    return present((await repo.studio(q, id))!, user);
  });
}

/** Refuse (409, Chinese) when adding the teacher on `date` would put them in more studios than the policy allows. */
async function assertUnderCap(q: Queryable, s: repo.StudioRow, teacherId: number, teacherName: string, date: string, field: string): Promise<void> {
  const rules = (await studiosRulesFor(q, s.naming_path, date)).studios;
  const others = await repo.otherCurrentStudios(q, teacherId, s.id, date, CAP_STATES);
  if (others.length >= rules.maxStudiosPerTeacher) {
    const message = `${teacherName}已参加 ${others.length} 个工作室（${others.map((o) => `「${o.name}」`).join('、')}），每位教师最多同时参加 ${rules.maxStudiosPerTeacher} 个`;
    throw new AppError('CONFLICT', message, [{ field, message }]);
  }
}

/** 受理评审, 评审通过并命名, 评审未通过, 期满结束 — the naming org's steps. */
export async function transition(ctx: AppContext, user: CurrentUser, id: number, input: TransitionInput) {
  requirePermission(user, 'studios.manage');
  return ctx.db.tx(async (q) => {
    const s = await readable(q, user, id, true);
    const action = input.action as StudioAction;
    const to = studioMachine.assertTransition(s.status, action);
    if (!isNamingOrg(user, s)) throw forbidden(`只有命名单位「${s.naming_org_name}」或其上级可以执行此操作`);
    const today = todayInChina();
    const comment = input.comment?.trim() || null;
    const detail: Record<string, unknown> = {};
    let onDate = today;
    switch (action) {
      case 'startReview':
        await repo.setStatus(q, id, to);
        break;
      case 'approve': {
        const namedOn = input.namedOn ?? today;
        if (namedOn > today) throw badRequest('命名日期不能晚于今天', [{ field: 'namedOn', message: '命名日期不能晚于今天' }]);
        const rules = await studiosRulesFor(q, s.naming_path, namedOn);
        const termUntil = input.termUntil ?? addYears(namedOn, rules.studios.termYears);
        if (termUntil < namedOn) throw badRequest('命名期限的结束日期不能早于命名日期', [{ field: 'termUntil', message: '结束日期不能早于命名日期' }]);
        // 一票否决: a host under a sanction that vetoes 工作室主持人 on the naming date cannot be named.
        await assertNotVetoed(q, s.host_teacher_id, 'studioHost', namedOn, 'hostTeacherId');
        await assertUnderCap(q, s, s.host_teacher_id, s.host_name, namedOn, 'hostTeacherId');
        await repo.setStatus(q, id, to, { namedOn, termFrom: namedOn, termUntil, reviewComment: comment });
        await repo.insertMember(q, { studioId: id, teacherId: s.host_teacher_id, role: 'host', joinedOn: namedOn, userId: user.id });
        Object.assign(detail, { termFrom: namedOn, termUntil, rules: rules.source?.title ?? '平台默认' });
        onDate = namedOn;
        break;
      }
      case 'reject':
        await repo.setStatus(q, id, to, { reviewComment: comment });
        break;
      case 'end':
        await repo.setStatus(q, id, to);
        await repo.endAllMemberships(q, id, today);
        break;
      default:
        throw conflict('该操作由年度考核产生，不能直接执行');
    }
    await repo.insertHistory(q, { studioId: id, action, from: s.status, to, onDate, comment, detail, userId: user.id, orgId: user.orgId });
    if (action === 'approve' || action === 'reject') {
      // The applicant and the host learn the result.
      const applicant = (await q.query<{ applied_by: number | null }>('SELECT applied_by FROM studios WHERE id = $1', [id])).rows[0]?.applied_by;
      const hostUsers = (await q.query<{ id: number }>('SELECT id FROM users WHERE teacher_id = $1', [s.host_teacher_id])).rows.map((r) => r.id);
      await notify(q, [...(applicant ? [applicant] : []), ...hostUsers], {
        kind: 'result',
        title: action === 'approve' ? `「${s.name}」已命名` : `「${s.name}」评审未通过`,
        body: action === 'approve' ? `${s.naming_org_name}命名，期限 ${detail.termFrom} 至 ${detail.termUntil}` : `${s.naming_org_name}：${comment}`,
        link: `/studios/${id}`,
      });
    }
    return present((await repo.studio(q, id))!, user);
  });
}

/** 加入: a teacher of the naming org's region joins on a date (not before the naming); capped by the policy. */
export async function addMember(ctx: AppContext, user: CurrentUser, id: number, input: MemberInput) {
  return ctx.db.tx(async (q) => {
    const s = await running(q, user, id);
    assertActive(s);
    const t = await repo.teacher(q, input.teacherId);
    if (!t?.path.startsWith(s.naming_path))
      throw badRequest('该教师不在命名单位辖区内', [{ field: 'teacherId', message: `请选择「${s.naming_org_name}」辖区内的教师` }]);
    if (s.named_on && input.joinedOn < s.named_on)
      throw badRequest('加入日期不能早于工作室命名日期', [{ field: 'joinedOn', message: `不能早于命名日期 ${s.named_on}` }]);
    if (await repo.currentMembership(q, id, t.id))
      throw new AppError('CONFLICT', `${t.name}已是本工作室成员`, [{ field: 'teacherId', message: '已是本工作室成员' }]);
    await assertUnderCap(q, s, t.id, t.name, input.joinedOn, 'teacherId');
    const memberId = await repo.insertMember(q, { studioId: id, teacherId: t.id, role: input.role, joinedOn: input.joinedOn, userId: user.id });
    // Enrolled in the yearly project of the join year, if it exists already (so they can check in).
    const projectId = await repo.yearProject(q, id, Number(input.joinedOn.slice(0, 4)));
    if (projectId) await repo.enrol(q, projectId, [t.id], user.id);
    return { id: memberId };
  });
}

/** 退出: the membership ends on a date (kept as history). The host leaves only when the studio ends. */
export async function leave(ctx: AppContext, user: CurrentUser, id: number, teacherId: number, input: LeaveInput) {
  return ctx.db.tx(async (q) => {
    const s = await running(q, user, id);
    const m = await repo.currentMembership(q, id, teacherId);
    if (!m) throw notFound('成员');
    if (m.role === 'host') throw conflict('主持人不能退出工作室（工作室期满或撤销时结束）');
    if (input.leftOn < m.joined_on) throw badRequest('退出日期不能早于加入日期', [{ field: 'leftOn', message: `不能早于加入日期 ${m.joined_on}` }]);
    await repo.endMembership(q, m.id, input.leftOn);
    return { ok: true as const, studioId: s.id };
  });
}

export async function list(ctx: AppContext, user: CurrentUser) {
  const rows = can(user, 'studios.manage')
    ? await repo.studiosUnder(ctx.db, user.orgPath)
    : user.teacherId
      ? await repo.studiosOfTeacher(ctx.db, user.teacherId)
      : [];
  return rows.map((s) => present(s, user));
}

export async function open(ctx: AppContext, user: CurrentUser, id: number) {
  const s = await readable(ctx.db, user, id);
  return {
    ...present(s, user),
    members: (await repo.members(ctx.db, id)).map((m) => ({
      id: m.id,
      teacherId: m.teacher_id,
      name: m.name,
      orgName: m.org_name,
      role: m.role,
      roleLabel: MEMBER_ROLES[m.role as keyof typeof MEMBER_ROLES] ?? m.role,
      joinedOn: m.joined_on,
      leftOn: m.left_on,
    })),
    history: (await repo.history(ctx.db, id)).map((h) => ({
      action: h.action,
      label: studioMachine.transitions[h.action as StudioAction]?.label ?? (h.action === 'apply' ? '申报' : h.action),
      fromStatus: h.from_status,
      toStatus: h.to_status,
      toLabel: studioMachine.stateLabel(h.to_status),
      onDate: h.on_date,
      comment: h.comment,
      detail: h.detail,
      at: h.at,
      userName: h.user_name,
    })),
  };
}

/** Teachers the studio's runner may add (the naming org's subtree), found by name: name and school only. */
export async function candidates(ctx: AppContext, user: CurrentUser, id: number, text: string) {
  const s = await readable(ctx.db, user, id);
  if (!runs(user, s)) throw forbidden('只有工作室主持人或命名单位可以添加成员');
  return (await repo.candidates(ctx.db, s.naming_path, text.trim())).map((t) => ({ teacherId: t.id, name: t.name, orgName: t.org_name }));
}
