/**
 * SQL of the change processes (人员变动, migration 0036): requests and their append-only trail. Every read that
 * serves a caller is limited to requests touching the caller's subtree (the sending or the receiving school).
 */
import type { Queryable } from '../../db/db.js';

export type MoveKind = 'hire' | 'transfer' | 'retire' | 'resign' | 'death';
export type MoveStatus = 'pending' | 'approved' | 'applied' | 'returned' | 'withdrawn';
export type StepAction = 'file' | 'approve' | 'return' | 'withdraw' | 'apply';

export interface MoveRow {
  id: number;
  teacher_id: number;
  teacher_name: string;
  kind: MoveKind;
  from_org_id: number;
  from_org_name: string;
  to_org_id: number | null;
  to_org_name: string | null;
  approver_org_ids: number[];
  effective_date: string;
  reason: string;
  evidence: string | null;
  status: MoveStatus;
  filed_by: number;
  filed_by_name: string;
  filed_org_id: number;
  filed_org_name: string;
  filed_at: string;
  closed_at: string | null;
  applied_at: string | null;
}

export interface StepRow {
  id: number;
  move_id: number;
  action: StepAction;
  org_id: number | null;
  org_name: string | null;
  by_user: number | null;
  by_name: string | null;
  at: string;
  comment: string | null;
}

const SELECT = `
  SELECT m.id, m.teacher_id, t.name AS teacher_name, m.kind, m.from_org_id, fo.name AS from_org_name, m.to_org_id, tgo.name AS to_org_name,
         m.approver_org_ids, m.effective_date::text AS effective_date, m.reason, m.evidence, m.status, m.filed_by, fu.display_name AS filed_by_name,
         m.filed_org_id, fdo.name AS filed_org_name, m.filed_at, m.closed_at, m.applied_at
    FROM teacher_moves m
    JOIN teachers t ON t.id = m.teacher_id
    JOIN orgs fo ON fo.id = m.from_org_id
    LEFT JOIN orgs tgo ON tgo.id = m.to_org_id
    JOIN users fu ON fu.id = m.filed_by
    JOIN orgs fdo ON fdo.id = m.filed_org_id`;

/** The request touches the scope: its sending or receiving school lies in the subtree. */
const inScope = (p: number) => `(fo.path LIKE $${p} || '%' OR tgo.path LIKE $${p} || '%')`;

/** The bureau directly above an org (a school's county bureau; a 市直学校's city bureau). */
export async function bureauAbove(q: Queryable, orgId: number): Promise<{ id: number; name: string } | null> {
  const r = await q.query<{ id: number; name: string }>(
    `SELECT b.id, b.name FROM orgs s JOIN orgs b ON s.path LIKE b.path || '%' AND b.id <> s.id AND b.kind = 'bureau'
      WHERE s.id = $1 ORDER BY length(b.path) DESC LIMIT 1`,
    [orgId],
  );
  return r.rows[0] ?? null;
}

export async function orgNames(q: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const r = await q.query<{ id: number; name: string }>('SELECT id, name FROM orgs WHERE id = ANY($1::int[])', [ids]);
  return new Map(r.rows.map((x) => [x.id, x.name]));
}

/** An open school anywhere (a transfer may go to another county): id, name, kind, closed. */
export async function findSchool(q: Queryable, id: number): Promise<{ id: number; name: string; kind: string; closed_at: string | null } | null> {
  const r = await q.query<{ id: number; name: string; kind: string; closed_at: string | null }>('SELECT id, name, kind, closed_at FROM orgs WHERE id = $1', [
    id,
  ]);
  return r.rows[0] ?? null;
}

/** Every open bureau and school (the receiving school of a transfer is picked from this tree). */
export async function destinations(q: Queryable): Promise<{ id: number; parent_id: number | null; name: string; kind: string }[]> {
  return (
    await q.query<{ id: number; parent_id: number | null; name: string; kind: string }>(
      `SELECT id, parent_id, name, kind FROM orgs WHERE closed_at IS NULL AND kind IN ('bureau','school') ORDER BY path`,
    )
  ).rows;
}

