import type { Queryable } from '../../db/db.js';

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
}

/** Every org in the subtree under scopePath, with its active-teacher count. */
export async function listSubtree(q: Queryable, scopePath: string): Promise<OrgRow[]> {
  const r = await q.query<OrgRow>(
    `SELECT o.id, o.code, o.name, o.level, o.kind, o.stage, o.parent_id, o.path,
            COALESCE(t.n, 0)::int AS teacher_count
       FROM orgs o
       LEFT JOIN (SELECT org_id, count(*) AS n FROM teachers WHERE status = 'active' GROUP BY org_id) t ON t.org_id = o.id
      WHERE o.path LIKE $1 || '%'
      ORDER BY o.path`,
    [scopePath],
  );
  return r.rows;
}

export async function findInScope(q: Queryable, scopePath: string, where: { id?: number; code?: string; name?: string }): Promise<OrgRow | null> {
  const [col, val] = where.id !== undefined ? ['id', where.id] : where.code !== undefined ? ['code', where.code] : ['name', where.name];
  const r = await q.query<OrgRow>(`SELECT o.*, 0 AS teacher_count FROM orgs o WHERE o.${col} = $1 AND o.path LIKE $2 || '%' LIMIT 1`, [val, scopePath]);
  return r.rows[0] ?? null;
}

export async function insertOrg(
  q: Queryable,
  o: { code: string; name: string; level: string; kind: string; stage?: string | null; parentId: number | null; publicFundBudget?: number | null },
): Promise<{ id: number; path: string }> {
  const parent = o.parentId ? (await q.query<{ path: string }>('SELECT path FROM orgs WHERE id = $1', [o.parentId])).rows[0] : null;
  const r = await q.query<{ id: number }>(
    `INSERT INTO orgs (code, name, level, kind, stage, parent_id, path, public_fund_budget) VALUES ($1,$2,$3,$4,$5,$6,'',$7) RETURNING id`,
    [o.code, o.name, o.level, o.kind, o.stage ?? null, o.parentId, o.publicFundBudget ?? null],
  );
  const id = r.rows[0].id;
  const path = `${parent?.path ?? '/'}${id}/`;
  await q.query('UPDATE orgs SET path = $1 WHERE id = $2', [path, id]);
  return { id, path };
}
