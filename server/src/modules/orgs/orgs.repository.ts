import type { Queryable } from '../../db/db.js';
import { SQL_TODAY_IN_CHINA } from '../../platform/china-time.js';

export interface OrgRow {
  id: number;
  code: string;
  name: string;
  level: string;
  kind: string;
  stage: string | null;
  parent_id: number | null;
  path: string;
  teacher_count: number;
  ownership?: string | null;
  locale?: string | null;
  school_id_code?: string | null;
  closed_at?: string | null;
}

/** Every org in the subtree under scopePath, with its active-teacher count; closed orgs only when asked for. */
export async function listSubtree(q: Queryable, scopePath: string, includeClosed = false): Promise<OrgRow[]> {
  const r = await q.query<OrgRow>(
    `SELECT o.id, o.code, o.name, o.level, o.kind, o.stage, o.parent_id, o.path, o.ownership, o.locale, o.school_id_code, o.closed_at,
            COALESCE(t.n, 0)::int AS teacher_count
       FROM orgs o
       LEFT JOIN (SELECT org_id, count(*) AS n FROM teachers WHERE status = 'active' GROUP BY org_id) t ON t.org_id = o.id
      WHERE o.path LIKE $1 || '%' AND ($2::boolean OR o.closed_at IS NULL)
      ORDER BY o.path`,
    [scopePath, includeClosed],
  );
  return r.rows;
}

export async function findInScope(q: Queryable, scopePath: string, where: { id?: number; code?: string; name?: string }): Promise<OrgRow | null> {
  const [col, val] = where.id !== undefined ? ['id', where.id] : where.code !== undefined ? ['code', where.code] : ['name', where.name];
  const r = await q.query<OrgRow>(`SELECT o.*, 0 AS teacher_count FROM orgs o WHERE o.${col} = $1 AND o.path LIKE $2 || '%' LIMIT 1`, [val, scopePath]);
  return r.rows[0] ?? null;
}

export interface OrgInsert {
  code: string;
  name: string;
  level: string;
  kind: string;
  stage?: string | null;
  parentId: number | null;
  publicFundBudget?: number | null;
  ownership?: string | null;
  locale?: string | null;
  schoolIdCode?: string | null;
}

export async function insertOrg(q: Queryable, o: OrgInsert): Promise<{ id: number; path: string }> {
  const parent = o.parentId ? (await q.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [o.parentId])).rows[0] : null;
  const r = await q.query<{ id: number }>(
    `INSERT INTO orgs (code, name, level, kind, stage, parent_id, path, public_fund_budget, ownership, locale, school_id_code)
     VALUES ($1,$2,$3,$4,$5,$6,'',$7,$8,$9,$10) RETURNING id`,
    [o.code, o.name, o.level, o.kind, o.stage ?? null, o.parentId, o.publicFundBudget ?? null, o.ownership ?? null, o.locale ?? null, o.schoolIdCode ?? null],
  );
  const id = r.rows[0].id;
  const path = `${parent?.path ?? '/'}${id}/`;
  await q.query('UPDATE orgs SET path = $1 WHERE id = $2', [path, id]);
  return { id, path };
}

// ---------------------------------------------------------------- administration (组织机构管理)

export interface OrgFull {
  id: number;
  code: string;
  name: string;
  level: string;
  kind: string;
  stage: string | null;
  parent_id: number | null;
  parent_name: string | null;
  path: string;
  ownership: string | null;
  locale: string | null;
  school_id_code: string | null;
  closed_at: string | null;
  closed_reason: string | null;
  merged_into: number | null;
  merged_into_name: string | null;
  version: number;
  created_at: string;
  active_teachers: number;
  open_children: number;
}

const FULL = `SELECT o.id, o.code, o.name, o.level, o.kind, o.stage, o.parent_id, p.name AS parent_name, o.path, o.ownership, o.locale,
                     o.school_id_code, o.closed_at, o.closed_reason, o.merged_into, m.name AS merged_into_name, o.version, o.created_at,
                     (SELECT count(*)::int FROM teachers t WHERE t.org_id = o.id AND t.status = 'active') AS active_teachers,
                     (SELECT count(*)::int FROM orgs c WHERE c.parent_id = o.id AND c.closed_at IS NULL) AS open_children
                FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id LEFT JOIN orgs m ON m.id = o.merged_into`;

/** One org of the subtree under scopePath (any state), with its counts; lock it for a change with forUpdate. */
export async function getOrg(q: Queryable, scopePath: string, id: number, forUpdate = false): Promise<OrgFull | null> {
  if (forUpdate) await q.query(`SELECT 1 FROM orgs WHERE id = $1 AND path LIKE $2 || '%' FOR UPDATE`, [id, scopePath]);
  return (await q.query<OrgFull>(`${FULL} WHERE o.id = $1 AND o.path LIKE $2 || '%'`, [id, scopePath])).rows[0] ?? null;
}

export interface OrgHistoryRow {
  id: number;
  field: string;
  old_value: string | null;
  new_value: string | null;
  valid_from: string;
  changed_by_name: string | null;
  reason: string | null;
}

