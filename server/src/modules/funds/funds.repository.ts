import type { Queryable } from '../../db/db.js';
import { SPENDABLE_PROJECT_STATES } from '../policies/policy.funds.js';

/** SQL of the funds module (issue 14 item 6). Every read is scoped by an org path; all tables are append-only. */

export interface OrgRow {
  id: number;
  name: string;
  path: string;
  level: string;
  kind: string;
  stage: string | null;
}

export async function orgInScope(q: Queryable, orgId: number, scopePath: string): Promise<OrgRow | null> {
  const r = await q.query<OrgRow>(`SELECT id, name, path, level, kind, stage FROM orgs WHERE id = $1 AND path LIKE $2 || '%'`, [orgId, scopePath]);
  return r.rows[0] ?? null;
}

/** Schools and county bureaus of a subtree: the orgs the funding rules are evaluated for. */
export async function fundOrgs(q: Queryable, rootPath: string): Promise<OrgRow[]> {
  const r = await q.query<OrgRow>(
    `SELECT id, name, path, level, kind, stage FROM orgs
      WHERE path LIKE $1 || '%' AND (kind = 'school' OR (kind = 'bureau' AND level = 'county')) AND closed_at IS NULL
      ORDER BY path`,
    [rootPath],
  );
  return r.rows;
}

export interface BudgetRow {
  id: number;
  org_id: number;
  year: number;
  amount_fen: number;
  source: string;
  note: string;
  supersedes: number | null;
  reason: string | null;
  recorded_by_name: string | null;
  recorded_at: string;
  current: boolean;
}

export async function budgets(q: Queryable, orgId: number, year: number): Promise<BudgetRow[]> {
  const r = await q.query<BudgetRow>(
    `SELECT b.id, b.org_id, b.year, b.amount_fen, b.source, b.note, b.supersedes, b.reason, u.display_name AS recorded_by_name,
            b.recorded_at::text, NOT EXISTS (SELECT 1 FROM fund_budgets n WHERE n.supersedes = b.id) AS current
       FROM fund_budgets b LEFT JOIN users u ON u.id = b.recorded_by
      WHERE b.org_id = $1 AND b.year = $2 ORDER BY b.id`,
    [orgId, year],
  );
  return r.rows;
}

export async function budgetById(q: Queryable, id: number): Promise<{ id: number; org_id: number; year: number; superseded: boolean } | null> {
  const r = await q.query<{ id: number; org_id: number; year: number; superseded: boolean }>(
    `SELECT id, org_id, year, EXISTS (SELECT 1 FROM fund_budgets n WHERE n.supersedes = b.id) AS superseded FROM fund_budgets b WHERE id = $1`,
    [id],
  );
  return r.rows[0] ?? null;
}

export async function insertBudget(
  q: Queryable,
  b: { orgId: number; year: number; amountFen: number; source: string; note: string; supersedes: number | null; reason: string | null; userId: number },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO fund_budgets (org_id, year, amount_fen, source, note, supersedes, reason, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
    [b.orgId, b.year, b.amountFen, b.source, b.note, b.supersedes, b.reason, b.userId],
  );
  return r.rows[0].id;
}

export interface BaseRow {
  id: number;
  org_id: number;
  year: number;
  metric: 'publicFundBudget' | 'salaryTotal';
  amount_fen: number;
  source: string;
  supersedes: number | null;
  reason: string | null;
  recorded_by_name: string | null;
  recorded_at: string;
}

/** Every base figure of an org and year, oldest first (the history); the last per metric is current. */
export async function baseFigures(q: Queryable, orgId: number, year: number): Promise<BaseRow[]> {
  const r = await q.query<BaseRow>(
    `SELECT f.id, f.org_id, f.year, f.metric, f.amount_fen, f.source, f.supersedes, f.reason, u.display_name AS recorded_by_name, f.recorded_at::text
       FROM fund_base_figures f LEFT JOIN users u ON u.id = f.recorded_by
      WHERE f.org_id = $1 AND f.year = $2 ORDER BY f.id`,
    [orgId, year],
  );
  return r.rows;
}

export async function currentBase(q: Queryable, orgId: number, year: number, metric: string): Promise<{ id: number; amount_fen: number } | null> {
  const r = await q.query<{ id: number; amount_fen: number }>(
    `SELECT id, amount_fen FROM fund_base_figures WHERE org_id = $1 AND year = $2 AND metric = $3 ORDER BY id DESC LIMIT 1`,
    [orgId, year, metric],
  );
  return r.rows[0] ?? null;
}

