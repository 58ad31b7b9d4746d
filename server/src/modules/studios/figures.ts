import type { Queryable } from '../../db/db.js';

/**
 * The studios module's figure for the policy engine's region targets (issue 13 item 6): studios founded (命名) per
 * year, of one kind and level, named by an org of the region (its subtree), as of a date. A studio counts in the
 * year of its naming date once that date has come; one de-listed (撤销, the `delist` step of its history) on or
 * before the date no longer counts — in any year. A studio whose term ended (期满) was founded all the same and
 * still counts. Only the years from..to that have begun by `on` are returned (a missing year is a real zero).
 */
export async function studiosFoundedByYear(
  q: Queryable,
  f: { rootPath: string; kind: string; level: string; fromYear: number; toYear: number; on: string },
): Promise<Map<number, number>> {
  const r = await q.query<{ y: number; n: number }>(
    `SELECT extract(year FROM s.named_on)::int AS y, count(*)::int AS n
       FROM studios s JOIN orgs o ON o.id = s.naming_org_id
      WHERE o.path LIKE $1 || '%' AND s.kind = $2 AND s.level = $3
        AND s.named_on BETWEEN make_date($4, 1, 1) AND LEAST(make_date($5, 12, 31), $6::date)
        AND NOT EXISTS (SELECT 1 FROM studio_history h WHERE h.studio_id = s.id AND h.action = 'delist' AND h.on_date <= $6::date)
      GROUP BY 1`,
    [f.rootPath, f.kind, f.level, f.fromYear, f.toYear, f.on],
  );
  return new Map(r.rows.map((x) => [Number(x.y), Number(x.n)]));
}
