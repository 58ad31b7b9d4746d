import type { Queryable } from '../../db/db.js';
import type { EntryFields, SectionKey } from './records.sections.js';

export type ChangeStatus = 'draft' | 'pending' | 'returned' | 'approved' | 'withdrawn';
export type ChangeKind = 'add' | 'edit' | 'remove';

export interface ChangeRow {
  id: number;
  teacher_id: number;
  teacher_name: string;
  org_id: number;
  org_name: string;
  org_path: string;
  entry_id: number;
  section: SectionKey;
  kind: ChangeKind;
  base_version_id: number | null;
  base_fields: EntryFields | null;
  fields: EntryFields;
  note: string;
  status: ChangeStatus;
  return_reason: string | null;
  created_at: string;
  submitted_at: string | null;
  decided_at: string | null;
  decided_by_name: string | null;
  created_by: number | null;
  file_count: number;
}

/** Which changes a query may return: a subtree (the org of the teacher), optionally one teacher's only. */
export interface ChangeScope {
  scopePath: string;
  teacherId?: number;
  /** Reviewers never see a teacher's unsent drafts. */
  excludeDrafts?: boolean;
}

const CHANGE_SELECT = `
  SELECT c.id, c.teacher_id, t.name AS teacher_name, o.id AS org_id, o.name AS org_name, o.path AS org_path,
         c.entry_id, c.section, c.kind, c.base_version_id, b.fields AS base_fields, c.fields, c.note, c.status,
         c.return_reason, c.created_at, c.submitted_at, c.decided_at, du.display_name AS decided_by_name, c.created_by,
         (SELECT count(*)::int FROM record_change_files f WHERE f.change_id = c.id) AS file_count
    FROM record_changes c
    JOIN teachers t ON t.id = c.teacher_id
    JOIN orgs o ON o.id = t.org_id
    LEFT JOIN record_entry_versions b ON b.id = c.base_version_id
    LEFT JOIN users du ON du.id = c.decided_by`;

function scopeWhere(s: ChangeScope, params: unknown[]): string {
  params.push(s.scopePath);
  let w = `o.path LIKE $${params.length} || '%'`;
  if (s.teacherId !== undefined) {
    params.push(s.teacherId);
    w += ` AND c.teacher_id = $${params.length}`;
  }
  if (s.excludeDrafts) w += ` AND c.status <> 'draft'`;
  return w;
}

/** Changes by id within the scope; `lock` takes them FOR UPDATE (of the change rows). */
export async function findChanges(q: Queryable, s: ChangeScope, ids: number[], lock = false): Promise<ChangeRow[]> {
  const params: unknown[] = [ids];
  const where = scopeWhere(s, params);
  const r = await q.query<ChangeRow>(`${CHANGE_SELECT} WHERE c.id = ANY($1::int[]) AND ${where} ORDER BY c.id${lock ? ' FOR UPDATE OF c' : ''}`, params);
  return r.rows;
}

/**
 * A page of changes in the scope. `oldestFirst`: by the time they were sent (the review queue); otherwise newest
 * first (a teacher's own list).
 */
