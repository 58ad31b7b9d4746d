import type { Queryable } from '../../db/db.js';

/** A record already held for a teacher that a new one may duplicate: a ledger entry, or a claim under review. */
export interface CandidateRow {
  kind: 'ledger' | 'claim';
  id: number;
  teacher_id: number;
  /** Ledger: project / claim / import / schoolBased; claim: 'claimPending'. */
  source_type: string;
  title: string;
  hours: number;
  occurred_on: string;
  /** A project's hours: its last session's date (occurred_on is the first's). */
  last_on: string | null;
  /** The claim behind a ledger entry from a claim, or the pending claim itself. */
  claim_id: number | null;
  project_id: number | null;
  status: string | null;
}

const TEACHER_CHUNK = 2000;

/**
 * The teachers' hour records dated between from and to: positive ledger entries not reversed (a
 * claim's entry carries the claim's title); a project's entries as one record per teacher and project
 * (its name, the hours summed, first to last session: a claim covers the whole course); and claims
 * waiting for review (submitted / schoolApproved; an approved claim is in the ledger already).
 */
export async function candidates(q: Queryable, teacherIds: number[], from: string, to: string): Promise<CandidateRow[]> {
  const out: CandidateRow[] = [];
  for (let i = 0; i < teacherIds.length; i += TEACHER_CHUNK) {
    const ids = teacherIds.slice(i, i + TEACHER_CHUNK);
    const r = await q.query<CandidateRow>(
      `SELECT 'ledger' AS kind, e.id::int AS id, e.teacher_id, e.source_type,
              COALESCE(hc.title, CASE WHEN e.source_type IN ('import', 'claim') THEN regexp_replace(e.description, '^[^：]*：', '')
                                      ELSE e.description END) AS title,
              e.hours::float8 AS hours, to_char(e.occurred_on, 'YYYY-MM-DD') AS occurred_on, NULL AS last_on, hc.id AS claim_id,
              e.project_id, NULL AS status
         FROM ledger_entries e
         LEFT JOIN hour_claims hc ON e.source_type = 'claim' AND e.dedupe_key = 'claim:' || hc.id
        WHERE e.teacher_id = ANY($1::int[]) AND e.occurred_on BETWEEN $2::date AND $3::date AND e.hours > 0 AND e.reverses_id IS NULL
          AND e.project_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries x WHERE x.reverses_id = e.id)
       UNION ALL
       SELECT 'ledger', min(e.id)::int, e.teacher_id, 'project', p.name, sum(e.hours)::float8, to_char(min(e.occurred_on), 'YYYY-MM-DD'),
              to_char(max(e.occurred_on), 'YYYY-MM-DD'), NULL, e.project_id, NULL
         FROM ledger_entries e JOIN projects p ON p.id = e.project_id
        WHERE e.teacher_id = ANY($1::int[]) AND e.hours > 0 AND e.reverses_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM ledger_entries x WHERE x.reverses_id = e.id)
          AND e.project_id IN (SELECT y.project_id FROM ledger_entries y
                                WHERE y.teacher_id = ANY($1::int[]) AND y.occurred_on BETWEEN $2::date AND $3::date AND y.project_id IS NOT NULL)
        GROUP BY e.teacher_id, e.project_id, p.name
       UNION ALL
       SELECT 'claim', c.id, c.teacher_id, 'claimPending', c.title, COALESCE(c.approved_hours, c.hours)::float8, to_char(c.occurred_on, 'YYYY-MM-DD'),
              NULL, c.id, NULL, c.status
         FROM hour_claims c
        WHERE c.teacher_id = ANY($1::int[]) AND c.occurred_on BETWEEN $2::date AND $3::date AND c.status IN ('submitted', 'schoolApproved')
        ORDER BY 7, 2`,
      [ids, from, to],
    );
    out.push(...r.rows);
  }
  return out;
}
