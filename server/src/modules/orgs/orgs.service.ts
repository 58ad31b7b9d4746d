import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { forbidden, notFound, badRequest, conflict } from '../../platform/errors.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { transferOrgTeachers } from '../teachers/teachers.service.js';
import * as repo from './orgs.repository.js';
import type { OrgCreate, OrgUpdate } from './orgs.schema.js';
import { todayInChina } from '../../platform/china-time.js';

/**
 * 组织机构管理: create, edit, move, merge and close orgs strictly below the manager's own org (its own org is
 * managed from above: 403; outside its subtree: 404). Every change is one transaction, audited; the history of
 * names, codes and parents is written by the org_history trigger with the actor and reason set here.
 */

const LEVEL_BELOW: Record<string, string | undefined> = { national: 'province', province: 'city', city: 'county' };

/** The subtree a caller reads: a teacher its own school, everyone else its scope. */
export const readScope = (u: CurrentUser) => (u.role === 'teacher' ? u.orgPath : u.scopePath);

export interface OrgDetail {
  id: number;
  code: string;
  name: string;
  level: string;
  kind: string;
  schoolType: string | null;
  ownership: string | null;
  locale: string | null;
  schoolIdCode: string | null;
  parentId: number | null;
  parentName: string | null;
  closedAt: string | null;
  closedReason: string | null;
  mergedInto: { id: number; name: string } | null;
  version: number;
  createdAt: string;
  activeTeachers: number;
  openChildren: number;
  /** Whether the caller may change this org (it is strictly below the caller's org and the caller manages orgs). */
  manageable: boolean;
  history: { id: number; field: string; from: string | null; to: string | null; validFrom: string; by: string | null; reason: string | null }[];
  memberships: { id: number; groupId: number; groupName: string; orgId: number; orgName: string; validFrom: string; validTo: string | null }[];
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

function present(o: repo.OrgFull, manageable: boolean, history: repo.OrgHistoryRow[], members: repo.MemberRow[]): OrgDetail {
  return {
    id: o.id,
    code: o.code,
    name: o.name,
    level: o.level,
    kind: o.kind,
    schoolType: o.stage,
    ownership: o.ownership,
    locale: o.locale,
    schoolIdCode: o.school_id_code,
    parentId: o.parent_id,
    parentName: o.parent_name,
    closedAt: iso(o.closed_at),
    closedReason: o.closed_reason,
    mergedInto: o.merged_into ? { id: o.merged_into, name: o.merged_into_name ?? '' } : null,
    version: o.version,
    createdAt: iso(o.created_at) as string,
    activeTeachers: o.active_teachers,
    openChildren: o.open_children,
    manageable,
    history: history.map((h) => ({
      id: h.id,
      field: h.field,
      from: h.old_value,
      to: h.new_value,
      validFrom: iso(h.valid_from) as string,
      by: h.changed_by_name,
      reason: h.reason,
    })),
    memberships: members.map((m) => ({
      id: m.id,
      groupId: m.group_id,
      groupName: m.group_name,
      orgId: m.org_id,
      orgName: m.org_name,
      validFrom: m.valid_from,
      validTo: m.valid_to,
    })),
  };
}

/** Detail of one org in the caller's subtree, with its history and grouping memberships. */
export async function getOrgDetail(ctx: AppContext, user: CurrentUser, id: number): Promise<OrgDetail> {
  const o = await repo.getOrg(ctx.db, readScope(user), id);
  if (!o) throw notFound('单位');
  const manageable = can(user, 'orgs.manage') && o.path !== user.orgPath && o.path.startsWith(user.orgPath);
  return present(o, manageable, await repo.orgHistory(ctx.db, id), await repo.memberships(ctx.db, id));
}

/** An org the caller may change, locked: strictly below its own org. Own org → 403, elsewhere → 404. */
async function managed(q: Queryable, user: CurrentUser, id: number): Promise<repo.OrgFull> {
  requirePermission(user, 'orgs.manage');
  const o = await repo.getOrg(q, user.orgPath, id, true);
  if (!o) throw notFound('单位');
  if (o.path === user.orgPath) throw forbidden('本单位的信息由上级单位维护');
  return o;
}

/** A parent the caller may place orgs under: its own org or a bureau below it, open. */
async function parentFor(q: Queryable, user: CurrentUser, parentId: number, field = 'parentId'): Promise<repo.OrgFull> {
  const p = await repo.getOrg(q, user.orgPath, parentId);
  if (!p) throw badRequest('上级单位不存在或不在您的管辖范围内', [{ field, message: '上级单位不在管辖范围内' }]);
  if (p.closed_at) throw badRequest('上级单位已撤销', [{ field, message: '上级单位已撤销' }]);
  if (p.kind !== 'bureau') throw badRequest('下级单位只能设在教育局之下', [{ field, message: '请选择教育局作为上级单位' }]);
  return p;
}

/** The level an org of this kind has under this parent (a bureau one level down, a school 'school', others the parent's). */
function levelUnder(parent: { level: string }, kind: string, field = 'parentId'): string {
  if (kind === 'school') return 'school';
  if (kind !== 'bureau') return parent.level;
  const next = LEVEL_BELOW[parent.level];
  if (!next) throw badRequest('区县教育局之下不能再设教育局', [{ field, message: '请选择更上一级的教育局' }]);
  return next;
}

export interface Attributes {
  code: string;
  name: string;
  kind: string;
  schoolType?: string | null;
  ownership?: string | null;
  locale?: string | null;
  schoolIdCode?: string | null;
}

/** School attributes only for schools; 学校类型 required for a school; 标识码 and code unique. */
async function checkAttributes(q: Queryable, a: Attributes, exceptId: number | null) {
  const school = a.kind === 'school';
  if (school && !a.schoolType) throw badRequest('请选择学校类型', [{ field: 'schoolType', message: '请选择学校类型' }]);
  if (await repo.codeTaken(q, a.code, exceptId)) throw badRequest('单位代码已被使用', [{ field: 'code', message: '单位代码已被其他单位使用' }]);
  const idCode = a.schoolIdCode || null;
  if (idCode && !school) throw badRequest('只有学校有学校标识码', [{ field: 'schoolIdCode', message: '只有学校有学校标识码' }]);
  if (idCode) {
    const holder = await repo.schoolIdCodeHolder(q, idCode, exceptId);
    if (holder) throw badRequest(`学校标识码 ${idCode} 已属于${holder}`, [{ field: 'schoolIdCode', message: '学校标识码已被其他学校使用' }]);
  }
  return {
    code: a.code,
    name: a.name,
    stage: school ? (a.schoolType ?? null) : null,
    ownership: school ? (a.ownership ?? null) : null,
    locale: school ? (a.locale ?? null) : null,
    schoolIdCode: idCode,
  };
}

/** 新建单位 under the caller's org or a bureau below it. */
export async function createOrg(ctx: AppContext, user: CurrentUser, input: OrgCreate, ip?: string): Promise<{ id: number }> {
  requirePermission(user, 'orgs.manage');
  return ctx.db.tx(async (q) => {
    const { id } = await createInTx(q, user, input);
    await audit(q, user, 'org.create', 'org', id, { name: input.name, code: input.code, kind: input.kind, parentId: input.parentId }, ip);
    return { id };
  });
}

/** Create one org inside the caller's transaction (the form, and each new row of an import). */
export async function createInTx(q: Queryable, user: CurrentUser, input: Attributes & { parentId: number; reason?: string | null }): Promise<{ id: number }> {
  const parent = await parentFor(q, user, input.parentId);
  const level = levelUnder(parent, input.kind);
  const a = await checkAttributes(q, input, null);
  await repo.setActor(q, user.id, input.reason);
  return repo.insertOrg(q, { ...a, kind: input.kind, level, parentId: parent.id });
}

/** Change one org's attributes inside the caller's transaction (an import row); checks as the form does. */
export async function updateInTx(q: Queryable, user: CurrentUser, id: number, input: Omit<Attributes, 'kind'> & { reason?: string | null }): Promise<void> {
  const o = await managed(q, user, id);
  if (o.closed_at) throw conflict('该单位已撤销，不能修改');
  const a = await checkAttributes(q, { ...input, kind: o.kind }, id);
  await repo.setActor(q, user.id, input.reason);
  if (!(await repo.updateOrg(q, id, o.version, a))) throw conflict('该单位信息已被他人修改，请重新上传预览');
}

/** 编辑: name, code and attributes (kind and parent change by 移动/合并); a stale version is 409. */
export async function updateOrg(ctx: AppContext, user: CurrentUser, id: number, input: OrgUpdate, ip?: string): Promise<void> {
  await ctx.db.tx(async (q) => {
    const o = await managed(q, user, id);
    if (o.closed_at) throw conflict('该单位已撤销，不能修改');
    const a = await checkAttributes(q, { ...input, kind: o.kind }, id);
    await repo.setActor(q, user.id, input.reason);
    if (!(await repo.updateOrg(q, id, input.version, a))) throw conflict('该单位信息已被他人修改，请刷新后再保存');
    const changed = (Object.keys(a) as (keyof typeof a)[]).filter((k) => {
      const before = { code: o.code, name: o.name, stage: o.stage, ownership: o.ownership, locale: o.locale, schoolIdCode: o.school_id_code }[k];
      return (before ?? null) !== (a[k] ?? null);
    });
    await audit(q, user, 'org.update', 'org', id, { changed, reason: input.reason ?? null }, ip);
  });
}

/** 移动: put the org (and its whole subtree) under another bureau in the caller's subtree. */
export async function moveOrg(ctx: AppContext, user: CurrentUser, id: number, parentId: number, reason: string, ip?: string): Promise<{ moved: number }> {
  return ctx.db.tx(async (q) => {
    const o = await managed(q, user, id);
    if (o.closed_at) throw conflict('该单位已撤销，不能移动');
    const parent = await parentFor(q, user, parentId);
    if (parent.path.startsWith(o.path)) throw badRequest('不能移动到本单位或其下级单位之下', [{ field: 'parentId', message: '不能选择本单位或其下级单位' }]);
    if (parent.id === o.parent_id) throw badRequest('该单位已在所选上级单位之下', [{ field: 'parentId', message: '请选择新的上级单位' }]);
    const level = levelUnder(parent, o.kind);
    if (o.kind === 'bureau' && level !== o.level) throw badRequest('教育局只能移动到同一层级的上级教育局之下', [{ field: 'parentId', message: '层级不符' }]);
    await repo.setActor(q, user.id, reason);
    const moved = await repo.moveSubtree(q, id, o.path, parent.id, parent.path, level);
    await audit(q, user, 'org.move', 'org', id, { from: o.parent_id, to: parent.id, subtree: moved, reason }, ip);
    return { moved };
  });
}

/**
 * 合并: the org's teachers, child orgs and projects go to the target (an open org of the same kind in the
 * caller's subtree, not below the merged one); roles held at the merged org end; it closes with merged_into.
 */
export async function mergeOrg(
  ctx: AppContext,
  user: CurrentUser,
  id: number,
  targetId: number,
  reason: string,
  ip?: string,
): Promise<{ teachers: number; children: number; projects: number; rolesEnded: number }> {
  return ctx.db.tx(async (q) => {
    const o = await managed(q, user, id);
    if (o.closed_at) throw conflict('该单位已撤销');
    if (targetId === id) throw badRequest('不能合并到本单位', [{ field: 'targetId', message: '请选择另一个单位' }]);
    const target = await repo.getOrg(q, user.orgPath, targetId, true);
    if (!target) throw badRequest('目标单位不存在或不在您的管辖范围内', [{ field: 'targetId', message: '目标单位不在管辖范围内' }]);
    if (target.closed_at) throw badRequest('目标单位已撤销', [{ field: 'targetId', message: '目标单位已撤销' }]);
    if (target.kind !== o.kind || target.level !== o.level)
      throw badRequest('只能合并到同一层级的同类单位', [{ field: 'targetId', message: '请选择同类单位' }]);
    if (target.path.startsWith(o.path)) throw badRequest('不能合并到本单位的下级单位', [{ field: 'targetId', message: '不能选择下级单位' }]);
    await repo.setActor(q, user.id, reason);
    const children = await repo.directChildren(q, id);
    for (const c of children) await repo.moveSubtree(q, c.id, c.path, target.id, target.path, c.level);
    const teachers = await transferOrgTeachers(q, id, target.id, user.id);
    const projects = await repo.transferProjects(q, id, target.id);
    const rolesEnded = await repo.endRolesAt(q, id, user.id, 'orgMerged');
    await repo.endMembershipsOf(q, id, user.id);
    await repo.closeOrg(q, id, reason, target.id);
    const result = { teachers, children: children.length, projects, rolesEnded };
    await audit(q, user, 'org.merge', 'org', id, { into: target.id, reason, ...result }, ip);
    return result;
  });
}

/** 撤销: refused while the org has active teachers or open child orgs; roles held there end. */
export async function closeOrg(ctx: AppContext, user: CurrentUser, id: number, reason: string, ip?: string): Promise<{ rolesEnded: number }> {
  return ctx.db.tx(async (q) => {
    const o = await managed(q, user, id);
    if (o.closed_at) throw conflict('该单位已撤销');
    if (o.active_teachers) throw conflict(`该单位还有 ${o.active_teachers} 名在职教师，请先将他们调往其他学校，再撤销该单位`);
    if (o.open_children) throw conflict(`该单位还有 ${o.open_children} 个下级单位，请先移动或撤销下级单位`);
    await repo.setActor(q, user.id, reason);
    const rolesEnded = await repo.endRolesAt(q, id, user.id, 'orgClosed');
    await repo.endMembershipsOf(q, id, user.id);
    await repo.closeOrg(q, id, reason, null);
    await audit(q, user, 'org.close', 'org', id, { reason, rolesEnded }, ip);
    return { rolesEnded };
  });
}

/** 学区/教育集团: add a school of the caller's subtree to a grouping below the caller. */
export async function addGroupMember(
  ctx: AppContext,
  user: CurrentUser,
  groupId: number,
  orgId: number,
  validFrom = todayInChina(),
  ip?: string,
): Promise<{ id: number }> {
  return ctx.db.tx(async (q) => {
    const g = await managed(q, user, groupId);
    if (g.kind !== 'district' && g.kind !== 'eduGroup') throw conflict('只有学区或教育集团可以添加成员学校');
    if (g.closed_at) throw conflict('该学区/教育集团已撤销');
    const m = await repo.getOrg(q, user.orgPath, orgId);
    if (!m) throw badRequest('学校不存在或不在您的管辖范围内', [{ field: 'orgId', message: '学校不在管辖范围内' }]);
    if (m.kind !== 'school') throw badRequest('学区和教育集团的成员只能是学校', [{ field: 'orgId', message: '请选择学校' }]);
    if (m.closed_at) throw badRequest('该学校已撤销', [{ field: 'orgId', message: '该学校已撤销' }]);
    if ((await repo.memberships(q, groupId)).some((x) => x.org_id === orgId && x.group_id === groupId && !x.valid_to))
      throw conflict(`${m.name}已是该${g.kind === 'district' ? '学区' : '教育集团'}的成员`);
    const id = await repo.addMember(q, groupId, orgId, validFrom, user.id);
    await audit(q, user, 'org.group.add', 'org', groupId, { orgId, validFrom }, ip);
    return { id };
  });
}

/** End a membership (from validTo on the school is no longer a member); the row stays as history. */
export async function endGroupMember(
  ctx: AppContext,
  user: CurrentUser,
  groupId: number,
  memberId: number,
  validTo = todayInChina(),
  ip?: string,
): Promise<void> {
  await ctx.db.tx(async (q) => {
    await managed(q, user, groupId);
    const m = await repo.findMember(q, groupId, memberId);
    if (!m) throw notFound('成员');
    if (m.valid_to) throw conflict('该成员关系已经结束');
    if (validTo < m.valid_from) throw badRequest('结束日期不能早于加入日期', [{ field: 'validTo', message: '结束日期不能早于加入日期' }]);
    await repo.endMember(q, memberId, validTo, user.id);
    await audit(q, user, 'org.group.end', 'org', groupId, { memberId, validTo }, ip);
  });
}