/** The history of one org, oldest first; parent ids are shown by name (as the parent is called now). */
export async function orgHistory(q: Queryable, id: number): Promise<OrgHistoryRow[]> {
  return (
    await q.query<OrgHistoryRow>(
      `SELECT h.id, h.field,
              CASE WHEN h.field IN ('parent', 'closed') THEN (SELECT name FROM orgs WHERE id::text = h.old_value) ELSE h.old_value END AS old_value,
              CASE WHEN h.field IN ('parent', 'closed') THEN (SELECT name FROM orgs WHERE id::text = h.new_value) ELSE h.new_value END AS new_value,
              h.valid_from, u.display_name AS changed_by_name, h.reason
         FROM org_history h LEFT JOIN users u ON u.id = h.changed_by
        WHERE h.org_id = $1 ORDER BY h.valid_from, h.id`,
      [id],
    )
  ).rows;
}

/** Who makes the changes of this transaction and why: read by the org_history trigger. */
export async function setActor(q: Queryable, userId: number, reason: string | null | undefined): Promise<void> {
  await q.query(`SELECT set_config('qiangshi.actor', $1, true), set_config('qiangshi.reason', $2, true)`, [String(userId), reason ?? '']);
}

export async function codeTaken(q: Queryable, code: string, exceptId: number | null): Promise<boolean> {
  return (await q.query('SELECT 1 FROM orgs WHERE code = $1 AND id <> COALESCE($2, 0)', [code, exceptId])).rows.length > 0;
}

/** The org (anywhere) holding this 学校标识码, other than exceptId: only its name comes back. */
export async function schoolIdCodeHolder(q: Queryable, code: string, exceptId: number | null): Promise<string | null> {
  return (await q.query<{ name: string }>('SELECT name FROM orgs WHERE school_id_code = $1 AND id <> COALESCE($2, 0)', [code, exceptId])).rows[0]?.name ?? null;
}

export async function updateOrg(
  q: Queryable,
  id: number,
  version: number,
  a: { code: string; name: string; stage: string | null; ownership: string | null; locale: string | null; schoolIdCode: string | null },
): Promise<boolean> {
  const r = await q.query(
    `UPDATE orgs SET code = $3, name = $4, stage = $5, ownership = $6, locale = $7, school_id_code = $8, version = version + 1
      WHERE id = $1 AND version = $2 AND closed_at IS NULL`,
    [id, version, a.code, a.name, a.stage, a.ownership, a.locale, a.schoolIdCode],
  );
  return r.rowCount === 1;
}

/** Put an org (and its whole subtree: one statement rewrites every path) under a new parent. */
export async function moveSubtree(q: Queryable, id: number, oldPath: string, parentId: number, parentPath: string, level: string): Promise<number> {
  const newPath = `${parentPath}${id}/`;
  await q.query('UPDATE orgs SET parent_id = $2, level = $3, version = version + 1 WHERE id = $1', [id, parentId, level]);
  const r = await q.query(`UPDATE orgs SET path = $2 || substr(path, length($1) + 1) WHERE path LIKE $1 || '%'`, [oldPath, newPath]);
  return r.rowCount;
}

export async function directChildren(q: Queryable, id: number): Promise<{ id: number; path: string; level: string }[]> {
  return (await q.query<{ id: number; path: string; level: string }>('SELECT id, path, level FROM orgs WHERE parent_id = $1 ORDER BY id', [id])).rows;
}

/**
 * Projects of a merged org go to the org it merged into (projects are owned by their org; the projects module
 * has no notion of an org ceasing to exist).
 */
export async function transferProjects(q: Queryable, fromId: number, toId: number): Promise<number> {
  return (await q.query('UPDATE projects SET org_id = $2 WHERE org_id = $1', [fromId, toId])).rowCount;
}

/** End every role held at the org (roles are ended, never moved: 0023's trigger). */
export async function endRolesAt(q: Queryable, orgId: number, byUserId: number, reason: string): Promise<number> {
  return (
    await q.query('UPDATE user_roles SET revoked_at = now(), revoked_by = $2, revoke_reason = $3 WHERE org_id = $1 AND revoked_at IS NULL', [
      orgId,
      byUserId,
      reason,
    ])
  ).rowCount;
}

export async function closeOrg(q: Queryable, id: number, reason: string, mergedInto: number | null): Promise<void> {
  await q.query('UPDATE orgs SET closed_at = now(), closed_reason = $2, merged_into = $3, version = version + 1 WHERE id = $1', [id, reason, mergedInto]);
}

// ---------------------------------------------------------------- groupings (学区 / 教育集团)

export interface MemberRow {
  id: number;
  group_id: number;
  group_name: string;
  org_id: number;
  org_name: string;
  valid_from: string;
  valid_to: string | null;
}

/** Memberships where the org is the group or the member, current first. */
export async function memberships(q: Queryable, orgId: number): Promise<MemberRow[]> {
  return (
    await q.query<MemberRow>(
      `SELECT m.id, m.group_id, g.name AS group_name, m.org_id, o.name AS org_name, m.valid_from, m.valid_to
         FROM org_group_members m JOIN orgs g ON g.id = m.group_id JOIN orgs o ON o.id = m.org_id
        WHERE m.group_id = $1 OR m.org_id = $1
        ORDER BY (m.valid_to IS NULL) DESC, m.valid_from DESC, m.id DESC`,
      [orgId],
    )
  ).rows;
}

