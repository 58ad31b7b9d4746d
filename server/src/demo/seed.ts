import type { Db } from '../db/db.js';
import type { AppContext } from '../platform/context.js';
import { hashPassword } from '../platform/auth.js';
import { toColumns } from '../modules/teachers/teachers.service.js';
import { seedDemoIntegrity } from '../modules/integrity/integrity.demo.js';
import { TEACHER_COLUMNS } from '../modules/teachers/teachers.repository.js';
import { followColumns } from '../modules/teachers/teacher-facts.repository.js';
import { DEMO_PASSWORD } from '../modules/auth/demo-accounts.js';
import { setSettingsAsSystem } from '../modules/security/security.service.js';
import { seedDemoExperts } from '../modules/experts/experts.demo.js';
import { bulkTarget, BulkWriter } from './bulk.js';
import { dayOf, isoOf, yearOf } from './calendar.js';
import { seedDemoWorkload } from './workload.js';
import { seedDemoEthics } from './ethics.js';
import { seedDemoGrowth } from './growth.js';
import { seedDemoStaffing } from './careers-staffing.js';
import { seedDemoPlans } from './careers-plans.js';
import { seedDemoAppraisals } from './careers-appraisal.js';
import { seedDemoCareers } from './careers-rotations.js';
import { seedDemoFunds } from './careers-funds.js';
import { seedDemoCases } from '../modules/ethics-cases/cases.demo.js';
import { seedDemoReports } from '../modules/ethics-reports/ethics-reports.demo.js';
import {
  analyze,
  clearDemoData,
  countOrgs,
  fastLoadTables,
  readMarker,
  syncSequences,
  verifyForeignKeys,
  writeMarker,
  type DemoMarker,
} from './demo.repository.js';
import { CITY, COUNTIES } from './names.js';
import { planOrgs, type OrgPlan } from './org-plan.js';
import { Rng } from './prng.js';
import { generateTeacher, TeacherTraits, type TeacherGenContext } from './teacher-gen.js';
import {
  ATTENDANCE_COLUMNS,
  ENROLMENT_COLUMNS,
  IdCounter,
  LEDGER_COLUMNS,
  OLD_YEAR_DENSITY,
  PROJECT_COLUMNS,
  ProjectPlanner,
  SESSION_COLUMNS,
  TrainingWriter,
  writeProjects,
  type DemoUsers,
  type TrainingOptions,
} from './training-gen.js';
import { todayInChina } from '../platform/china-time.js';
import { seedDemoTitles } from './careers-titles.js';

export const DEMO_DEFAULT_SEED = 20231;
/** Years of hours by default: the reference date's year and the four before it (a whole 5-year, 360-学时 cycle). */
export const DEMO_DEFAULT_YEARS = 5;

export interface SeedOptions {
  teachers: number;
  seed?: number;
  /**
   * "Today" of the demo data, 'YYYY-MM-DD' (default: today in China). Every date and year is made relative to
   * it: history up to it, projects running on it (a session that day), open for enrolment after it. The same
   * seed and asOf always give the same data.
   */
  asOf?: string;
  /** Years of training history ending in asOf's year (default DEMO_DEFAULT_YEARS). */
  years?: number;
  /** Volume multiplier for sessions and school-based records (default 1); the benchmark uses more. */
  density?: number;
  /** Only orgs, teachers and users (for registry benchmarks at a million teachers). */
  teachersOnly?: boolean;
  log?: (message: string) => void;
}

export interface SeedSummary {
  seconds: number;
  counts: Record<string, number>;
}

const TEACHER_CHUNK = 2000;
const LOADED_TABLES = [
  'orgs',
  'teachers',
  'teacher_roles',
  'users',
  'user_roles',
  'projects',
  'project_sessions',
  'enrolments',
  'attendance',
  'ledger_entries',
];
const TRAINING_CHUNK = 1500;

/** True once a demo seed has COMPLETED; a seed interrupted half-way does not count. */
export async function isSeeded(db: Db): Promise<boolean> {
  return (await readMarker(db))?.status === 'completed';
}

/**
 * Generate the fictional city 塞北市 with `teachers` teachers and years of training history.
 * Deterministic: the same seed and options always give the same people, projects and hours
 * (ciphertexts differ, their plaintexts do not). Skips when the database already holds other data;
 * clears and restarts a seed that was interrupted. Returns null when it did nothing.
 */
