import type { Queryable } from '../../db/db.js';
import type { TeacherListQuery } from './teachers.schema.js';
import { mergeAssignments } from './teacher-facts.repository.js';

export interface TeacherRow {
  id: number;
  org_id: number;
  org_name: string;
  name: string;
  national_id_enc: string;
  national_id_idx: string;
  national_id_mask: string;
  phone_enc: string | null;
  phone_mask: string | null;
  gender: 'male' | 'female';
  birth_date: string;
  employment: string;
  stage: string;
  subjects: string[];
  hire_date: string | null;
  education: string | null;
  second_degree: string | null;
  title: string | null;
  title_date: string | null;
  qualification_type: string | null;
  qualification_stage: string | null;
  qualification_subject: string | null;
  qualification_no: string | null;
  qualification_expiry: string | null;
  mandarin_level: string | null;
  certificates: string[];
  key_level: string | null;
  key_category: string | null;
  key_term_end: string | null;
  party_member: boolean;
  status: string;
  version: number;
  roles: { role: string; since: string | null }[];
  updated_at: string;
}

/** The stored columns of a teacher, as the service prepares them (PII already encrypted). */
export interface TeacherColumns {
  org_id: number;
  name: string;
  national_id_enc: string;
  national_id_idx: string;
  national_id_mask: string;
  phone_enc: string | null;
  phone_idx: string | null;
  phone_mask: string | null;
  gender: string;
  birth_date: string;
  employment: string;
  stage: string;
  subjects: string[];
  hire_date: string | null;
  education: string | null;
  second_degree: string | null;
  title: string | null;
  title_date: string | null;
  qualification_type: string | null;
  qualification_stage: string | null;
  qualification_subject: string | null;
  qualification_no: string | null;
  qualification_expiry: string | null;
  mandarin_level: string | null;
  certificates: string[];
  key_level: string | null;
  key_category: string | null;
  key_term_end: string | null;
  party_member: boolean;
  status: string;
}

export const TEACHER_COLUMNS: (keyof TeacherColumns)[] = [
  'org_id',
  'name',
  'national_id_enc',
  'national_id_idx',
  'national_id_mask',
  'phone_enc',
  'phone_idx',
  'phone_mask',
  'gender',
  'birth_date',
  'employment',
  'stage',
  'subjects',
  'hire_date',
  'education',
  'second_degree',
  'title',
  'title_date',
  'qualification_type',
  'qualification_stage',
  'qualification_subject',
  'qualification_no',
  'qualification_expiry',
  'mandarin_level',
  'certificates',
  'key_level',
  'key_category',
  'key_term_end',
  'party_member',
  'status',
];

/** A role row held today (China date): not superseded, not ended before today. */
export const ROLE_HELD_TODAY = `r.superseded_at IS NULL AND (r.until IS NULL OR r.until >= (now() AT TIME ZONE 'Asia/Shanghai')::date)`;

const SELECT = `SELECT t.*, o.name AS org_name,
  COALESCE((SELECT json_agg(json_build_object('role', r.role, 'since', r.since) ORDER BY r.role) FROM teacher_roles r
             WHERE r.teacher_id = t.id AND ${ROLE_HELD_TODAY}), '[]'::json) AS roles
  FROM teachers t JOIN orgs o ON o.id = t.org_id`;

/**
 * Who a caller may see within its scope. `enrolledUnder`: only teachers enrolled (in any state) in a project of an
 * org under this path — a training institution sees the teachers of its own projects, not the region it serves.
 */
export interface TeacherReach {
  scopePath: string;
  enrolledUnder?: string | null;
}

const ENROLLED_UNDER = (n: number) =>
  `EXISTS (SELECT 1 FROM enrolments e JOIN projects p ON p.id = e.project_id JOIN orgs po ON po.id = p.org_id
     WHERE e.teacher_id = t.id AND po.path LIKE $${n} || '%')`;

/** Build WHERE for a scoped, filtered teacher list (name search only: exact 身份证号/phone search is findByExact). */
function listWhere(reach: TeacherReach, f: Omit<TeacherListQuery, 'page' | 'pageSize'>): { sql: string; params: unknown[] } {
  const params: unknown[] = [reach.scopePath];
  const conds = [`o.path LIKE $1 || '%'`];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    conds.push(sql(params.length));
  };
  if (reach.enrolledUnder) add(ENROLLED_UNDER, reach.enrolledUnder);
  if (f.orgId) add((n) => `o.path LIKE (SELECT path FROM orgs WHERE id = $${n}) || '%'`, f.orgId);
  if (f.stage) add((n) => `t.stage = $${n}`, f.stage);
  if (f.subject) add((n) => `$${n} = ANY(t.subjects)`, f.subject);
  if (f.title) add((n) => `t.title = $${n}`, f.title);
  if (f.status) add((n) => `t.status = $${n}`, f.status);
  if (f.role) add((n) => `EXISTS (SELECT 1 FROM teacher_roles r WHERE r.teacher_id = t.id AND r.role = $${n} AND ${ROLE_HELD_TODAY})`, f.role);
  if (f.q) add((n) => `t.name LIKE $${n}`, `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return { sql: conds.join(' AND '), params };
}

export async function listTeachers(q: Queryable, reach: TeacherReach, f: TeacherListQuery): Promise<{ rows: TeacherRow[]; total: number }> {
  const w = listWhere(reach, f);
  const total = (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE ${w.sql}`, w.params)).rows[0].n;
  const rows = (await q.query<TeacherRow>(`${SELECT} WHERE ${w.sql} ORDER BY o.path, t.id LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`, w.params))
    .rows;
  return { rows, total };
}

