import type { Queryable } from '../../db/db.js';

/** The tiers that count as 遴选 by a bureau (县级 and above); 校级 骨干 are the school's own. */
export const TRACKED_TIERS = ['county', 'city', 'province', 'national'] as const;
/** 000 §二（五）2: “从小学、初中、高中各学科遴选1500名骨干教师，跟踪培训3年”. */
export const TRACKED_STAGES = ['primary', 'junior', 'senior'] as const;

/**
 * The key-teachers module's figure for the policy engine's `keyTeachersTracked` target (issue 13 item 6): per year,
 * the distinct 小学/初中/高中 teachers holding a key-teacher designation of a bureau tier (县级 and above) valid on at
 * least one day of that year up to `on` — a designation's term is the tracking period — who were at a school of the
 * region on the last such day. Designations are the teacher facts (`teacher_designations`) that the key-teachers
 * module writes through teacher-facts `designate`; superseded rows never count. Years that have not begun by `on`
 * are not returned.
 */
export async function keyTeachersTrackedByYear(
  q: Queryable,
  f: { rootPath: string; fromYear: number; toYear: number; on: string },
): Promise<Map<number, number>> {
  const r = await q.query<{ y: number; n: number }>(
    `WITH d AS (
       SELECT y, d.teacher_id, LEAST(make_date(y, 12, 31), $4::date, COALESCE(d.valid_until, DATE '9999-12-31')) AS last_day
         FROM generate_series($2::int, $3::int) AS y
         JOIN teacher_designations d ON d.superseded_at IS NULL AND d.level = ANY($5::text[])
          AND (d.valid_from IS NULL OR d.valid_from <= LEAST(make_date(y, 12, 31), $4::date))
          AND (d.valid_until IS NULL OR d.valid_until >= make_date(y, 1, 1))
        WHERE make_date(y, 1, 1) <= $4::date)
     SELECT d.y, count(DISTINCT d.teacher_id)::int AS n
       FROM d JOIN teachers t ON t.id = d.teacher_id
       JOIN teacher_assignments ta ON ta.teacher_id = d.teacher_id AND ta.superseded_at IS NULL
        AND (ta.valid_from IS NULL OR ta.valid_from <= d.last_day) AND (ta.valid_until IS NULL OR ta.valid_until >= d.last_day)
       JOIN orgs o ON o.id = ta.org_id
      WHERE o.path LIKE $1 || '%' AND t.stage = ANY($6::text[])
      GROUP BY d.y`,
    [f.rootPath, f.fromYear, f.toYear, f.on, [...TRACKED_TIERS], [...TRACKED_STAGES]],
  );
  return new Map(r.rows.map((x) => [Number(x.y), Number(x.n)]));
}
