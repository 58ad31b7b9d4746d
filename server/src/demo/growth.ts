import type { Queryable } from '../db/db.js';
import type { AppContext } from '../platform/context.js';
import type { CurrentUser, Role } from '../platform/access.js';
import { scopeOf } from '../platform/auth.js';
import { insertOrg } from '../modules/orgs/orgs.repository.js';
import { insertUser } from '../modules/users/users.repository.js';
import { todayInChina } from '../platform/china-time.js';
import { dayOf, isoOf, yearOf } from './calendar.js';
import type { OrgPlan } from './org-plan.js';
import { seedDemoStudios } from './growth-studios.js';
import { seedDemoKeyTeachers } from './growth-key-teachers.js';
import { seedDemoMentoring } from './growth-mentoring.js';
import { seedDemoCompetitions, seedDemoResearch } from './growth-competitions.js';

/**
 * Issue 13 (growing teachers) demo data: studios, 骨干教师 rounds, 师徒结对 and 磨课, a 基本功竞赛, a 课题 and a 学历提升
 * plan, written through the modules' own services (as the demo accounts would, so the data obeys their rules),
 * dated relative to the demo's "today". The services date what they record by the real date, so this part runs
 * only when the demo's asOf is today (`npm start`, the DB tests); a tiny demo (browser tests seed 20 teachers)
 * skips what its schools are too small for. Small: a few hundred rows.
 */
export interface GrowthContext {
  ctx: AppContext;
  plan: OrgPlan;
  refDay: number;
  /** 'YYYY-MM-DD' of refDay + n days. */
  day: (n: number) => string;
  year: number;
  log: (m: string) => void;
  as: (username: string, role: Role) => Promise<CurrentUser>;
  /** The demo county's 教研室 (researchOffice) and its 教研员 account `research.office`. */
  researchOffice: number;
  /** Teachers already given a part (so the studios' cap and the mentoring load cap hold). */
  cast: Cast;
}

/** The demo 教研员 account (教研室 of the demo county; role devCenter): records 磨课 evaluations that count as the 教研室's. */
export const RESEARCH_OFFICE_USER = 'research.office';