/** All matching rows for export, in pages of 5000 so memory stays flat. */
export async function* iterateTeachers(q: Queryable, reach: TeacherReach, f: Omit<TeacherListQuery, 'page' | 'pageSize'>) {
  const w = listWhere(reach, f);
  let lastId = 0;
  for (;;) {
    const rows = (await q.query<TeacherRow>(`${SELECT} WHERE ${w.sql} AND t.id > ${lastId} ORDER BY t.id LIMIT 5000`, w.params)).rows;
    if (!rows.length) return;
    yield rows;
    lastId = rows[rows.length - 1].id;
  }
}

/** Teachers in the subtree whose 身份证号 or phone has this blind index (exact search; at most a few rows). */
export async function findByExact(q: Queryable, scopePath: string, field: 'nationalId' | 'phone', idx: string): Promise<TeacherRow[]> {
  const col = field === 'nationalId' ? 't.national_id_idx' : 't.phone_idx';
  return (await q.query<TeacherRow>(`${SELECT} WHERE ${col} = $1 AND o.path LIKE $2 || '%' ORDER BY o.path, t.id LIMIT 50`, [idx, scopePath])).rows;
}

export async function findTeacher(q: Queryable, scopePath: string, id: number, enrolledUnder?: string | null): Promise<TeacherRow | null> {
  const r = enrolledUnder
    ? await q.query<TeacherRow>(`${SELECT} WHERE t.id = $1 AND o.path LIKE $2 || '%' AND ${ENROLLED_UNDER(3)}`, [id, scopePath, enrolledUnder])
    : await q.query<TeacherRow>(`${SELECT} WHERE t.id = $1 AND o.path LIKE $2 || '%'`, [id, scopePath]);
  return r.rows[0] ?? null;
}

/** Any teacher (unscoped) holding this 身份证号 blind index: duplicates must be found across the whole system. */
export async function findByNationalIdx(q: Queryable, idx: string): Promise<{ id: number; org_id: number; path: string } | null> {
  const r = await q.query<{ id: number; org_id: number; path: string }>(
    'SELECT t.id, t.org_id, o.path FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.national_id_idx = $1',
    [idx],
  );
  return r.rows[0] ?? null;
}

export async function insertTeacher(q: Queryable, c: TeacherColumns): Promise<number> {
  const vals = TEACHER_COLUMNS.map((k) => c[k]);
  const r = await q.query<{ id: number }>(
    `INSERT INTO teachers (${TEACHER_COLUMNS.join(',')}) VALUES (${TEACHER_COLUMNS.map((_, i) => `$${i + 1}`).join(',')}) RETURNING id`,
    vals,
  );
  return r.rows[0].id;
}

/** Optimistic update: only if the version still matches. Returns false when someone else saved first. */
export async function updateTeacher(q: Queryable, id: number, version: number, c: TeacherColumns): Promise<boolean> {
  const sets = TEACHER_COLUMNS.map((k, i) => `${k} = $${i + 3}`).join(', ');
  const r = await q.query(`UPDATE teachers SET ${sets}, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2`, [
    id,
    version,
    ...TEACHER_COLUMNS.map((k) => c[k]),
  ]);
  return r.rowCount === 1;
}

export async function insertChange(q: Queryable, teacherId: number, userId: number | null, source: string, changes: Record<string, unknown>): Promise<void> {
  await q.query('INSERT INTO teacher_changes (teacher_id, user_id, source, changes) VALUES ($1,$2,$3,$4)', [
    teacherId,
    userId,
    source,
    JSON.stringify(changes),
  ]);
}

export async function listChanges(q: Queryable, teacherId: number) {
  return (
    await q.query<{ id: number; at: string; source: string; changes: Record<string, { from: unknown; to: unknown }>; user_name: string | null }>(
      `SELECT c.id, c.at, c.source, c.changes, u.display_name AS user_name FROM teacher_changes c LEFT JOIN users u ON u.id = c.user_id
        WHERE c.teacher_id = $1 ORDER BY c.at DESC, c.id DESC LIMIT 100`,
      [teacherId],
    )
  ).rows;
}

/** Move every teacher of one org to another (the org merged into another), effective `on`, one change line each; returns how many. */
export async function transferOrgTeachers(q: Queryable, fromOrgId: number, toOrgId: number, userId: number, source: string, on: string): Promise<number> {
  const ids = await mergeAssignments(q, fromOrgId, toOrgId, on, userId);
  if (!ids.length) return 0;
  const r = await q.query(
    `WITH moved AS (UPDATE teachers SET version = version + 1, updated_at = now() WHERE id = ANY($5::int[]) RETURNING id)
     INSERT INTO teacher_changes (teacher_id, user_id, source, changes)
     SELECT id, $3, $4, jsonb_build_object('org_id', jsonb_build_object('from', $1::int, 'to', $2::int)) FROM moved`,
    [fromOrgId, toOrgId, userId, source, ids],
  );
  return r.rowCount;
}
