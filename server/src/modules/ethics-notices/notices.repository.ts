import type { Queryable } from '../../db/db.js';

// 典型问题通报 (migration 0048). Scoping: a notice is visible to a caller whose org subtree holds one of its
// receiving schools or its publishing bureau; it is managed (per-school status, reminders, withdrawal) by the
// 师德专干 whose subtree holds its target org.

export interface NoticeRow {
  id: number;
  publisher_org_id: number;
  publisher_org_name: string;
  target_org_id: number;
  target_org_name: string;
  target_path: string;
  title: string;
  body: string;
  case_id: number | null;
  sanction_kind: string | null;
  name_mask: string | null;
  subject_label: string | null;
  published_on: string;
  published_by_name: string;
  published_at: Date;
  withdrawn_at: Date | null;
  withdrawn_reason: string | null;
  schools: number;
  confirmed: number;
  /** The caller's own school's confirmation (a receiving school's admin), else null. */
  my_school: boolean;
  my_confirmed_at: Date | null;
  my_confirmed_by_name: string | null;
}

/** $1 caller org path, $2 caller org id. */
const SELECT = `SELECT n.id, n.publisher_org_id, po.name AS publisher_org_name, n.target_org_id, t.name AS target_org_name,
    t.path AS target_path, n.title, n.body, n.case_id, n.sanction_kind, n.name_mask, n.subject_label,
    n.published_on::text AS published_on, pu.display_name AS published_by_name, n.published_at, n.withdrawn_at, n.withdrawn_reason,
    (SELECT count(*)::int FROM ethics_notice_schools s WHERE s.notice_id = n.id) AS schools,
    (SELECT count(*)::int FROM ethics_notice_schools s WHERE s.notice_id = n.id AND s.confirmed_at IS NOT NULL) AS confirmed,
    (me.school_org_id IS NOT NULL) AS my_school, me.confirmed_at AS my_confirmed_at, mu.display_name AS my_confirmed_by_name
  FROM ethics_notices n JOIN orgs po ON po.id = n.publisher_org_id JOIN orgs t ON t.id = n.target_org_id
  JOIN users pu ON pu.id = n.published_by
  LEFT JOIN ethics_notice_schools me ON me.notice_id = n.id AND me.school_org_id = $2
  LEFT JOIN users mu ON mu.id = me.confirmed_by`;

const VISIBLE = `(po.path LIKE $1 || '%' OR EXISTS (SELECT 1 FROM ethics_notice_schools vs JOIN orgs vo ON vo.id = vs.school_org_id
    WHERE vs.notice_id = n.id AND vo.path LIKE $1 || '%'))`;

export async function insertNotice(
  q: Queryable,
  n: {
    publisherOrgId: number;
    targetOrgId: number;
    title: string;
    body: string;
    caseId: number | null;
    sanctionKind: string | null;
    nameMask: string | null;
    subjectLabel: string | null;
    publishedOn: string;
    userId: number;
  },
): Promise<number> {
  const id = (
    await q.query<{ id: number }>(
      `INSERT INTO ethics_notices (publisher_org_id, target_org_id, title, body, case_id, sanction_kind, name_mask, subject_label, published_on, published_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
      [n.publisherOrgId, n.targetOrgId, n.title, n.body, n.caseId, n.sanctionKind, n.nameMask, n.subjectLabel, n.publishedOn, n.userId],
    )
  ).rows[0].id;
  // The receiving schools: every school of the target's subtree today.
  await q.query(
    `INSERT INTO ethics_notice_schools (notice_id, school_org_id)
     SELECT $1, o.id FROM orgs o, orgs t WHERE t.id = $2 AND o.kind = 'school' AND o.path LIKE t.path || '%'`,
    [id, n.targetOrgId],
  );
  return id;
}

/** How many schools an org's subtree holds (a notice must reach at least one). */
export async function schoolsBelow(q: Queryable, orgId: number): Promise<number> {
  return (
    await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM orgs o, orgs t WHERE t.id = $1 AND o.kind = 'school' AND o.path LIKE t.path || '%'`, [orgId])
  ).rows[0].n;
}

