/** SQL of the plan cycle (issue 14 item 5): units and their reviewer, filings, items, decisions, reviews. */
import type { Queryable } from '../../db/db.js';

export interface OrgRow {
  id: number;
  name: string;
  path: string;
  kind: string;
  level: string;
}

/** China date of a timestamptz column. */
export const chinaDate = (col: string) => `((${col}) AT TIME ZONE INTERVAL '+08:00')::date::text`;

const ancestorIds = (path: string) => path.split('/').filter(Boolean).map(Number);

/** The bureau a unit files with: the nearest bureau strictly above it. */
export async function reviewerOf(q: Queryable, unit: OrgRow): Promise<OrgRow | null> {
  const ids = ancestorIds(unit.path).filter((id) => id !== unit.id);
  if (!ids.length) return null;
  const r = await q.query<OrgRow>(
    `SELECT id, name, path, kind, level FROM orgs WHERE id = ANY($1::int[]) AND kind = 'bureau' ORDER BY length(path) DESC LIMIT 1`,
    [ids],
  );
  return r.rows[0] ?? null;
}

export async function orgById(q: Queryable, id: number): Promise<OrgRow | null> {
  return (await q.query<OrgRow>('SELECT id, name, path, kind, level FROM orgs WHERE id = $1', [id])).rows[0] ?? null;
}

/**
 * The units that file with bureau B: open schools and bureaus below B with no other bureau between them and B.
 */
export async function unitsOf(q: Queryable, bureau: OrgRow): Promise<OrgRow[]> {
  const r = await q.query<OrgRow>(
    `SELECT o.id, o.name, o.path, o.kind, o.level FROM orgs o
      WHERE o.path LIKE $1 || '%' AND o.id <> $2 AND o.kind IN ('school','bureau') AND o.closed_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM orgs b WHERE b.kind = 'bureau' AND b.id <> o.id AND b.id <> $2
                          AND b.path LIKE $1 || '%' AND o.path LIKE b.path || '%')
      ORDER BY o.kind DESC, o.path`,
    [bureau.path, bureau.id],
  );
  return r.rows;
}