export async function seedDemo(ctx: AppContext, opts: SeedOptions): Promise<SeedSummary | null> {
  const log = opts.log ?? (() => undefined);
  const n = Math.floor(opts.teachers);
  if (!Number.isFinite(n) || n < 20) throw new Error(`演示教师人数至少为 20（收到 ${opts.teachers}）`);
  const seed = opts.seed ?? DEMO_DEFAULT_SEED;
  const asOf = opts.asOf ?? todayInChina();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || isoOf(dayOf(asOf)) !== asOf) throw new Error(`演示数据基准日期无效：${asOf}（应为 YYYY-MM-DD）`);
  const refDay = dayOf(asOf);
  const refYear = yearOf(refDay);
  const nYears = opts.years ?? DEMO_DEFAULT_YEARS;
  const density = opts.density ?? 1;
  const years = Array.from({ length: nYears }, (_, k) => refYear - nYears + 1 + k);

  const marker = await readMarker(ctx.db);
  if (marker?.status === 'completed') {
    log('演示数据已存在，跳过生成');
    return null;
  }
  if (marker?.status === 'started') {
    log('上次生成演示数据未完成，正在清理后重新生成…');
    await clearDemoData(ctx.db);
  } else if ((await countOrgs(ctx.db)) > 0) {
    log('数据库中已有业务数据，不生成演示数据');
    return null;
  }

  const t0 = Date.now();
  const startMarker: DemoMarker = {
    status: 'started',
    seed,
    teachers: n,
    years,
    density,
    refDate: asOf,
    cityCode: CITY.code,
    startedAt: new Date().toISOString(),
  };
  await writeMarker(ctx.db, startMarker);

  const fast = await fastLoadTables(ctx.db, LOADED_TABLES);
  const target = bulkTarget(ctx.db, fast);
  const counts: Record<string, number> = {};
  const tally = (w: BulkWriter) => {
    for (const [k, v] of Object.entries(w.counts)) counts[k] = (counts[k] ?? 0) + v;
  };

  log(`生成组织机构（${COUNTIES.length} 个旗县区）…`);
  const plan = planOrgs(n, seed);
  await target.tx(async (c) => {
    const w = new BulkWriter(c);
    w.table('orgs', ['id', 'code', 'name', 'level', 'kind', 'stage', 'parent_id', 'path', 'public_fund_budget']);
    for (const o of plan.orgs) w.add('orgs', [o.id, o.code, o.name, o.level, o.kind, o.stage, o.parentId, o.path, o.budget]);
    await w.flush();
    tally(w);
  });
  log(`  ${plan.orgs.length} 个单位，其中学校 ${plan.schools.length} 所`);

  const traits = new TeacherTraits(n);
  await writeTeachers(ctx, plan, traits, { seed, refDay, lastYear: refYear - 1, usedIds: new Set(), dualShare: dualShares(plan, seed) }, target, tally, log);
  // Facts over time (0033): each generated record holds since it began, as a registered teacher's does.
  for (let from = 0; from < traits.n; from += TEACHER_CHUNK * 5) {
    const ids = Array.from({ length: Math.min(traits.n, from + TEACHER_CHUNK * 5) - from }, (_, k) => from + k + 1);
    await ctx.db.tx((q) => followColumns(q, ids, asOf, null, { created: true }));
  }

  const users = await writeUsers(plan, target, tally);

  if (!opts.teachersOnly) {
    // The benchmarks (an explicit density) keep every year at full volume; the demo thins the older ones.
    const topts: TrainingOptions = { seed, years, refDay, density, olderYears: opts.density === undefined ? OLD_YEAR_DENSITY : 1 };
    await writeTraining(plan, traits, topts, users, target, tally, log);
    // The city's 专家库 and the demo 评审专家 login (experts module).
    await ctx.db.tx((q) => seedDemoExperts(q, plan.city.id, users.cityAdmin));
  }

  // Tables loaded without per-row foreign-key triggers are checked here, in bulk; a failure leaves the marker at 'started'.
  const broken = await verifyForeignKeys(ctx.db, [...fast.keys()]);
  if (broken.length) throw new Error(`演示数据外键校验失败: ${broken.join(', ')}`);
  await syncSequences(ctx.db, ['orgs', 'teachers', 'users', 'projects', 'project_sessions', 'ledger_entries']);
  // Work waiting today (claims under review, proposals awaiting approval, an open survey): ordinary ids.
  if (!opts.teachersOnly) {
    const work = await ctx.db.tx((q) => seedDemoWorkload(q, { plan, users, refDay, seed }));
    for (const [k, v] of Object.entries(work)) counts[k] = v;
    // 师德案件 of the demo county (issue 12 item 2, ethics-cases).
    counts.ethicsCases = await ctx.db.tx((q) =>
      seedDemoCases(q, ctx.pii, { countyBureauId: plan.counties[plan.demoCounty].bureau.id, demoSchoolId: plan.demoSchool.org.id, asOf }),
    );
    // 师德举报 (issue 12, intake): a handful of reports for the county's 师德专干.
    counts.ethics_reports = await seedDemoReports(ctx, asOf);
    // 诚信档案, a 警告 in force and two 行业禁入 decisions (issue 12, integrity).
    const integrity = await ctx.db.tx((q) => seedDemoIntegrity(q, ctx.pii, { plan, refDay, schoolAdmin: users.schoolAdmin, countyAdmin: users.countyAdmin }));
    for (const [k, v] of Object.entries(integrity)) counts[k] = v;
    // 师德 (issue 12, notices): a few more reports and cases, sanctions (one ended), a 禁入 entry, a 通报, a 警示教育 meeting.
    const ethics = await ctx.db.tx((q) => seedDemoEthics(q, { plan, users, refDay, pii: ctx.pii, log }));
    for (const [k, v] of Object.entries(ethics)) counts[k] = (counts[k] ?? 0) + v;
    // Growing teachers (issue 13): studios, 骨干教师 rounds, 师徒结对 and 磨课, a 基本功竞赛, a 课题, a 学历提升 plan.
    const growth = await seedDemoGrowth(ctx, { plan, refDay, log });
    for (const [k, v] of Object.entries(growth)) counts[k] = v;
    // 编制与结构 (issue 14 item 9): 编制数, 在校生数, rural schools and 乡村教师 support in the demo county.
    const staffing = await ctx.db.tx((q) => seedDemoStaffing(q, { countyPath: plan.counties[plan.demoCounty].bureau.path, asOf }));
    for (const [k, v] of Object.entries(staffing)) counts[k] = v;
    // 计划报备 (issue 14 item 5): the demo county's schools' annual plans, accepted, returned, late, waiting, missing.
    const plans = await seedDemoPlans(ctx, { plan, refDay, log });
    for (const [k, v] of Object.entries(plans)) counts[k] = v;
    // 年度考核, 家访, 学业述评 (issue 14 item 1): last year's round with results, this year's open round.
    const appraisals = await ctx.db.tx((q) => seedDemoAppraisals(q, { plan, refDay, schoolAdmin: users.schoolAdmin }));
    for (const [k, v] of Object.entries(appraisals)) counts[k] = v;
    // 职称 (issue 14 item 3): earlier years' appraisal results (beside the rounds above), rural 支教, an open review round.
    for (const [k, v] of Object.entries(await seedDemoTitles(ctx, { plan, refDay, log }))) counts[k] = v;
    // 交流轮岗 history and plans, 表彰 types, nominations and awards, 尊师月, 荣退 (issue 14 items 2, 4).
    const careers = await seedDemoCareers(ctx, { plan, refDay, log });
    for (const [k, v] of Object.entries(careers)) counts[k] = v;
    // 培训经费 and 班主任津贴 (issue 14 items 6, 8).
    for (const [k, v] of Object.entries(await seedDemoFunds(ctx, { plan, refDay, log }))) counts[k] = v;
  }
  await analyze(ctx.db, [...LOADED_TABLES, 'teacher_assignments', 'teacher_statuses', 'teacher_credentials', 'teacher_designations']);
  // The demo must stay one click: its admins are not asked to bind an authenticator (the security page says
  // the requirement is off; a deployment keeps the 等保 default, on).
  await setSettingsAsSystem(ctx, { totpRequired: false }, DEMO_TOTP_OFF_REASON);
  const seconds = Math.round((Date.now() - t0) / 100) / 10;
  await writeMarker(ctx.db, { ...startMarker, status: 'completed', completedAt: new Date().toISOString(), seconds, counts });
  log(
    `演示数据生成完成，用时 ${seconds} 秒：${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join('，')}`,
  );
  return { seconds, counts };
}