export async function seedDemoGrowth(ctx: AppContext, o: { plan: OrgPlan; refDay: number; log: (m: string) => void }): Promise<Record<string, number>> {
  const { plan, refDay, log } = o;
  const county = plan.counties[plan.demoCounty];
  // The 教研室 and its account exist in every demo (the login page lists the account).
  const office = await ctx.db.tx(async (q) => {
    // The demo password's hash, as the other demo accounts have it.
    const hash = (await q.query<{ h: string }>(`SELECT password_hash AS h FROM users WHERE username = 'city.admin'`)).rows[0].h;
    const org = await insertOrg(q, {
      code: `${county.bureau.code}-JYS`,
      name: county.bureau.name.replace(/教育局$/, '教研室'),
      level: 'county',
      kind: 'researchOffice',
      parentId: county.bureau.id,
    });
    await insertUser(q, { username: RESEARCH_OFFICE_USER, passwordHash: hash, displayName: '何静', role: 'devCenter', orgId: org.id });
    return org.id;
  });
  const active = (
    await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.status = 'active' AND o.path LIKE $1 || '%'`,
      [county.bureau.path],
    )
  ).rows[0].n;
  if (active < 60) {
    log(`工作室、骨干教师、师徒结对等示例数据：示例区县只有 ${active} 名在职教师（至少 60 名），跳过`);
    return {};
  }
  if (isoOf(refDay) !== todayInChina()) {
    log('工作室、骨干教师、师徒结对等示例数据只在基准日期为今天时生成（各模块按当天日期记录），跳过');
    return {};
  }
  const g: GrowthContext = {
    ctx,
    plan,
    refDay,
    day: (n) => isoOf(refDay + n),
    year: yearOf(refDay),
    log,
    as: (username, role) => actAs(ctx.db, username, role),
    researchOffice: office,
    cast: new Cast(),
  };
  const counts: Record<string, number> = {};
  const add = (r: Record<string, number>) => {
    for (const [k, v] of Object.entries(r)) counts[k] = (counts[k] ?? 0) + v;
  };
  const t0 = Date.now();
  const took: string[] = [];
  for (const [name, part] of [
    ['工作室', seedDemoStudios],
    ['骨干教师', seedDemoKeyTeachers],
    ['师徒结对', seedDemoMentoring],
    ['竞赛', seedDemoCompetitions],
    ['课题与学历提升', seedDemoResearch],
  ] as const) {
    const t = Date.now();
    add(await part(g));
    took.push(`${name} ${Math.round((Date.now() - t) / 100) / 10} 秒`);
  }
  log(
    `工作室、骨干教师、师徒结对、竞赛、课题与学历提升示例数据，用时 ${Math.round((Date.now() - t0) / 100) / 10} 秒（${took.join('，')}）：${Object.entries(
      counts,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join('，')}`,
  );
  return counts;
}

/** A demo account acting in one of its roles, as its session would (the same fields loadSessionUser gives). */
export async function actAs(q: Queryable, username: string, role: Role): Promise<CurrentUser> {
  const r = await q.query<{
    id: number;
    username: string;
    display_name: string;
    role_id: number;
    org_id: number;
    org_path: string;
    org_name: string;
    org_level: string;
    parent_path: string | null;
    teacher_id: number | null;
  }>(
    `SELECT u.id, u.username, u.display_name, a.role_id, o.id AS org_id, o.path AS org_path, o.name AS org_name, o.level AS org_level,
            p.path AS parent_path, u.teacher_id
       FROM users u JOIN active_user_roles a ON a.user_id = u.id AND a.role = $2 JOIN orgs o ON o.id = a.org_id LEFT JOIN orgs p ON p.id = o.parent_id
      WHERE u.username = $1 ORDER BY a.role_id LIMIT 1`,
    [username, role],
  );
  const u = r.rows[0];
  if (!u) throw new Error(`演示账号 ${username} 没有角色 ${role}`);
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    roleId: u.role_id,
    role,
    orgId: u.org_id,
    orgPath: u.org_path,
    orgName: u.org_name,
    orgLevel: u.org_level,
    teacherId: u.teacher_id,
    scopePath: scopeOf(role, u.org_path, u.parent_path),
    mustChangePassword: false,
    secondFactor: null,
  };
}

export interface DemoTeacher {
  id: number;
  name: string;
  org_id: number;
  subject: string;
  hire_date: string | null;
  roles: string[];
}

/**
 * Active teachers of the given orgs (ordered by id, deterministic), with their main subject, hire date and roles;
 * `where` narrows (SQL on t / o, params from $2 on).
 */
export async function teachersIn(q: Queryable, orgIds: number[], where = 'true', params: unknown[] = []): Promise<DemoTeacher[]> {
  return (
    await q.query<DemoTeacher>(
      `SELECT t.id, t.name, t.org_id, t.subjects[1] AS subject, t.hire_date::text AS hire_date,
              COALESCE((SELECT array_agg(r.role ORDER BY r.role) FROM teacher_roles r WHERE r.teacher_id = t.id), '{}') AS roles
         FROM teachers t JOIN orgs o ON o.id = t.org_id
        WHERE t.org_id = ANY($1::int[]) AND t.status = 'active' AND t.subjects[1] IS NOT NULL AND (${where})
        ORDER BY t.id`,
      [orgIds, ...params],
    )
  ).rows;
}

/** Takes teachers not yet used by another part of the demo (each teacher plays one part, so caps and rules hold). */
export class Cast {
  private used = new Set<number>();
  take(from: DemoTeacher[], n: number, ok: (t: DemoTeacher) => boolean = () => true): DemoTeacher[] {
    const out: DemoTeacher[] = [];
    for (const t of from) {
      if (out.length >= n) break;
      if (this.used.has(t.id) || !ok(t)) continue;
      this.used.add(t.id);
      out.push(t);
    }
    return out;
  }
  mark(...ids: number[]) {
    for (const id of ids) this.used.add(id);
  }
}

/** The date clamped to [from, to]. */
export const clamp = (d: string, from: string, to: string) => (d < from ? from : d > to ? to : d);
export const dayNo = dayOf;
