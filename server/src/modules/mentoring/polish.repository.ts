import type { Queryable } from '../../db/db.js';

/** 磨课 rounds (migration 0050): what the mentoring gate and the key-teacher eligibility ask. */
export type PolishPurpose = 'newTeacher' | 'keyCandidate' | 'studio' | 'other';

export interface PolishSummary {
  /** Rounds held on or before the date (not superseded). */
  held: number;
  /** Of those, passed. */
  passed: number;
  /** Passed rounds evaluated by a research office (教研室), the evaluation 001 §三(四) requires. */
  passedByResearchOffice: number;
  lastHeldOn: string | null;
}

/**
 * The teacher's 磨课 rounds on or before `asOf` (optionally of one purpose and/or subject), as counts. The gate of
 * 001 §三(四) (可独立任教; key-teacher candidacy for 教龄 ≤ 3 年) is "two rounds passed and the 教研室's evaluation".
 */
export async function polishSummary(
  q: Queryable,
  teacherId: number,
  asOf: string,
  opts: { purpose?: PolishPurpose; subject?: string } = {},
): Promise<PolishSummary> {
  const r = await q.query<{ held: number; passed: number; by_office: number; last: string | null }>(
    `SELECT count(*)::int AS held,
            count(*) FILTER (WHERE p.result = 'passed')::int AS passed,
            count(*) FILTER (WHERE p.result = 'passed' AND o.kind = 'researchOffice')::int AS by_office,
            max(p.held_on)::text AS last
       FROM polish_rounds p JOIN orgs o ON o.id = p.evaluator_org_id
      WHERE p.teacher_id = $1 AND p.superseded_at IS NULL AND p.held_on <= $2::date
        AND ($3::text IS NULL OR p.purpose = $3) AND ($4::text IS NULL OR p.subject = $4)`,
    [teacherId, asOf, opts.purpose ?? null, opts.subject ?? null],
  );
  const row = r.rows[0];
  return { held: row.held, passed: row.passed, passedByResearchOffice: row.by_office, lastHeldOn: row.last };
}