export async function insertBase(
  q: Queryable,
  b: { orgId: number; year: number; metric: string; amountFen: number; source: string; supersedes: number | null; reason: string | null; userId: number },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO fund_base_figures (org_id, year, metric, amount_fen, source, supersedes, reason, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
    [b.orgId, b.year, b.metric, b.amountFen, b.source, b.supersedes, b.reason, b.userId],
  );
  return r.rows[0].id;
}

export interface ProjectRow {
  id: number;
  name: string;
  status: string;
  org_name: string;
}

/** Projects of the subtree money may be spent on (专款专用). */
export async function spendableProjects(q: Queryable, orgPath: string): Promise<ProjectRow[]> {
  const r = await q.query<ProjectRow>(
    `SELECT p.id, p.name, p.status, o.name AS org_name FROM projects p JOIN orgs o ON o.id = p.org_id
      WHERE o.path LIKE $1 || '%' AND p.status = ANY($2::text[]) ORDER BY p.id DESC LIMIT 500`,
    [orgPath, SPENDABLE_PROJECT_STATES],
  );
  return r.rows;
}

export async function projectFor(q: Queryable, projectId: number): Promise<{ id: number; name: string; status: string; path: string } | null> {
  const r = await q.query<{ id: number; name: string; status: string; path: string }>(
    `SELECT p.id, p.name, p.status, o.path FROM projects p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1`,
    [projectId],
  );
  return r.rows[0] ?? null;
}

export interface EntryRow {
  id: number;
  org_id: number;
  org_name: string;
  entry_date: string;
  voucher_no: string;
  project_id: number;
  project_name: string;
  project_status: string;
  project_path: string;
  category: string;
  amount_fen: number;
  voucher_file_id: number | null;
  voucher_name: string | null;
  note: string;
  reverses: number | null;
  reason: string | null;
  reversed_by: number | null;
  recorded_by_name: string | null;
  recorded_at: string;
  org_path: string;
}

const ENTRY_SELECT = `SELECT e.id, e.org_id, o.name AS org_name, o.path AS org_path, e.entry_date, e.voucher_no, e.project_id, p.name AS project_name,
            p.status AS project_status, po.path AS project_path, e.category, e.amount_fen, e.voucher_file_id, f.original_name AS voucher_name,
            e.note, e.reverses, e.reason, (SELECT r.id FROM fund_entries r WHERE r.reverses = e.id) AS reversed_by,
            u.display_name AS recorded_by_name, e.recorded_at::text
       FROM fund_entries e JOIN orgs o ON o.id = e.org_id JOIN projects p ON p.id = e.project_id JOIN orgs po ON po.id = p.org_id
       LEFT JOIN files f ON f.id = e.voucher_file_id LEFT JOIN users u ON u.id = e.recorded_by`;

/** The entries of one org dated in a year (冲销 rows dated when they were made). */
export async function entries(q: Queryable, orgId: number, year: number): Promise<EntryRow[]> {
  const r = await q.query<EntryRow>(
    `${ENTRY_SELECT} WHERE e.org_id = $1 AND e.entry_date >= make_date($2, 1, 1) AND e.entry_date < make_date($2 + 1, 1, 1) ORDER BY e.entry_date, e.id`,
    [orgId, year],
  );
  return r.rows;
}

export async function entryById(q: Queryable, id: number): Promise<EntryRow | null> {
  const r = await q.query<EntryRow>(`${ENTRY_SELECT} WHERE e.id = $1`, [id]);
  return r.rows[0] ?? null;
}

/** 专款专用 report: entries of the subtree in the year not (or no longer) on a spendable project of their org's subtree. */
export async function unearmarked(q: Queryable, rootPath: string, year: number): Promise<EntryRow[]> {
  const r = await q.query<EntryRow>(
    `${ENTRY_SELECT} WHERE o.path LIKE $1 || '%' AND e.entry_date >= make_date($2, 1, 1) AND e.entry_date < make_date($2 + 1, 1, 1)
        AND e.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses = e.id)
        AND (NOT (p.status = ANY($3::text[])) OR NOT (po.path LIKE o.path || '%'))
      ORDER BY o.path, e.entry_date, e.id`,
    [rootPath, year, SPENDABLE_PROJECT_STATES],
  );
  return r.rows;
}