/** Per vocational school, the share of 专业课 teachers who are 双师型: most reach 70 %, some do not. */
function dualShares(plan: OrgPlan, seed: number): Map<number, number> {
  const m = new Map<number, number>();
  for (const s of plan.schools) if (s.stage === 'vocational') m.set(s.org.id, 0.55 + Rng.of(seed, 'dual', s.org.id).next() * 0.35);
  return m;
}

async function writeTeachers(
  ctx: AppContext,
  plan: OrgPlan,
  traits: TeacherTraits,
  gen: TeacherGenContext,
  target: ReturnType<typeof bulkTarget>,
  tally: (w: BulkWriter) => void,
  log: (m: string) => void,
): Promise<void> {
  const n = traits.n;
  let school = 0;
  for (let from = 0; from < n; from += TEACHER_CHUNK) {
    const to = Math.min(n, from + TEACHER_CHUNK);
    await target.tx(async (c) => {
      const w = new BulkWriter(c);
      w.table('teachers', ['id', ...TEACHER_COLUMNS]);
      w.table('teacher_roles', ['teacher_id', 'role', 'since']);
      for (let i = from; i < to; i++) {
        while (i >= plan.schools[school].firstTeacher + plan.schools[school].teachers) school++;
        const s = plan.schools[school];
        const k = i - s.firstTeacher;
        const input = generateTeacher(gen, traits, i, s, k, s === plan.demoSchool && k === 0);
        // Same column mapping as the registry's own create path: PII encrypted, blind-indexed, masked.
        const cols = toColumns(ctx.pii, input);
        w.add('teachers', [i + 1, ...TEACHER_COLUMNS.map((col) => cols[col])]);
        for (const r of input.roles) w.add('teacher_roles', [i + 1, r.role, r.since ?? null]);
        await w.maybeFlush();
      }
      await w.flush();
      tally(w);
    });
    log(`生成教师 ${to}/${n}…`);
  }
}