export async function addMember(q: Queryable, groupId: number, orgId: number, validFrom: string, userId: number): Promise<number> {
  return (
    await q.query<{ id: number }>('INSERT INTO org_group_members (group_id, org_id, valid_from, added_by) VALUES ($1,$2,$3,$4) RETURNING id', [
      groupId,
      orgId,
      validFrom,
      userId,
    ])
  ).rows[0].id;
}

export async function findMember(q: Queryable, groupId: number, memberId: number): Promise<{ id: number; valid_from: string; valid_to: string | null } | null> {
  return (
    (
      await q.query<{ id: number; valid_from: string; valid_to: string | null }>(
        'SELECT id, valid_from, valid_to FROM org_group_members WHERE id = $1 AND group_id = $2 FOR UPDATE',
        [memberId, groupId],
      )
    ).rows[0] ?? null
  );
}

export async function endMember(q: Queryable, memberId: number, validTo: string, userId: number): Promise<void> {
  await q.query('UPDATE org_group_members SET valid_to = $2, ended_by = $3 WHERE id = $1', [memberId, validTo, userId]);
}

/** End the open memberships of an org that closes (as a member or as the group). */
export async function endMembershipsOf(q: Queryable, orgId: number, userId: number): Promise<void> {
  await q.query(
    `UPDATE org_group_members SET valid_to = GREATEST(valid_from, ${SQL_TODAY_IN_CHINA}), ended_by = $2 WHERE (org_id = $1 OR group_id = $1) AND valid_to IS NULL`,
    [orgId, userId],
  );
}

// ---------------------------------------------------------------- export

export interface ExportRow {
  code: string;
  name: string;
  kind: string;
  level: string;
  parent_code: string | null;
  stage: string | null;
  ownership: string | null;
  locale: string | null;
  school_id_code: string | null;
  active_teachers: number;
  closed_at: string | null;
}

export async function exportRows(q: Queryable, scopePath: string, includeClosed: boolean): Promise<ExportRow[]> {
  return (
    await q.query<ExportRow>(
      `SELECT o.code, o.name, o.kind, o.level, p.code AS parent_code, o.stage, o.ownership, o.locale, o.school_id_code, o.closed_at,
              (SELECT count(*)::int FROM teachers t WHERE t.org_id = o.id AND t.status = 'active') AS active_teachers
         FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id
        WHERE o.path LIKE $1 || '%' AND ($2::boolean OR o.closed_at IS NULL)
        ORDER BY o.path`,
      [scopePath, includeClosed],
    )
  ).rows;
}

// ---------------------------------------------------------------- import batches (kind 'orgs')

export interface OrgBatch {
  id: number;
  file_name: string;
  status: string;
  rows: unknown[];
}

export async function insertBatch(
  q: Queryable,
  b: { userId: number; orgId: number; fileName: string; sha256: string; rows: unknown[]; summary: object },
): Promise<number> {
  return (
    await q.query<{ id: number }>(
      `INSERT INTO import_batches (kind, user_id, org_id, file_name, file_sha256, rows, summary) VALUES ('orgs',$1,$2,$3,$4,$5,$6) RETURNING id`,
      [b.userId, b.orgId, b.fileName, b.sha256, JSON.stringify(b.rows), JSON.stringify(b.summary)],
    )
  ).rows[0].id;
}

/** The caller's own org batch, locked. */
export async function lockBatch(q: Queryable, id: number, userId: number): Promise<OrgBatch | null> {
  return (
    (
      await q.query<OrgBatch>(`SELECT id, file_name, status, rows FROM import_batches WHERE id = $1 AND user_id = $2 AND kind = 'orgs' FOR UPDATE`, [
        id,
        userId,
      ])
    ).rows[0] ?? null
  );
}

export async function markBatchCommitted(q: Queryable, id: number, result: object): Promise<void> {
  await q.query(`UPDATE import_batches SET status = 'committed', committed_at = now(), summary = summary || $2::jsonb WHERE id = $1`, [
    id,
    JSON.stringify({ result }),
  ]);
}

/** Orgs (any state, anywhere) holding these codes or 学校标识码: for the checks of a whole file at once. */
export async function orgsByCodes(
  q: Queryable,
  codes: string[],
  idCodes: string[],
): Promise<
  {
    id: number;
    code: string;
    name: string;
    kind: string;
    path: string;
    parent_id: number | null;
    level: string;
    stage: string | null;
    ownership: string | null;
    locale: string | null;
    school_id_code: string | null;
    closed_at: string | null;
  }[]
> {
  return (
    await q.query(
      `SELECT id, code, name, kind, path, parent_id, level, stage, ownership, locale, school_id_code, closed_at FROM orgs
        WHERE code = ANY($1::text[]) OR school_id_code = ANY($2::text[])`,
      [codes, idCodes],
    )
  ).rows as never;
}