export interface FilingRow {
  id: number;
  orgId: number;
  orgName: string;
  orgPath: string;
  year: number;
  version: number;
  previousId: number | null;
  planFileId: number;
  planFileName: string;
  trainingFileId: number | null;
  trainingFileName: string | null;
  note: string | null;
  submittedBy: string;
  submittedAt: string;
  submittedOn: string;
  decision: 'returned' | 'accepted' | null;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

const FILING_SQL = `SELECT f.id, f.org_id AS "orgId", o.name AS "orgName", o.path AS "orgPath", f.year, f.version, f.previous_id AS "previousId",
       f.plan_file_id::int AS "planFileId", pf.original_name AS "planFileName",
       f.training_file_id::int AS "trainingFileId", tf.original_name AS "trainingFileName", f.note,
       su.display_name AS "submittedBy", f.submitted_at AS "submittedAt", ${chinaDate('f.submitted_at')} AS "submittedOn",
       d.decision, d.reason, du.display_name AS "decidedBy", d.decided_at AS "decidedAt"
  FROM plan_filings f JOIN orgs o ON o.id = f.org_id
  JOIN files pf ON pf.id = f.plan_file_id LEFT JOIN files tf ON tf.id = f.training_file_id
  JOIN users su ON su.id = f.submitted_by
  LEFT JOIN plan_decisions d ON d.filing_id = f.id LEFT JOIN users du ON du.id = d.decided_by`;

export async function filingsOf(q: Queryable, orgId: number, year: number): Promise<FilingRow[]> {
  return (await q.query<FilingRow>(`${FILING_SQL} WHERE f.org_id = $1 AND f.year = $2 ORDER BY f.version DESC`, [orgId, year])).rows;
}

export async function filingById(q: Queryable, id: number, lock = false): Promise<FilingRow | null> {
  if (lock) await q.query('SELECT id FROM plan_filings WHERE id = $1 FOR UPDATE', [id]);
  return (await q.query<FilingRow>(`${FILING_SQL} WHERE f.id = $1`, [id])).rows[0] ?? null;
}

export interface ItemRow {
  filingId: number;
  position: number;
  kind: 'project' | 'budget' | 'hoursTarget';
  title: string;
  projectId: number | null;
  projectName: string | null;
  category: string | null;
  amount: number | null;
  targetPercent: number | null;
}

export async function itemsOf(q: Queryable, filingIds: number[]): Promise<ItemRow[]> {
  if (!filingIds.length) return [];
  return (
    await q.query<ItemRow>(
      `SELECT i.filing_id AS "filingId", i.position, i.kind, i.title, i.project_id AS "projectId", p.name AS "projectName", i.category,
              i.amount::float8 AS amount, i.target_percent::float8 AS "targetPercent"
         FROM plan_items i LEFT JOIN projects p ON p.id = i.project_id WHERE i.filing_id = ANY($1::int[]) ORDER BY i.filing_id, i.position`,
      [filingIds],
    )
  ).rows;
}

export interface UnitStatusRow {
  orgId: number;
  latestId: number | null;
  version: number | null;
  decision: 'returned' | 'accepted' | null;
  reason: string | null;
  firstOn: string | null;
  latestOn: string | null;
}

/** Per unit: the latest version of the year, its decision, and the China date of the first filing. */
export async function statusOf(q: Queryable, orgIds: number[], year: number): Promise<Map<number, UnitStatusRow>> {
  if (!orgIds.length) return new Map();
  const r = await q.query<UnitStatusRow>(
    `SELECT DISTINCT ON (f.org_id) f.org_id AS "orgId", f.id AS "latestId", f.version, d.decision, d.reason,
            (SELECT ${chinaDate('min(x.submitted_at)')} FROM plan_filings x WHERE x.org_id = f.org_id AND x.year = f.year) AS "firstOn",
            ${chinaDate('f.submitted_at')} AS "latestOn"
       FROM plan_filings f LEFT JOIN plan_decisions d ON d.filing_id = f.id
      WHERE f.year = $2 AND f.org_id = ANY($1::int[])
      ORDER BY f.org_id, f.version DESC`,
    [orgIds, year],
  );
  return new Map(r.rows.map((x) => [x.orgId, x]));
}

export interface ReviewRow {
  id: number;
  orgId: number;
  year: number;
  components: unknown;
  total: number;
  comment: string | null;
  asOf: string;
  reviewedBy: string;
  reviewedAt: string;
  supersededAt: string | null;
}

export async function reviewsOf(q: Queryable, orgId: number, year: number): Promise<ReviewRow[]> {
  return (
    await q.query<ReviewRow>(
      `SELECT r.id, r.org_id AS "orgId", r.year, r.components, r.total::float8 AS total, r.comment, r.as_of::text AS "asOf",
              u.display_name AS "reviewedBy", r.reviewed_at AS "reviewedAt", r.superseded_at AS "supersededAt"
         FROM plan_reviews r JOIN users u ON u.id = r.reviewed_by WHERE r.org_id = $1 AND r.year = $2 ORDER BY r.id DESC`,
      [orgId, year],
    )
  ).rows;
}

export async function reviewTotals(q: Queryable, orgIds: number[], year: number): Promise<Map<number, number>> {
  if (!orgIds.length) return new Map();
  const r = await q.query<{ orgId: number; total: number }>(
    `SELECT org_id AS "orgId", total::float8 AS total FROM plan_reviews WHERE year = $2 AND org_id = ANY($1::int[]) AND superseded_at IS NULL`,
    [orgIds, year],
  );
  return new Map(r.rows.map((x) => [x.orgId, x.total]));
}

/** Planned projects (items of the accepted, else latest, version) and whether each ran: a session held in the year up to asOf. */
export async function plannedProjectsRun(q: Queryable, filingId: number, year: number, asOf: string): Promise<{ planned: number; run: number }> {
  const r = await q.query<{ planned: number; run: number }>(
    `SELECT count(*)::int AS planned,
            count(*) FILTER (WHERE i.project_id IS NOT NULL AND EXISTS (
              SELECT 1 FROM project_sessions s WHERE s.project_id = i.project_id AND s.date BETWEEN make_date($2, 1, 1) AND LEAST(make_date($2, 12, 31), $3::date)))::int AS run
       FROM plan_items i WHERE i.filing_id = $1 AND i.kind = 'project'`,
    [filingId, year, asOf],
  );
  return r.rows[0];
}
