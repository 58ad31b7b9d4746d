import type { Queryable } from '../../db/db.js';

/**
 * Sanctions (处理/处分, migration 0044): the hub of the 诚信档案 that cases write and the veto reads. A row is
 * never edited; an appeal's second decision or a correction supersedes it, 撤销处分 revokes it (both once).
 */
export const SANCTION_KINDS = [
  'criticism',
  'admonition',
  'circulated',
  'warning',
  'demerit',
  'demotion',
  'removal',
  'dismissal',
  'credentialRevoked',
  'barred',
] as const;
export type SanctionKind = (typeof SANCTION_KINDS)[number];

export const SANCTION_LABELS: Record<SanctionKind, string> = {
  criticism: '批评教育',
  admonition: '诫勉谈话',
  circulated: '通报批评',
  warning: '警告',
  demerit: '记过',
  demotion: '降低岗位等级',
  removal: '撤职',
  dismissal: '开除',
  credentialRevoked: '撤销教师资格',
  barred: '行业禁入',
};

export interface NewSanction {
  teacherId: number;
  caseId: number | null;
  kind: SanctionKind;
  decidedOn: string;
  validFrom: string;
  /** Inclusive; null = no end (开除, 撤销教师资格, 行业禁入 for life). */
  validUntil: string | null;
  decisionNo: string | null;
  reason: string;
  decidedByOrgId: number;
  recordedBy: number | null;
  /** The sanction this one replaces (an appeal's second decision, a correction): superseded in the same step. */
  corrects?: number | null;
}

export interface SanctionRow {
  id: number;
  teacherId: number;
  caseId: number | null;
  kind: SanctionKind;
  decidedOn: string;
  validFrom: string;
  validUntil: string | null;
  decisionNo: string | null;
  reason: string;
  decidedByOrgId: number;
  revokedOn: string | null;
  revokedReason: string | null;
}

const COLUMNS = `s.id, s.teacher_id AS "teacherId", s.case_id AS "caseId", s.kind, s.decided_on::text AS "decidedOn",
  s.valid_from::text AS "validFrom", s.valid_until::text AS "validUntil", s.decision_no AS "decisionNo", s.reason,
  s.decided_by_org_id AS "decidedByOrgId", s.revoked_on::text AS "revokedOn", s.revoked_reason AS "revokedReason"`;

/** Insert a sanction (superseding the one it corrects); the new id. Call inside the caller's transaction. */
export async function insertSanction(q: Queryable, s: NewSanction): Promise<number> {
  const id = (
    await q.query<{ id: number }>(
      `INSERT INTO ethics_sanctions (teacher_id, case_id, kind, decided_on, valid_from, valid_until, decision_no, reason,
         decided_by_org_id, recorded_by, corrects)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
      [s.teacherId, s.caseId, s.kind, s.decidedOn, s.validFrom, s.validUntil, s.decisionNo, s.reason, s.decidedByOrgId, s.recordedBy, s.corrects ?? null],
    )
  ).rows[0].id;
  if (s.corrects)
    await q.query('UPDATE ethics_sanctions SET superseded_by = $1, superseded_at = now() WHERE id = $2 AND superseded_at IS NULL', [id, s.corrects]);
  // 行业禁入: the register gets the ban in the same step, from the teacher's sealed 身份证号 (no decryption). The
  // ban follows its sanction: superseded or revoked, it no longer blocks (bans.repository.ts bansInForce).
  if (s.kind === 'barred')
    await q.query(
      `INSERT INTO ethics_bans (national_id_idx, national_id_enc, name_enc, sanction_id, source, decided_on, valid_from, valid_until,
         registered_by_org_id, registered_by)
       SELECT t.national_id_idx, t.national_id_enc, NULL, $1, $2, $3, $4, $5, $6, $7 FROM teachers t WHERE t.id = $8`,
      [id, s.decisionNo ? `师德处理决定 ${s.decisionNo}` : '师德处理决定', s.decidedOn, s.validFrom, s.validUntil, s.decidedByOrgId, s.recordedBy, s.teacherId],
    );
  return id;
}

/** The teacher's sanctions in force on `date` (not superseded, not revoked by then, date within the term). */
export async function sanctionsInForce(q: Queryable, teacherId: number, date: string): Promise<SanctionRow[]> {
  return (
    await q.query<SanctionRow>(
      `SELECT ${COLUMNS} FROM ethics_sanctions s
        WHERE s.teacher_id = $1 AND s.superseded_at IS NULL AND s.valid_from <= $2::date
          AND (s.valid_until IS NULL OR s.valid_until >= $2::date) AND (s.revoked_on IS NULL OR s.revoked_on > $2::date)
        ORDER BY s.valid_from, s.id`,
      [teacherId, date],
    )
  ).rows;
}

/** Every sanction of the teacher, superseded ones included (the 诚信档案 shows the whole history). */
export async function sanctionsOf(q: Queryable, teacherId: number): Promise<(SanctionRow & { supersededBy: number | null })[]> {
  return (
    await q.query<SanctionRow & { supersededBy: number | null }>(
      `SELECT ${COLUMNS}, s.superseded_by AS "supersededBy" FROM ethics_sanctions s WHERE s.teacher_id = $1 ORDER BY s.valid_from, s.id`,
      [teacherId],
    )
  ).rows;
}

// ---------------------------------------------------------------- cases (issue 12 item 2): 撤销处分
/** Revoke a sanction (an appeal's second decision annuls it): revoked_on/revoked_reason set once; false if it already was. */
export async function revokeSanction(q: Queryable, id: number, on: string, reason: string): Promise<boolean> {
  const r = await q.query('UPDATE ethics_sanctions SET revoked_on = $2, revoked_reason = $3 WHERE id = $1 AND revoked_on IS NULL AND superseded_at IS NULL', [
    id,
    on,
    reason,
  ]);
  return (r.rowCount ?? 0) > 0;
}
