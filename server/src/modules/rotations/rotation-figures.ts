/**
 * 交流轮岗 figures (issue 14 item 2): the rules in force (the `rotation` policy key), who is eligible on a date,
 * the counts per county and school against the annual share, and rotationServiceFor — the per-teacher summary
 * other modules (职称 eligibility, 骨干教师) read.
 */
import type { Queryable } from '../../db/db.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import { ROTATION_DEFAULT, type RotationPolicy } from '../policies/policy.rotation.js';

export interface RotationRules {
  rules: RotationPolicy;
  source: string;
}
const DEFAULT_SOURCE = '平台默认规则（国家规定，种子文件未给出比例）';

/** The rotation rules in force at an org path on `date`: the nearest policy in force with a `rotation` key, else the default. */
export async function rotationRulesAt(q: Queryable, orgPath: string, date: string): Promise<RotationRules> {
  const found = (await policiesInForceAt(q, orgPath))
    .filter((p) => p.policy.period.from <= date && (p.policy.period.to === null || date <= p.policy.period.to) && p.policy.rotation)
    .sort((a, b) => longest(b) - longest(a))[0];
  return found?.policy.rotation ? { rules: found.policy.rotation, source: found.policy.title } : { rules: ROTATION_DEFAULT, source: DEFAULT_SOURCE };
}
const longest = (p: { attachments: { org_path: string }[] }) => Math.max(0, ...p.attachments.map((a) => a.org_path.length));

/** ceil(eligible × share) without float noise (30 × 0.1 is 3, not 4). */
export const neededOf = (eligible: number, share: number) => Math.ceil(Math.round(eligible * share * 1e6) / 1e6);

/** `date` minus `years` calendar years (02-29 → 02-28). */
export function yearsBefore(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) - years;
  const md = date.slice(5);
  return `${y}-${md === '02-29' ? '02-28' : md}`;
}