export async function insertEntry(
  q: Queryable,
  e: {
    orgId: number;
    date: string;
    voucherNo: string;
    projectId: number;
    category: string;
    amountFen: number;
    voucherFileId: number | null;
    note: string;
    reverses: number | null;
    reason: string | null;
    userId: number;
  },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO fund_entries (org_id, entry_date, voucher_no, project_id, category, amount_fen, voucher_file_id, note, reverses, reason, recorded_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
    [e.orgId, e.date, e.voucherNo, e.projectId, e.category, e.amountFen, e.voucherFileId, e.note, e.reverses, e.reason, e.userId],
  );
  return r.rows[0].id;
}

/** Spending (entries minus 冲销) per org of a subtree in a year, in fen. */
export async function spentByOrg(q: Queryable, rootPath: string, year: number): Promise<Map<number, number>> {
  const r = await q.query<{ org_id: number; fen: number }>(
    `SELECT e.org_id, sum(e.amount_fen)::bigint AS fen FROM fund_entries e JOIN orgs o ON o.id = e.org_id
      WHERE o.path LIKE $1 || '%' AND e.entry_date >= make_date($2, 1, 1) AND e.entry_date < make_date($2 + 1, 1, 1)
      GROUP BY e.org_id`,
    [rootPath, year],
  );
  return new Map(r.rows.map((x) => [x.org_id, Number(x.fen)]));
}

/** The current base figure per org and metric of a subtree in a year, in fen. */
export async function basesByOrg(q: Queryable, rootPath: string, year: number): Promise<Map<number, Map<string, number>>> {
  const r = await q.query<{ org_id: number; metric: string; amount_fen: number }>(
    `SELECT DISTINCT ON (f.org_id, f.metric) f.org_id, f.metric, f.amount_fen FROM fund_base_figures f JOIN orgs o ON o.id = f.org_id
      WHERE o.path LIKE $1 || '%' AND f.year = $2 ORDER BY f.org_id, f.metric, f.id DESC`,
    [rootPath, year],
  );
  const out = new Map<number, Map<string, number>>();
  for (const x of r.rows) {
    const m = out.get(x.org_id) ?? new Map<string, number>();
    m.set(x.metric, Number(x.amount_fen));
    out.set(x.org_id, m);
  }
  return out;
}

/** The current budget (sum of current rows) per org of a subtree in a year, in fen. */
export async function budgetsByOrg(q: Queryable, rootPath: string, year: number): Promise<Map<number, number>> {
  const r = await q.query<{ org_id: number; fen: number }>(
    `SELECT b.org_id, sum(b.amount_fen)::bigint AS fen FROM fund_budgets b JOIN orgs o ON o.id = b.org_id
      WHERE o.path LIKE $1 || '%' AND b.year = $2 AND NOT EXISTS (SELECT 1 FROM fund_budgets n WHERE n.supersedes = b.id)
      GROUP BY b.org_id`,
    [rootPath, year],
  );
  return new Map(r.rows.map((x) => [x.org_id, Number(x.fen)]));
}

export interface OverrideRow {
  org_id: number;
  amount_fen: number;
  reason: string;
  recorded_by_name: string | null;
  recorded_at: string;
}

/** The override in force per org of a subtree and year (the latest row, unless it is a 撤销). */
export async function overridesByOrg(q: Queryable, rootPath: string, year: number): Promise<Map<number, OverrideRow>> {
  const r = await q.query<OverrideRow & { cleared: boolean }>(
    `SELECT DISTINCT ON (v.org_id) v.org_id, v.amount_fen, v.cleared, v.reason, u.display_name AS recorded_by_name, v.recorded_at::text
       FROM fund_overrides v JOIN orgs o ON o.id = v.org_id LEFT JOIN users u ON u.id = v.recorded_by
      WHERE o.path LIKE $1 || '%' AND v.year = $2 ORDER BY v.org_id, v.id DESC`,
    [rootPath, year],
  );
  return new Map(r.rows.filter((x) => !x.cleared).map((x) => [x.org_id, { ...x, amount_fen: Number(x.amount_fen) }]));
}

export async function insertOverride(
  q: Queryable,
  o: { orgId: number; year: number; amountFen: number | null; cleared: boolean; reason: string; userId: number },
): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO fund_overrides (org_id, year, amount_fen, cleared, reason, recorded_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
    [o.orgId, o.year, o.amountFen, o.cleared, o.reason, o.userId],
  );
  return r.rows[0].id;
}