/** Why the demo's 安全策略 does not require TOTP (shown in the settings history). */
export const DEMO_TOTP_OFF_REASON = '演示数据：为便于一键体验，暂不要求管理员使用动态口令；正式部署请开启';

const DEMO_USER_IDS: DemoUsers = { cityAdmin: 1, countyAdmin: 2, schoolAdmin: 3, teacher: 4, institution: 5 };

/**
 * The demo accounts of the login page and one account for every active teacher, all with the demo password
 * (hashed once; the demo is the only place a known password is set, and no one is asked to change it).
 * city.admin and county.admin also hold 系统管理员 at their bureau; school.admin is a teacher of the demo
 * school who also holds 学校管理员, 系统管理员 and 信息管理员 there (the role switcher has something to show);
 * security.admin and auditor are the city's 安全管理员 and 审计管理员 (三权分立: separate people);
 * ethics.officer is the demo county's 师德专干.
 * Teachers sign in with their 身份证号, phone or the username t<id>.
 */
async function writeUsers(plan: OrgPlan, target: ReturnType<typeof bulkTarget>, tally: (w: BulkWriter) => void): Promise<DemoUsers> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const u = DEMO_USER_IDS;
  const county = plan.counties[plan.demoCounty];
  const school = plan.demoSchool.org.id;
  const teacherId = plan.demoSchool.firstTeacher + 1;
  await target.tx(async (c) => {
    const w = new BulkWriter(c);
    w.table('users', ['id', 'username', 'password_hash', 'display_name', 'teacher_id']);
    w.table('user_roles', ['user_id', 'role', 'org_id']);
    w.add('users', [u.cityAdmin, 'city.admin', hash, '刘振华', null]);
    w.add('users', [u.countyAdmin, 'county.admin', hash, '赵文静', null]);
    w.add('users', [u.institution, 'institution', hash, '周明远', null]);
    w.add('users', [6, 'security.admin', hash, '高建国', null]);
    w.add('users', [7, 'auditor', hash, '林慧敏', null]);
    w.add('users', [8, 'ethics.officer', hash, '孙立新', null]);
    w.add('user_roles', [u.cityAdmin, 'bureauAdmin', plan.city.id]);
    w.add('user_roles', [u.cityAdmin, 'sysAdmin', plan.city.id]);
    w.add('user_roles', [u.countyAdmin, 'bureauAdmin', county.bureau.id]);
    w.add('user_roles', [u.countyAdmin, 'sysAdmin', county.bureau.id]);
    w.add('user_roles', [u.institution, 'institution', plan.institutions[0].id]);
    w.add('user_roles', [6, 'securityAdmin', plan.city.id]);
    w.add('user_roles', [7, 'auditor', plan.city.id]);
    // 师德专干 of the demo county: receives its reports and handles its cases (issue 12).
    w.add('user_roles', [8, 'ethicsOfficer', county.bureau.id]);
    await w.flush();
    // The teacher accounts' display names are the teachers' own names.
    await c.query(`INSERT INTO users (id, username, password_hash, display_name, teacher_id) SELECT $1, 'teacher', $2, name, id FROM teachers WHERE id = $3`, [
      u.teacher,
      hash,
      teacherId,
    ]);
    await c.query(
      `INSERT INTO users (id, username, password_hash, display_name, teacher_id)
       SELECT $1, 'school.admin', $2, name, id FROM teachers WHERE org_id = $3 AND status = 'active' AND id <> $4 ORDER BY id LIMIT 1`,
      [u.schoolAdmin, hash, school, teacherId],
    );
    for (const role of ['schoolAdmin', 'sysAdmin', 'infoAdmin'])
      await c.query('INSERT INTO user_roles (user_id, role, org_id) VALUES ($1,$2,$3)', [u.schoolAdmin, role, school]);
    await c.query(`SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))`);
    const all = await c.query(
      `INSERT INTO users (username, password_hash, display_name, teacher_id)
       SELECT 't' || t.id, $1, t.name, t.id FROM teachers t WHERE t.status = 'active' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.teacher_id = t.id)`,
      [hash],
    );
    await c.query(`INSERT INTO user_roles (user_id, role) SELECT id, 'teacher' FROM users WHERE teacher_id IS NOT NULL`);
    w.counts.users += 2 + all;
    w.counts.user_roles += 3 + all;
    tally(w);
  });
  return u;
}