export async function insertMove(
  q: Queryable,
  m: {
    teacherId: number;
    kind: MoveKind;
    fromOrgId: number;
    toOrgId: number | null;
    approverOrgIds: number[];
    effectiveDate: string;
    reason: string;
    evidence: string | null;
    filedBy: number;
    filedOrgId: number;
  },
): Promise<number | null> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO teacher_moves (teacher_id, kind, from_org_id, to_org_id, approver_org_ids, effective_date, reason, evidence, filed_by, filed_org_id)
     VALUES ($1, $2, $3, $4, $5::int[], $6, $7, $8, $9, $10)
     ON CONFLICT (teacher_id) WHERE status IN ('pending','approved') DO NOTHING RETURNING id`,
    [m.teacherId, m.kind, m.fromOrgId, m.toOrgId, m.approverOrgIds, m.effectiveDate, m.reason, m.evidence, m.filedBy, m.filedOrgId],
  );
  return r.rows[0]?.id ?? null;
}

export async function insertStep(
  q: Queryable,
  moveId: number,
  action: StepAction,
  orgId: number | null,
  by: number | null,
  comment: string | null = null,
): Promise<void> {
  await q.query('INSERT INTO teacher_move_steps (move_id, action, org_id, by_user, comment) VALUES ($1, $2, $3, $4, $5)', [moveId, action, orgId, by, comment]);
}

/** One request in the scope (null scope: any, for the job). */
export async function getMove(q: Queryable, scopePath: string | null, id: number, lock = false): Promise<MoveRow | null> {
  const r = await q.query<MoveRow>(
    `${SELECT} WHERE m.id = $1 ${scopePath === null ? 'AND $2::text IS NULL' : `AND ${inScope(2)}`} ${lock ? 'FOR UPDATE OF m' : ''}`,
    [id, scopePath],
  );
  return r.rows[0] ?? null;
}

export async function listMoves(
  q: Queryable,
  scopePath: string,
  f: { kind?: MoveKind; status?: MoveStatus; teacherId?: number; limit: number; offset: number },
): Promise<{ rows: MoveRow[]; total: number }> {
  const where = [inScope(1)];
  const params: unknown[] = [scopePath];
  if (f.kind) where.push(`m.kind = $${params.push(f.kind)}`);
  if (f.status) where.push(`m.status = $${params.push(f.status)}`);
  if (f.teacherId) where.push(`m.teacher_id = $${params.push(f.teacherId)}`);
  const rows = (
    await q.query<MoveRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY m.filed_at DESC, m.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`, params)
  ).rows;
  const total = (
    await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM teacher_moves m JOIN orgs fo ON fo.id = m.from_org_id LEFT JOIN orgs tgo ON tgo.id = m.to_org_id WHERE ${where.join(' AND ')}`,
      params,
    )
  ).rows[0].n;
  return { rows, total };
}

export async function stepsOf(q: Queryable, moveIds: number[]): Promise<StepRow[]> {
  if (!moveIds.length) return [];
  return (
    await q.query<StepRow>(
      `SELECT s.id, s.move_id, s.action, s.org_id, o.name AS org_name, s.by_user, u.display_name AS by_name, s.at, s.comment
         FROM teacher_move_steps s LEFT JOIN orgs o ON o.id = s.org_id LEFT JOIN users u ON u.id = s.by_user
        WHERE s.move_id = ANY($1::int[]) ORDER BY s.move_id, s.id`,
      [moveIds],
    )
  ).rows;
}

/** Move a request on, only from the status it is expected in (a concurrent step makes this a no-op: false). */
export async function transition(q: Queryable, id: number, from: MoveStatus, to: MoveStatus): Promise<boolean> {
  const r = await q.query(
    `UPDATE teacher_moves SET status = $3,
            closed_at = CASE WHEN $3 IN ('applied','returned','withdrawn') THEN now() ELSE closed_at END,
            applied_at = CASE WHEN $3 = 'applied' THEN now() ELSE applied_at END
      WHERE id = $1 AND status = $2`,
    [id, from, to],
  );
  return r.rowCount === 1;
}

/** Approved requests whose date has come, oldest first. */
export async function dueMoves(q: Queryable, today: string): Promise<number[]> {
  return (
    await q.query<{ id: number }>(`SELECT id FROM teacher_moves WHERE status = 'approved' AND effective_date <= $1::date ORDER BY effective_date, id`, [today])
  ).rows.map((r) => r.id);
}

/** The latest start of the teacher's current (not superseded) school assignment and employment status. */
export async function currentStarts(q: Queryable, teacherId: number): Promise<{ assignment: string | null; status: string | null }> {
  const r = await q.query<{ assignment: string | null; status: string | null }>(
    `SELECT (SELECT max(valid_from)::text FROM teacher_assignments WHERE teacher_id = $1 AND superseded_at IS NULL) AS assignment,
            (SELECT max(valid_from)::text FROM teacher_statuses WHERE teacher_id = $1 AND superseded_at IS NULL) AS status`,
    [teacherId],
  );
  return r.rows[0];
}

/** The teacher's periods that began with the record (valid_from NULL) and are still open: a hire replaces them. */
export async function openSinceRecord(q: Queryable, teacherId: number): Promise<{ assignments: number[]; statuses: number[] }> {
  const ids = async (table: string) =>
    (
      await q.query<{ id: number }>(
        `SELECT id FROM ${table} WHERE teacher_id = $1 AND superseded_at IS NULL AND valid_from IS NULL AND valid_until IS NULL ORDER BY id FOR UPDATE`,
        [teacherId],
      )
    ).rows.map((r) => r.id);
  return { assignments: await ids('teacher_assignments'), statuses: await ids('teacher_statuses') };
}

/** The user account of a teacher, if any. */
export async function accountOfTeacher(q: Queryable, teacherId: number): Promise<number | null> {
  return (await q.query<{ id: number }>('SELECT id FROM users WHERE teacher_id = $1', [teacherId])).rows[0]?.id ?? null;
}