/** Full years from `from` to `to`. */
export function fullYears(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

/**
 * Teachers eligible for rotation on `on` under `underPath`: their school on that day (the assignment valid then)
 * is a school of one of `rules.stages`, they are 在职 that day, and they have served there at least
 * rules.eligibleYears full years (since the assignment began, else their hire date).
 */
export async function eligibleOn(q: Queryable, underPath: string, on: string, rules: RotationPolicy, limit = 100000) {
  return (
    await q.query<{ teacherId: number; name: string; orgId: number; orgName: string; orgPath: string; since: string; stage: string }>(
      `SELECT t.id AS "teacherId", t.name, o.id AS "orgId", o.name AS "orgName", o.path AS "orgPath", o.stage,
              COALESCE(a.valid_from, t.hire_date)::text AS since
         FROM teachers t
         JOIN LATERAL (SELECT x.org_id, x.valid_from FROM teacher_assignments x
                        WHERE x.teacher_id = t.id AND x.superseded_at IS NULL
                          AND (x.valid_from IS NULL OR x.valid_from <= $2::date) AND (x.valid_until IS NULL OR x.valid_until >= $2::date)
                        ORDER BY x.id DESC LIMIT 1) a ON true
         JOIN orgs o ON o.id = a.org_id
        WHERE o.path LIKE $1 || '%' AND o.kind = 'school' AND o.stage = ANY($3::text[])
          AND COALESCE((SELECT s.status FROM teacher_statuses s WHERE s.teacher_id = t.id AND s.superseded_at IS NULL
                          AND (s.valid_from IS NULL OR s.valid_from <= $2::date) AND (s.valid_until IS NULL OR s.valid_until >= $2::date)
                        ORDER BY s.id DESC LIMIT 1), t.status) = 'active'
          AND COALESCE(a.valid_from, t.hire_date) <= $4::date
        ORDER BY COALESCE(a.valid_from, t.hire_date), t.id
        LIMIT ${Math.max(1, Math.min(limit, 100000))}`,
      [underPath, on, rules.stages, yearsBefore(on, rules.eligibleYears)],
    )
  ).rows;
}

export interface UnitCount {
  orgId: number;
  orgName: string;
  kind: 'county' | 'school';
  countyId: number;
  eligible: number;
  needed: number;
  planned: number | null;
  recorded: number;
  short: number;
}

/**
 * Counts for `year` of every county bureau (level county) and its schools under `scopePath` (or the one county or
 * school the caller is): eligible on 1 January of the year, needed = ⌈eligible × share⌉, recorded = records in
 * force of a counted kind starting in the year from a school of the unit, short = needed − recorded (≥ 0), and the
 * plan in force. A county's plan is its own plan, else the sum of its schools' plans.
 */
export async function countsFor(q: Queryable, scopePath: string, year: number) {
  const on = `${year}-01-01`;
  const counties = (
    await q.query<{ id: number; name: string; path: string }>(
      `SELECT id, name, path FROM orgs WHERE kind = 'bureau' AND level = 'county' AND (path LIKE $1 || '%' OR $1 LIKE path || '%') ORDER BY path`,
      [scopePath],
    )
  ).rows;
  const units: UnitCount[] = [];
  const rulesUsed: { countyId: number; rules: RotationPolicy; source: string }[] = [];
  for (const c of counties) {
    const { rules, source } = await rotationRulesAt(q, c.path, on);
    rulesUsed.push({ countyId: c.id, rules, source });
    const eligible = await eligibleOn(q, c.path, on, rules);
    const schools = (
      await q.query<{ id: number; name: string; path: string }>(
        `SELECT id, name, path FROM orgs WHERE kind = 'school' AND path LIKE $1 || '%' AND path LIKE $2 || '%' AND stage = ANY($3::text[]) ORDER BY path`,
        [c.path, scopePath.startsWith(c.path) ? scopePath : c.path, rules.stages],
      )
    ).rows;
    const recorded = (
      await q.query<{ from_org_id: number; n: number }>(
        `SELECT r.from_org_id, count(*)::int AS n FROM rotation_records r JOIN orgs o ON o.id = r.from_org_id
          WHERE r.superseded_at IS NULL AND o.path LIKE $1 || '%' AND r.kind = ANY($2::text[])
            AND r.start_date >= $3::date AND r.start_date <= $4::date
          GROUP BY r.from_org_id`,
        [c.path, rules.countedKinds, on, `${year}-12-31`],
      )
    ).rows;
    const rec = new Map(recorded.map((r) => [r.from_org_id, r.n]));
    const plans = new Map(
      (
        await q.query<{ org_id: number; planned_count: number }>(
          `SELECT p.org_id, p.planned_count FROM rotation_plans p JOIN orgs o ON o.id = p.org_id
            WHERE p.superseded_at IS NULL AND p.year = $2 AND o.path LIKE $1 || '%'`,
          [c.path, year],
        )
      ).rows.map((p) => [p.org_id, p.planned_count]),
    );
    const share = rules.annualShare;
    const schoolUnits: UnitCount[] = schools.map((s) => {
      const e = eligible.filter((x) => x.orgId === s.id).length;
      const r = rec.get(s.id) ?? 0;
      const needed = neededOf(e, share);
      return {
        orgId: s.id,
        orgName: s.name,
        kind: 'school',
        countyId: c.id,
        eligible: e,
        needed,
        planned: plans.get(s.id) ?? null,
        recorded: r,
        short: Math.max(0, needed - r),
      };
    });
    if (!scopePath.startsWith(c.path) || scopePath === c.path) {
      const recordedAll = [...rec.values()].reduce((a, b) => a + b, 0);
      const needed = neededOf(eligible.length, share);
      const schoolPlans = schoolUnits.filter((s) => s.planned !== null);
      units.push({
        orgId: c.id,
        orgName: c.name,
        kind: 'county',
        countyId: c.id,
        eligible: eligible.length,
        needed,
        planned: plans.get(c.id) ?? (schoolPlans.length ? schoolPlans.reduce((a, s) => a + (s.planned ?? 0), 0) : null),
        recorded: recordedAll,
        short: Math.max(0, needed - recordedAll),
      });
    }
    units.push(...schoolUnits);
  }
  return {
    year,
    eligibleOn: on,
    units,
    rules: rulesUsed.map((r) => ({
      countyId: r.countyId,
      source: r.source,
      eligibleYears: r.rules.eligibleYears,
      annualShare: r.rules.annualShare,
      countedKinds: r.rules.countedKinds,
      stages: r.rules.stages,
      cite: r.rules.cite ?? [],
      assumptions: r.rules.assumptions ?? [],
    })),
  };
}

export interface RotationService {
  teacherId: number;
  /** Has served a 交流/轮岗/支教 (or a school-of-record change of kind 'rotation') that began on or before asOf. */
  hasRotation: boolean;
  kinds: string[];
  /** Days served at rural schools up to asOf (each record's start … min(end, asOf), inclusive). */
  ruralDays: number;
  /** Full years of rural service (ruralDays ÷ 365, rounded down). */
  ruralYears: number;
}

/**
 * Per teacher, as of a date: rotation experience and rural service (for 职称 eligibility and 骨干教师 selection).
 * Reads the records in force; 送教下乡 (short visits) is not rotation experience but its rural days count.
 */
export async function rotationServiceFor(q: Queryable, teacherIds: number[], asOf: string): Promise<Map<number, RotationService>> {
  const out = new Map<number, RotationService>(teacherIds.map((id) => [id, { teacherId: id, hasRotation: false, kinds: [], ruralDays: 0, ruralYears: 0 }]));
  if (!teacherIds.length) return out;
  const rows = (
    await q.query<{ teacher_id: number; kind: string; rural: boolean; days: number }>(
      `SELECT teacher_id, kind, rural, (LEAST(COALESCE(end_date, $2::date), $2::date) - start_date + 1)::int AS days
         FROM rotation_records WHERE teacher_id = ANY($1::int[]) AND superseded_at IS NULL AND start_date <= $2::date`,
      [teacherIds, asOf],
    )
  ).rows;
  for (const r of rows) {
    const s = out.get(r.teacher_id);
    if (!s) continue;
    if (!s.kinds.includes(r.kind)) s.kinds.push(r.kind);
    if (r.kind !== 'sendTeaching') s.hasRotation = true;
    if (r.rural) s.ruralDays += r.days;
  }
  const legacy = (
    await q.query<{ teacher_id: number }>(
      `SELECT DISTINCT teacher_id FROM teacher_assignments WHERE teacher_id = ANY($1::int[]) AND kind = 'rotation' AND superseded_at IS NULL AND valid_from <= $2::date`,
      [teacherIds, asOf],
    )
  ).rows;
  for (const r of legacy) {
    const s = out.get(r.teacher_id);
    if (s) s.hasRotation = true;
  }
  for (const s of out.values()) s.ruralYears = Math.floor(s.ruralDays / 365);
  return out;
}
