/**
 * Issue 14 items 2 and 4 demo data: 交流轮岗 history of the demo county over four years (交流/轮岗 with the return to
 * the sending school, 支教 at township schools counted as rural service, 送教下乡 visits), this year's plans, award
 * types with nominations and awards (one refused, some pending), 尊师月 activities and 荣退 records — written through
 * the modules' services as the demo accounts, so the data obeys their rules (the 师德 veto included). Runs only when
 * the demo's asOf is today (the services date by the real date) and the county is big enough. Small: ~60 rows.
 */
import * as facts from '../modules/teachers/teacher-facts.service.js';
import type { AppContext } from '../platform/context.js';
import { todayInChina } from '../platform/china-time.js';
import { AppError } from '../platform/errors.js';
import * as rot from '../modules/rotations/rotations.service.js';
import * as hon from '../modules/honours/honours.service.js';
import { RecordBody } from '../modules/rotations/rotations.schema.js';
import { isoOf, yearOf } from './calendar.js';
import type { OrgPlan } from './org-plan.js';
import { actAs, teachersIn } from './growth.js';

export async function seedDemoCareers(ctx: AppContext, o: { plan: OrgPlan; refDay: number; log: (m: string) => void }): Promise<Record<string, number>> {
  const { plan, refDay, log } = o;
  if (isoOf(refDay) !== todayInChina()) return {};
  const county = plan.counties[plan.demoCounty];
  const compulsory = county.schools.filter((s) => s.stage === 'primary' || s.stage === 'junior');
  // Not the demo school: the browser tests find its account holders without any 交流轮岗.
  const pool = (compulsory.length >= 3 ? compulsory : county.schools.filter((s) => s.stage !== 'kindergarten')).filter((s) => s !== plan.demoSchool);
  const town = pool.filter((s) => !s.rural).length >= 2 ? pool.filter((s) => !s.rural) : pool;
  // 支教 goes to a township school (乡村); a county without one sends to its last school (not counted as rural).
  const rural = county.schools.some((s) => s.rural) ? county.schools.filter((s) => s.rural) : pool.slice(-1);
  if (town.length < 2) {
    log('交流轮岗与表彰示例数据：示例区县的学校不足，跳过');
    return {};
  }
  const admin = await actAs(ctx.db, 'county.admin', 'bureauAdmin');
  const school = await actAs(ctx.db, 'school.admin', 'schoolAdmin');
  const year = yearOf(refDay);
  const today = isoOf(refDay);
  const counts: Record<string, number> = {
    rotation_records: 0,
    rotation_plans: 0,
    honour_nominations: 0,
    teacher_honours: 0,
    honour_activities: 0,
    retirement_honours: 0,
  };
  const used = new Set<number>([
    ...(await ctx.db.query<{ teacher_id: number }>('SELECT DISTINCT teacher_id FROM rotation_records')).rows.map((r) => r.teacher_id),
  ]);
  const pick = async (orgId: number, n: number) => {
    const ts = (await teachersIn(ctx.db, [orgId], `t.hire_date < $2`, [`${year - 8}-01-01`])).filter((t) => !used.has(t.id));
    const out = ts.slice(0, n);
    for (const t of out) used.add(t.id);
    return out;
  };
  const record = async (body: Record<string, unknown>, end?: { endDate: string; returnToOrigin: boolean }) => {
    if ((body.startDate as string) > today) return;
    try {
      const r = await rot.createRecord(ctx, admin, RecordBody.parse(body));
      counts.rotation_records++;
      if (end && end.endDate < today) await rot.endRecord(ctx, admin, r.id, end);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
  };

  // Four school years: each year two 交流/轮岗 between town schools (returning after a year), one 支教 at a township
  // school (rural service), one 送教下乡 visit.
  for (let k = 3; k >= 0; k--) {
    const y = year - k;
    const [a, b] = [town[k % town.length], town[(k + 1) % town.length]];
    const r = rural[k % rural.length];
    for (const [t, kind] of [
      [(await pick(a.org.id, 1))[0], 'exchange'],
      [(await pick(b.org.id, 1))[0], 'rotation'],
    ] as const) {
      if (!t) continue;
      await record(
        { teacherId: t.id, toOrgId: t.org_id === a.org.id ? b.org.id : a.org.id, kind, startDate: `${y}-09-01`, rural: false, note: `${y} 学年县域内交流` },
        { endDate: `${y + 1}-08-31`, returnToOrigin: true },
      );
    }
    const sup = (await pick(a.org.id, 1))[0];
    if (sup && r.org.id !== a.org.id)
      await record({
        teacherId: sup.id,
        toOrgId: r.org.id,
        kind: 'supportTeaching',
        startDate: `${y}-09-01`,
        endDate: `${y + 1}-07-10`,
        rural: r.rural,
        note: '乡村学校支教一年',
      });
    const visit = (await pick(b.org.id, 1))[0];
    if (visit && r.org.id !== b.org.id)
      await record({
        teacherId: visit.id,
        toOrgId: r.org.id,
        kind: 'sendTeaching',
        startDate: `${y}-04-16`,
        endDate: `${y}-04-18`,
        rural: r.rural,
        note: '送教下乡',
      });
  }
  // This year's plans: the county and its town schools.
  for (const [orgId, n] of [[county.bureau.id, 8], ...town.slice(0, 4).map((s, i) => [s.org.id, 2 + (i % 2)] as const)] as const) {
    await rot.savePlan(ctx, admin, { orgId, year, plannedCount: n, note: `${year} 年交流轮岗计划` });
    counts.rotation_plans++;
  }

  // Honours: the county's types and the demo school's 优秀班主任.
  const types: Record<string, number> = {};
  for (const [name, level] of [
    ['最美班主任', 'county'],
    ['优秀教师', 'county'],
    ['教书育人楷模', 'county'],
  ] as const)
    types[name] = (await hon.createType(ctx, admin, { name, level, description: '000 §二（一）、（三）：开展最美班主任评选，表彰优秀教师' })).id;
  types.优秀班主任 = (await hon.createType(ctx, school, { name: '优秀班主任', level: 'school' })).id;
  const demoTeachers = (await teachersIn(ctx.db, [plan.demoSchool.org.id], 't.hire_date < $2', [`${year - 5}-01-01`])).filter((t) => !used.has(t.id));
  const nominate = async (typeId: number, y: number, ids: number[]) => {
    const out: number[] = [];
    for (const id of ids) {
      try {
        out.push(...(await hon.nominate(ctx, school, { typeId, year: y, teacherIds: [id], deeds: '扎根教学一线，关爱每一名学生，教育教学成绩突出' })).ids);
        counts.honour_nominations++;
      } catch (e) {
        if (!(e instanceof AppError)) throw e; // a vetoed teacher (师德) is refused, as in real use
      }
    }
    return out;
  };
  const lastSept = `${year - 1}-09-10`;
  const homeroom = demoTeachers.filter((t) => t.roles.includes('homeroom'));
  const last = await nominate(
    types.最美班主任,
    year - 1,
    homeroom.slice(0, 3).map((t) => t.id),
  );
  last.push(
    ...(await nominate(
      types.优秀教师,
      year - 1,
      demoTeachers.slice(10, 13).map((t) => t.id),
    )),
  );
  for (const [i, id] of last.entries()) {
    const decision = i === 2 ? { decision: 'reject' as const, note: '名额已满，建议明年再推荐' } : { decision: 'award' as const, awardedOn: lastSept };
    await hon.decide(ctx, admin, id, decision);
    if (decision.decision === 'award') counts.teacher_honours++;
  }
  const own = await nominate(
    types.优秀班主任,
    year - 1,
    homeroom.slice(3, 5).map((t) => t.id),
  );
  for (const id of own) {
    await hon.decide(ctx, school, id, { decision: 'award', awardedOn: lastSept });
    counts.teacher_honours++;
  }
  // This year's nominations, waiting for the county.
  await nominate(
    types.教书育人楷模,
    year,
    demoTeachers.slice(13, 15).map((t) => t.id),
  );

  // 尊师月 (September): last year's, and this year's once September has come.
  for (const y of today >= `${year}-09-30` ? [year - 1, year] : [year - 1]) {
    await hon.addActivity(ctx, admin, { heldOn: `${y}-09-10`, title: `${y} 年教师节暨尊师月表彰大会`, kind: 'teacherMonth', participants: 320 });
    await hon.addActivity(ctx, school, { heldOn: `${y}-09-08`, title: '尊师月“感恩师长”主题班会', kind: 'teacherMonth', participants: 45 });
    counts.honour_activities += 2;
  }
  // The generated registry records a retiree's status without its date; the demo's retirements of the last two years
  // get their date through a correction (women at 55, men at 60, as the generator retires them), so 荣退 can be recorded.
  const undated = (
    await ctx.db.query<{ teacher_id: number; id: number; retired_on: string }>(
      `SELECT s.teacher_id, s.id, (t.birth_date + make_interval(years => CASE t.gender WHEN 'female' THEN 55 ELSE 60 END))::date::text AS retired_on
         FROM teacher_statuses s JOIN teachers t ON t.id = s.teacher_id JOIN orgs o ON o.id = t.org_id
        WHERE s.status = 'retired' AND s.valid_from IS NULL AND s.superseded_at IS NULL AND o.path LIKE $1 || '%'
          AND (t.birth_date + make_interval(years => CASE t.gender WHEN 'female' THEN 55 ELSE 60 END))::date BETWEEN $2::date AND $3::date
        ORDER BY t.id LIMIT 3`,
      [county.bureau.path, `${year - 2}-01-01`, today],
    )
  ).rows;
  for (const s of undated)
    await ctx.db.tx((q) =>
      facts.correctFact(q, admin.id, 'status', s.teacher_id, s.id, { from: s.retired_on, until: null, note: '按出生日期和法定退休年龄补录退休日期' }),
    );
  // 荣退: teachers of the county who retired in the last two years (if the registry has any).
  const retired = (
    await ctx.db.query<{ id: number; retired_on: string }>(
      `SELECT t.id, s.valid_from::text AS retired_on FROM teachers t JOIN orgs o ON o.id = t.org_id
         JOIN teacher_statuses s ON s.teacher_id = t.id AND s.status = 'retired' AND s.superseded_at IS NULL AND s.valid_until IS NULL
        WHERE o.path LIKE $1 || '%' AND t.hire_date IS NOT NULL AND s.valid_from IS NOT NULL AND s.valid_from >= $2::date
        ORDER BY t.id LIMIT 3`,
      [county.bureau.path, `${year - 2}-01-01`],
    )
  ).rows;
  for (const r of retired) {
    const ceremony = r.retired_on > today ? null : r.retired_on;
    if (!ceremony) continue;
    try {
      await hon.addRetirement(ctx, admin, { teacherId: r.id, ceremonyOn: ceremony, note: '荣退仪式，颁发从教纪念证书' });
      counts.retirement_honours++;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
  }
  return counts;
}