async function writeTraining(
  plan: OrgPlan,
  traits: TeacherTraits,
  opts: TrainingOptions,
  users: DemoUsers,
  target: ReturnType<typeof bulkTarget>,
  tally: (w: BulkWriter) => void,
  log: (m: string) => void,
): Promise<void> {
  const ids = new IdCounter();
  const planner = new ProjectPlanner(plan, opts, users, ids);
  const global = planner.planGlobal();
  const declare = (w: BulkWriter) => {
    w.table('projects', PROJECT_COLUMNS);
    w.table('project_sessions', SESSION_COLUMNS);
    w.table('enrolments', ENROLMENT_COLUMNS);
    w.table('attendance', ATTENDANCE_COLUMNS);
    w.table('ledger_entries', LEDGER_COLUMNS);
  };
  await target.tx(async (c) => {
    const w = new BulkWriter(c);
    declare(w);
    writeProjects(w, global, users, opts.refDay);
    await w.flush();
    tally(w);
  });
  log(`生成培训项目：市级、旗县区级 ${global.length} 个（${opts.years[0]}–${opts.years[opts.years.length - 1]} 年，截至 ${isoOf(opts.refDay)}）`);

  const writer = new TrainingWriter(plan, traits, opts, users, ids, global);
  const n = traits.n;
  let ledger = 0;
  let si = 0;
  while (si < plan.schools.length) {
    // One transaction per group of whole schools (about TRAINING_CHUNK teachers).
    const group: typeof plan.schools = [];
    let size = 0;
    while (si < plan.schools.length && (size === 0 || size + plan.schools[si].teachers <= TRAINING_CHUNK)) {
      group.push(plan.schools[si]);
      size += plan.schools[si++].teachers;
    }
    await target.tx(async (c) => {
      const w = new BulkWriter(c);
      declare(w);
      for (const s of group) {
        const own = planner.planSchool(s);
        writeProjects(w, own, users, opts.refDay);
        for (let i = s.firstTeacher; i < s.firstTeacher + s.teachers; i++) {
          writer.write(w, i, own);
          await w.maybeFlush();
        }
      }
      await w.flush();
      tally(w);
      ledger += w.counts.ledger_entries;
    });
    const last = group[group.length - 1];
    log(`生成培训与学时记录：教师 ${last.firstTeacher + last.teachers}/${n}，学时记录 ${ledger} 条…`);
  }
}