export async function listChanges(
  q: Queryable,
  s: ChangeScope & { statuses?: ChangeStatus[]; q?: string },
  page: number,
  pageSize: number,
  oldestFirst: boolean,
): Promise<{ rows: ChangeRow[]; total: number }> {
  const params: unknown[] = [];
  let where = scopeWhere(s, params);
  if (s.statuses) {
    params.push(s.statuses);
    where += ` AND c.status = ANY($${params.length}::text[])`;
  }
  if (s.q) {
    params.push(`%${s.q.replace(/[\\%_]/g, '\\$&')}%`);
    where += ` AND t.name LIKE $${params.length}`;
  }
  const total = (
    await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM record_changes c JOIN teachers t ON t.id = c.teacher_id JOIN orgs o ON o.id = t.org_id WHERE ${where}`,
      params,
    )
  ).rows[0].n;
  params.push(pageSize, (page - 1) * pageSize);
  const order = oldestFirst ? 'COALESCE(c.submitted_at, c.created_at), c.id' : 'c.id DESC';
  const r = await q.query<ChangeRow>(`${CHANGE_SELECT} WHERE ${where} ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { rows: r.rows, total };
}

export async function insertEntry(q: Queryable, teacherId: number, section: SectionKey, userId: number): Promise<number> {
  const r = await q.query<{ id: number }>('INSERT INTO record_entries (teacher_id, section, created_by) VALUES ($1, $2, $3) RETURNING id', [
    teacherId,
    section,
    userId,
  ]);
  return r.rows[0].id;
}

export interface EntryRow {
  id: number;
  teacher_id: number;
  section: SectionKey;
}

export async function findEntry(q: Queryable, teacherId: number, entryId: number): Promise<EntryRow | undefined> {
  return (await q.query<EntryRow>('SELECT id, teacher_id, section FROM record_entries WHERE id = $1 AND teacher_id = $2', [entryId, teacherId])).rows[0];
}

export async function insertChange(
  q: Queryable,
  c: {
    teacherId: number;
    entryId: number;
    section: SectionKey;
    kind: ChangeKind;
    baseVersionId: number | null;
    fields: EntryFields;
    note: string;
    userId: number;
  },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO record_changes (teacher_id, entry_id, section, kind, base_version_id, fields, note, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [c.teacherId, c.entryId, c.section, c.kind, c.baseVersionId, JSON.stringify(c.fields), c.note, c.userId],
  );
  return r.rows[0].id;
}

/** Is there an open (draft, pending or returned) change of this entry? */
export async function openChangeOf(q: Queryable, entryId: number): Promise<number | undefined> {
  return (await q.query<{ id: number }>(`SELECT id FROM record_changes WHERE entry_id = $1 AND status IN ('draft','pending','returned')`, [entryId])).rows[0]
    ?.id;
}

/** How many open (draft, pending or returned) changes a teacher has. */
export async function openChangeCount(q: Queryable, teacherId: number): Promise<number> {
  return (
    await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM record_changes WHERE teacher_id = $1 AND status IN ('draft','pending','returned')`, [
      teacherId,
    ])
  ).rows[0].n;
}

export async function updateChangeFields(q: Queryable, id: number, fields: EntryFields, note: string): Promise<void> {
  await q.query('UPDATE record_changes SET fields = $2, note = $3, updated_at = now() WHERE id = $1', [id, JSON.stringify(fields), note]);
}

/** Move a change from one state to another (false when someone else moved it first). */
export async function setStatus(
  q: Queryable,
  id: number,
  from: ChangeStatus,
  to: ChangeStatus,
  extra: { userId: number; reason?: string | null; versionId?: number | null },
): Promise<boolean> {
  const r = await q.query(
    `UPDATE record_changes SET status = $3, updated_at = now(),
            submitted_at = CASE WHEN $3 = 'pending' THEN now() ELSE submitted_at END,
            decided_at = CASE WHEN $3 IN ('approved','returned') THEN now() ELSE decided_at END,
            decided_by = CASE WHEN $3 IN ('approved','returned') THEN $4::int ELSE decided_by END,
            return_reason = CASE WHEN $3 = 'returned' THEN $5 WHEN $3 = 'pending' THEN return_reason ELSE return_reason END,
            version_id = COALESCE($6::int, version_id)
      WHERE id = $1 AND status = $2`,
    [id, from, to, extra.userId, extra.reason ?? null, extra.versionId ?? null],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function insertEvent(
  q: Queryable,
  e: { changeId: number; userId: number; action: string; from: string | null; to: string; comment: string | null },
): Promise<void> {
  await q.query('INSERT INTO record_change_events (change_id, user_id, action, from_status, to_status, comment) VALUES ($1, $2, $3, $4, $5, $6)', [
    e.changeId,
    e.userId,
    e.action,
    e.from,
    e.to,
    e.comment,
  ]);
}

export interface EventRow {
  at: string;
  action: string;
  from_status: string | null;
  to_status: string;
  comment: string | null;
  user_name: string | null;
}

export async function listEvents(q: Queryable, changeId: number): Promise<EventRow[]> {
  return (
    await q.query<EventRow>(
      `SELECT e.at, e.action, e.from_status, e.to_status, e.comment, u.display_name AS user_name
         FROM record_change_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.change_id = $1 ORDER BY e.id`,
      [changeId],
    )
  ).rows;
}

export interface ChangeFileRow {
  file_id: number;
  inherited: boolean;
}

export async function changeFiles(q: Queryable, changeId: number): Promise<ChangeFileRow[]> {
  return (await q.query<ChangeFileRow>('SELECT file_id::int AS file_id, inherited FROM record_change_files WHERE change_id = $1 ORDER BY file_id', [changeId]))
    .rows;
}

export async function attachFiles(q: Queryable, changeId: number, fileIds: number[], inherited: boolean): Promise<void> {
  if (!fileIds.length) return;
  await q.query('INSERT INTO record_change_files (change_id, file_id, inherited) SELECT $1, unnest($2::bigint[]), $3 ON CONFLICT DO NOTHING', [
    changeId,
    fileIds,
    inherited,
  ]);
}

/** Detach a file from a change; whether it was inherited (null when it was not attached). */
export async function detachFile(q: Queryable, changeId: number, fileId: number): Promise<{ inherited: boolean } | null> {
  const r = await q.query<{ inherited: boolean }>('DELETE FROM record_change_files WHERE change_id = $1 AND file_id = $2 RETURNING inherited', [
    changeId,
    fileId,
  ]);
  return r.rows[0] ?? null;
}

export interface VersionRow {
  id: number;
  entry_id: number;
  section: SectionKey;
  seq: number;
  fields: EntryFields;
  file_ids: number[];
  removed: boolean;
  changes: Record<string, { from: string | null; to: string | null }>;
  change_id: number;
  approved_at: string;
  submitted_by_name: string | null;
  approved_by_name: string | null;
}

const VERSION_SELECT = `
  SELECT v.id, v.entry_id, e.section, v.seq, v.fields, v.file_ids::int[] AS file_ids, v.removed, v.changes, v.change_id, v.approved_at,
         su.display_name AS submitted_by_name, au.display_name AS approved_by_name
    FROM record_entry_versions v
    JOIN record_entries e ON e.id = v.entry_id
    LEFT JOIN users su ON su.id = v.submitted_by
    LEFT JOIN users au ON au.id = v.approved_by`;

/** The latest version of each of a teacher's entries (removed ones included: callers drop them). */
export async function currentVersions(q: Queryable, teacherId: number): Promise<VersionRow[]> {
  const sql = `${VERSION_SELECT.replace('SELECT', 'SELECT DISTINCT ON (v.entry_id)')} WHERE e.teacher_id = $1 ORDER BY v.entry_id, v.seq DESC`;
  return (await q.query<VersionRow>(sql, [teacherId])).rows;
}

/** Every version of a teacher's entries, newest first: the record's history. */
export async function versionHistory(q: Queryable, teacherId: number): Promise<VersionRow[]> {
  return (await q.query<VersionRow>(`${VERSION_SELECT} WHERE e.teacher_id = $1 ORDER BY v.approved_at DESC, v.id DESC`, [teacherId])).rows;
}

export async function latestVersion(q: Queryable, entryId: number): Promise<VersionRow | undefined> {
  return (await q.query<VersionRow>(`${VERSION_SELECT} WHERE v.entry_id = $1 ORDER BY v.seq DESC LIMIT 1`, [entryId])).rows[0];
}

export async function insertVersion(
  q: Queryable,
  v: {
    entryId: number;
    fields: EntryFields;
    fileIds: number[];
    removed: boolean;
    changes: Record<string, unknown>;
    changeId: number;
    submittedBy: number | null;
    approvedBy: number;
  },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO record_entry_versions (entry_id, seq, fields, file_ids, removed, changes, change_id, submitted_by, approved_by)
     VALUES ($1, COALESCE((SELECT max(seq) FROM record_entry_versions WHERE entry_id = $1), 0) + 1, $2, $3::bigint[], $4, $5, $6, $7, $8) RETURNING id`,
    [v.entryId, JSON.stringify(v.fields), v.fileIds, v.removed, JSON.stringify(v.changes), v.changeId, v.submittedBy, v.approvedBy],
  );
  return r.rows[0].id;
}

/** Is the file evidence of this teacher's record (a change or a version of one of their entries)? */
export async function fileOfTeacher(q: Queryable, teacherId: number, fileId: number): Promise<boolean> {
  const r = await q.query(
    `SELECT 1 FROM record_change_files f JOIN record_changes c ON c.id = f.change_id WHERE c.teacher_id = $1 AND f.file_id = $2
     UNION ALL
     SELECT 1 FROM record_entry_versions v JOIN record_entries e ON e.id = v.entry_id WHERE e.teacher_id = $1 AND $2 = ANY(v.file_ids)
     LIMIT 1`,
    [teacherId, fileId],
  );
  return r.rows.length > 0;
}

export interface CompletenessRow {
  teacher_id: number;
  teacher_name: string;
  org_name: string;
  sections: SectionKey[];
  missing_evidence: number;
}

/**
 * For each active teacher of the subtree: the sections in which they have a current entry, and how many current
 * entries of the given sections have no evidence file.
 */
export async function completenessRows(q: Queryable, scopePath: string, evidenceSections: SectionKey[], teacherId?: number): Promise<CompletenessRow[]> {
  const params: unknown[] = [scopePath, evidenceSections];
  let where = `o.path LIKE $1 || '%' AND t.status = 'active'`;
  if (teacherId !== undefined) {
    params.push(teacherId);
    where += ` AND t.id = $${params.length}`;
  }
  return (
    await q.query<CompletenessRow>(
      `WITH cur AS (
         SELECT DISTINCT ON (v.entry_id) e.teacher_id, e.section, v.removed, cardinality(v.file_ids) AS files
           FROM record_entry_versions v JOIN record_entries e ON e.id = v.entry_id
           JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id
          WHERE ${where}
          ORDER BY v.entry_id, v.seq DESC)
       SELECT t.id AS teacher_id, t.name AS teacher_name, o.name AS org_name,
              COALESCE(array_agg(DISTINCT cur.section) FILTER (WHERE cur.section IS NOT NULL), '{}') AS sections,
              count(*) FILTER (WHERE cur.files = 0 AND cur.section = ANY($2::text[]))::int AS missing_evidence
         FROM teachers t JOIN orgs o ON o.id = t.org_id
         LEFT JOIN cur ON cur.teacher_id = t.id AND NOT cur.removed
        WHERE ${where}
        GROUP BY t.id, t.name, o.name
        ORDER BY o.name, t.name, t.id`,
      params,
    )
  ).rows;
}

/** Accounts of a teacher (to notify them). */
export async function usersOfTeacher(q: Queryable, teacherId: number): Promise<number[]> {
  return (await q.query<{ id: number }>('SELECT id FROM users WHERE teacher_id = $1', [teacherId])).rows.map((r) => r.id);
}

/** The org path of a teacher (its school), if the teacher exists. */
export async function teacherOrg(q: Queryable, teacherId: number): Promise<{ org_id: number; path: string; name: string; teacher_name: string } | undefined> {
  return (
    await q.query<{ org_id: number; path: string; name: string; teacher_name: string }>(
      'SELECT o.id AS org_id, o.path, o.name, t.name AS teacher_name FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1',
      [teacherId],
    )
  ).rows[0];
}

/** An entry with its teacher's school path (for the reviewer's scope check). */
export async function findEntryInOrg(q: Queryable, entryId: number, orgPath: string): Promise<(EntryRow & { teacher_name: string }) | undefined> {
  return (
    await q.query<EntryRow & { teacher_name: string }>(
      `SELECT e.id, e.teacher_id, e.section, t.name AS teacher_name FROM record_entries e JOIN teachers t ON t.id = e.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE e.id = $1 AND o.path LIKE $2 || '%' FOR UPDATE OF e`,
      [entryId, orgPath],
    )
  ).rows[0];
}

/**
 * Delete an entry and everything about it (the audited mistake path: the only hard delete). The versions' trigger
 * lets the delete through for this transaction only. Returns the evidence files it referenced and what it deleted.
 */
export async function purgeEntry(q: Queryable, entryId: number): Promise<{ fileIds: number[]; versions: number; changes: number }> {
  await q.query(`SELECT set_config('qiangshi.record_purge', 'on', true)`);
  const files = await q.query<{ id: number }>(
    `SELECT DISTINCT f.file_id::int AS id FROM record_change_files f JOIN record_changes c ON c.id = f.change_id WHERE c.entry_id = $1
     UNION SELECT DISTINCT unnest(file_ids)::int FROM record_entry_versions WHERE entry_id = $1`,
    [entryId],
  );
  await q.query('DELETE FROM record_change_events WHERE change_id IN (SELECT id FROM record_changes WHERE entry_id = $1)', [entryId]);
  await q.query('DELETE FROM record_change_files WHERE change_id IN (SELECT id FROM record_changes WHERE entry_id = $1)', [entryId]);
  await q.query('UPDATE record_changes SET version_id = NULL, base_version_id = NULL WHERE entry_id = $1', [entryId]);
  const versions = (await q.query('DELETE FROM record_entry_versions WHERE entry_id = $1', [entryId])).rowCount ?? 0;
  const changes = (await q.query('DELETE FROM record_changes WHERE entry_id = $1', [entryId])).rowCount ?? 0;
  await q.query('DELETE FROM record_entries WHERE id = $1', [entryId]);
  await q.query(`SELECT set_config('qiangshi.record_purge', 'off', true)`);
  return { fileIds: files.rows.map((r) => r.id), versions, changes };
}