export async function list(q: Queryable, orgPath: string, orgId: number, limit: number, offset: number): Promise<{ rows: NoticeRow[]; total: number }> {
  const rows = (
    await q.query<NoticeRow>(`${SELECT} WHERE ${VISIBLE} ORDER BY n.published_at DESC, n.id DESC LIMIT ${limit} OFFSET ${offset}`, [orgPath, orgId])
  ).rows;
  const total = (
    await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ethics_notices n JOIN orgs po ON po.id = n.publisher_org_id WHERE ${VISIBLE}`, [orgPath])
  ).rows[0].n;
  return { rows, total };
}

export async function findVisible(q: Queryable, orgPath: string, orgId: number, id: number): Promise<NoticeRow | null> {
  return (await q.query<NoticeRow>(`${SELECT} WHERE n.id = $3 AND ${VISIBLE}`, [orgPath, orgId, id])).rows[0] ?? null;
}

/** Lock a notice for a change (withdrawal, reminder). */
export async function lock(q: Queryable, id: number): Promise<void> {
  await q.query('SELECT id FROM ethics_notices WHERE id = $1 FOR UPDATE', [id]);
}

export interface SchoolStatusRow {
  school_org_id: number;
  school_name: string;
  confirmed_at: Date | null;
  confirmed_by_name: string | null;
  reminded_at: Date | null;
}

export async function schoolStatus(q: Queryable, id: number): Promise<SchoolStatusRow[]> {
  return (
    await q.query<SchoolStatusRow>(
      `SELECT s.school_org_id, o.name AS school_name, s.confirmed_at, u.display_name AS confirmed_by_name, s.reminded_at
         FROM ethics_notice_schools s JOIN orgs o ON o.id = s.school_org_id LEFT JOIN users u ON u.id = s.confirmed_by
        WHERE s.notice_id = $1 ORDER BY (s.confirmed_at IS NULL) DESC, o.path`,
      [id],
    )
  ).rows;
}

/** Confirm for a school, once; the confirmation (existing or new). */
export async function confirm(q: Queryable, id: number, schoolOrgId: number, userId: number): Promise<{ confirmed_at: Date; first: boolean }> {
  const r = await q.query<{ confirmed_at: Date }>(
    `UPDATE ethics_notice_schools SET confirmed_at = now(), confirmed_by = $3
      WHERE notice_id = $1 AND school_org_id = $2 AND confirmed_at IS NULL RETURNING confirmed_at`,
    [id, schoolOrgId, userId],
  );
  if (r.rows[0]) return { confirmed_at: r.rows[0].confirmed_at, first: true };
  const e = await q.query<{ confirmed_at: Date }>('SELECT confirmed_at FROM ethics_notice_schools WHERE notice_id = $1 AND school_org_id = $2', [
    id,
    schoolOrgId,
  ]);
  return { confirmed_at: e.rows[0].confirmed_at, first: false };
}

export async function withdraw(q: Queryable, id: number, userId: number, reason: string): Promise<boolean> {
  const r = await q.query('UPDATE ethics_notices SET withdrawn_at = now(), withdrawn_by = $2, withdrawn_reason = $3 WHERE id = $1 AND withdrawn_at IS NULL', [
    id,
    userId,
    reason,
  ]);
  return r.rowCount > 0;
}

/** Mark the unconfirmed schools reminded; their ids. */
export async function markReminded(q: Queryable, id: number): Promise<number[]> {
  return (
    await q.query<{ school_org_id: number }>(
      'UPDATE ethics_notice_schools SET reminded_at = now() WHERE notice_id = $1 AND confirmed_at IS NULL RETURNING school_org_id',
      [id],
    )
  ).rows.map((r) => r.school_org_id);
}

/** A case of the caller's subtree: its teacher's name (to render at publication). */
export async function caseInSubtree(q: Queryable, caseId: number, orgPath: string): Promise<{ teacher_name: string } | null> {
  return (
    (
      await q.query<{ teacher_name: string }>(
        `SELECT t.name AS teacher_name FROM ethics_cases c JOIN orgs o ON o.id = c.handling_org_id JOIN teachers t ON t.id = c.teacher_id
          WHERE c.id = $1 AND o.path LIKE $2 || '%'`,
        [caseId, orgPath],
      )
    ).rows[0] ?? null
  );
}

export async function orgInSubtree(q: Queryable, orgId: number, orgPath: string): Promise<{ id: number; name: string } | null> {
  return (await q.query<{ id: number; name: string }>(`SELECT id, name FROM orgs WHERE id = $1 AND path LIKE $2 || '%'`, [orgId, orgPath])).rows[0] ?? null;
}
