import type { CurrentUser } from '../platform/access.js';
import * as studios from '../modules/studios/studios.service.js';
import * as work from '../modules/studios/work.service.js';
import { ActivityBody, ApplyBody, AssessBody, MemberBody, OutputBody, PlanBody, TransitionBody } from '../modules/studios/studios.schema.js';
import { transition as projectStep } from '../modules/projects/lifecycle.service.js';
import type { ActivityKind, OutputKind } from '../modules/studios/studios.machine.js';
import type { StudioKind, StudioLevel } from '../modules/policies/policy.studios.js';
import { clamp, type DemoTeacher, type GrowthContext, teachersIn } from './growth.js';

interface Act {
  kind: ActivityKind;
  title: string;
  on: string;
  offline?: string;
  /** Offline with check-in: a session of the studio's yearly project. */
  attendance?: boolean;
}

/**
 * 工作室 of the demo city and county (issue 13 item 1), through the studios module as its users would act:
 * - 市级名师工作室 hosted by the demo teacher (`teacher`), named in March last year: members who joined on dates, plans
 *   for both years, last year's activities (one offline session with QR check-ins whose hours the city recognised
 *   through the studio's yearly project), outputs, last year's assessment (优秀) by the city; this year's activities
 *   and an offline one with check-in NEXT WEEK that the host can run in a demo;
 * - 旗县区级名师工作室 (named about four months ago) and 旗县区级名班主任工作室 (named last September) in the demo county;
 * - 市级名校长工作室 (named last June) hosted in another county;
 * - one 名班主任工作室 application of the demo school waiting for the county's review (county.admin's 待办).
 * Figures for 目标与经费 (record-based, by naming year): 市级名师 1 and 市级名校长 1 (last year), 旗县区级名班主任 1 (last
 * year), 旗县区级名师 1 (last year or this year: named 120 days before the demo's today).
 */
export async function seedDemoStudios(g: GrowthContext): Promise<Record<string, number>> {
  const { ctx, plan, day, year } = g;
  const county = plan.counties[g.plan.demoCounty];
  const schoolIds = county.schools.map((s) => s.org.id);
  const everyone = await teachersIn(ctx.db, schoolIds);
  const hostUser = await g.as('teacher', 'teacher');
  const host = everyone.find((t) => t.id === hostUser.teacherId);
  // Members and hosts: teachers past their first years (new teachers are the mentoring part's).
  const pool = everyone.filter((t) => !t.roles.includes('newTeacher'));
  if (!host || pool.length < 20) {
    g.log('工作室示例数据：示例区县教师不足，跳过');
    return {};
  }
  const city = await g.as('city.admin', 'bureauAdmin');
  const countyAdmin = await g.as('county.admin', 'bureauAdmin');
  const schoolAdmin = await g.as('school.admin', 'schoolAdmin');
  const schoolAdminTeacher = (await g.as('school.admin', 'teacher')).teacherId;
  g.cast.mark(host.id, schoolAdminTeacher ?? 0);
  const today = day(0);
  const last = year - 1;
  let n = 0;
  let activities = 0;

  const found = async (
    by: CurrentUser,
    namer: CurrentUser,
    o: { name: string; kind: StudioKind; level: StudioLevel; host: DemoTeacher; namedOn: string; plan: string },
  ) => {
    const s = await studios.apply(
      ctx,
      by,
      ApplyBody.parse({
        name: o.name,
        kind: o.kind,
        level: o.level,
        hostTeacherId: o.host.id,
        subject: o.kind === 'masterTeacher' ? o.host.subject : null,
        planText: o.plan,
      }),
    );
    await studios.transition(ctx, namer, s.id, TransitionBody.parse({ action: 'startReview' }));
    await studios.transition(
      ctx,
      namer,
      s.id,
      TransitionBody.parse({ action: 'approve', namedOn: o.namedOn, comment: '建设方案目标明确，团队结构合理，同意命名。' }),
    );
    n++;
    return s.id;
  };
  const join = async (runner: CurrentUser, id: number, ts: DemoTeacher[], on: (i: number) => string, role: 'member' | 'expert' = 'member') => {
    for (const [i, t] of ts.entries()) await studios.addMember(ctx, runner, id, MemberBody.parse({ teacherId: t.id, joinedOn: on(i), role }));
  };
  const act = async (runner: CurrentUser, id: number, list: Act[]) => {
    const out: { id: number; sessionId: number | null }[] = [];
    for (const a of list) {
      out.push(
        await work.recordActivity(
          ctx,
          runner,
          id,
          ActivityBody.parse({
            kind: a.kind,
            title: a.title,
            mode: a.offline ? 'offline' : 'online',
            heldOn: a.on,
            place: a.offline ?? null,
            attendance: a.attendance ?? false,
            ...(a.attendance ? { startTime: '14:30', endTime: '17:30', hours: 3 } : {}),
          }),
        ),
      );
      activities++;
    }
    return out;
  };
  const outputs = async (runner: CurrentUser, id: number, list: { kind: OutputKind; title: string; on: string }[]) => {
    for (const o of list) await work.recordOutput(ctx, runner, id, OutputBody.parse({ kind: o.kind, title: o.title, producedOn: o.on }));
  };
  const past = (list: Act[], from: string) => list.filter((a) => a.on >= from && a.on < today);

  // ---- 市级名师工作室, hosted by the demo teacher: the full year cycle.
  const namedOn = `${last}-03-15`;
  const s1 = await found(countyAdmin, city, {
    name: `${host.name}${host.subject}名师工作室`,
    kind: 'masterTeacher',
    level: 'city',
    host,
    namedOn,
    plan: `三年建设方案：以“新课标下的${host.subject}大单元教学”为主题，研课标、研教材、磨课与同课异构并进；每年开展集中教研活动不少于 8 次，带动全市青年教师专业成长。`,
  });
  const members = g.cast.take(pool, 5, (t) => t.subject === host.subject);
  const more = g.cast.take(pool, 5 - members.length);
  const team = [...members, ...more];
  await join(hostUser, s1, team.slice(0, 4), (i) => (i < 2 ? namedOn : `${last}-0${4 + i}-0${1 + i}`));
  const expert = g.cast.take(pool, 1, (t) => !!t.hire_date && t.hire_date < `${year - 25}-01-01`);
  if (expert.length) await join(hostUser, s1, expert, () => `${last}-04-10`, 'expert');
  for (const y of [last, year])
    await work.savePlan(
      ctx,
      hostUser,
      s1,
      PlanBody.parse({
        year: y,
        body: `${y} 年度计划：围绕大单元教学设计开展集中研修，每位成员完成一节公开课和一篇教学反思；与乡镇学校结对送教一次。`,
        planned: [
          { kind: 'curriculum', title: '新课标学习与解读', month: 3 },
          { kind: 'polishing', title: '大单元教学设计磨课', month: 5 },
          { kind: 'sameLesson', title: '同课异构', month: 10 },
          { kind: 'demoLesson', title: '送教下乡示范课', month: 11 },
        ],
      }),
    );
  const place = `${plan.demoSchool.org.name}多功能厅`;
  const lastYear: Act[] = [
    { kind: 'curriculum', title: '新课标学习与解读', on: `${last}-03-28` },
    { kind: 'textbook', title: '统编教材单元整体分析', on: `${last}-04-18`, offline: place },
    { kind: 'polishing', title: '大单元教学设计磨课（一）', on: `${last}-05-16`, offline: place },
    { kind: 'lecture', title: '作业设计的减负与提质', on: `${last}-06-13` },
    { kind: 'research', title: '工作室课题开题论证', on: `${last}-09-12` },
    { kind: 'sameLesson', title: '同课异构：古诗词教学', on: `${last}-10-16`, offline: place, attendance: true },
    { kind: 'demoLesson', title: '送教下乡示范课', on: `${last}-11-20`, offline: `${county.schools[county.schools.length - 1].org.name}` },
    { kind: 'polishing', title: '青年教师赛课磨课', on: `${last}-12-11`, offline: place },
  ];
  const done = await act(hostUser, s1, lastYear);
  // Last year's check-in session: the members present scanned in at the door (attendance rows as the QR scan
  // writes them, at the session's time), then the city submitted and confirmed the year's 学时认定 — the hours reach
  // the ledger through the projects module.
  const sessionId = done.find((a) => a.sessionId)?.sessionId;
  if (sessionId) {
    const present = [host, ...team.slice(0, 3), ...expert];
    for (const [i, t] of present.entries())
      await ctx.db.query(
        `INSERT INTO attendance (session_id, teacher_id, method, by_user, at) SELECT $1, $2, 'qr', u.id, $3::timestamptz FROM users u WHERE u.teacher_id = $2 ON CONFLICT DO NOTHING`,
        [sessionId, t.id, `${last}-10-16T14:${String(12 + i * 3).padStart(2, '0')}:00+08:00`],
      );
    const projectId = (await ctx.db.query<{ project_id: number }>('SELECT project_id FROM project_sessions WHERE id = $1', [sessionId])).rows[0].project_id;
    await projectStep(ctx, city, projectId, 'submitRecognition', `${last} 年度工作室研修学时认定`, new Date(), { confirmWarnings: true });
    await projectStep(ctx, city, projectId, 'confirmRecognition', '同意认定');
  }
  await outputs(hostUser, s1, [
    { kind: 'lesson', title: '《示儿》大单元教学课例', on: `${last}-05-30` },
    { kind: 'paper', title: '大单元视域下的作业设计实践', on: `${last}-11-08` },
    { kind: 'research', title: '市级课题《小学大单元教学的实践研究》立项', on: `${last}-09-30` },
  ]);
  await work.assess(
    ctx,
    city,
    s1,
    AssessBody.parse({
      year: last,
      grade: 'excellent',
      comment: '全年开展集中教研活动 8 次，送教下乡 1 次，成果丰富，示范引领作用明显。',
      decidedOn: clamp(`${year}-01-20`, `${year}-01-01`, today),
    }),
  );
  // This year: what was done so far, and an offline activity with check-in next week (the host opens check-in there).
  await act(
    hostUser,
    s1,
    past(
      [
        { kind: 'curriculum', title: '年度计划研讨与分工', on: `${year}-01-05` },
        { kind: 'polishing', title: '大单元教学设计磨课（二）', on: `${year}-03-20`, offline: place },
        { kind: 'lecture', title: '学习任务群的设计与实施', on: `${year}-05-22` },
        { kind: 'sameLesson', title: '同课异构：整本书阅读', on: `${year}-09-25`, offline: place },
      ],
      namedOn,
    ),
  );
  if (team[4]) await join(hostUser, s1, [team[4]], () => clamp(day(-60), `${year}-01-01`, today));
  await act(hostUser, s1, [{ kind: 'demoLesson', title: '青年教师汇报课', on: day(7), offline: place, attendance: true }]);
  await outputs(
    hostUser,
    s1,
    [{ kind: 'lesson' as const, title: '整本书阅读推进课课例', on: `${year}-10-10` }].filter((o) => o.on < today),
  );

  // ---- 旗县区级名师工作室, named about four months ago.
  const others = pool.filter((t) => t.org_id !== plan.demoSchool.org.id);
  const [h2] = g.cast.take(others, 1, (t) => !!t.hire_date && t.hire_date < `${year - 15}-01-01`);
  if (h2) {
    const named2 = day(-120);
    const s2 = await found(countyAdmin, countyAdmin, {
      name: `${h2.name}${h2.subject}名师工作室`,
      kind: 'masterTeacher',
      level: 'county',
      host: h2,
      namedOn: named2,
      plan: `以课堂教学改革为主线，三年内培养区级${h2.subject}骨干教师 5 名，形成可推广的校本教研模式。`,
    });
    const r2 = await g.as('county.admin', 'bureauAdmin');
    await join(r2, s2, g.cast.take(others, 4), (i) => isoPlus(named2, i * 9));
    await act(r2, s2, [
      { kind: 'curriculum', title: '工作室启动会暨课标研读', on: isoPlus(named2, 10), offline: `${county.bureau.name}三楼会议室` },
      { kind: 'polishing', title: '成员课堂诊断与磨课', on: isoPlus(named2, 45), offline: `${county.bureau.name}三楼会议室` },
      { kind: 'lecture', title: '单元作业设计专题讲座', on: isoPlus(named2, 80) },
    ]);
  }

  // ---- 旗县区级名班主任工作室, named last September.
  const [h3] = g.cast.take(pool, 1, (t) => t.roles.includes('homeroom') && !!t.hire_date && t.hire_date < `${year - 12}-01-01`);
  if (h3) {
    const named3 = `${last}-09-01`;
    const s3 = await found(countyAdmin, countyAdmin, {
      name: `${h3.name}名班主任工作室`,
      kind: 'masterHomeroom',
      level: 'county',
      host: h3,
      namedOn: named3,
      plan: '聚焦班级管理与家校共育，开展班会课展评、案例研讨和新任班主任跟岗指导。',
    });
    await join(
      countyAdmin,
      s3,
      g.cast.take(pool, 4, (t) => t.roles.includes('homeroom')),
      (i) => isoPlus(named3, i * 14),
    );
    await act(countyAdmin, s3, [
      { kind: 'lecture', title: '新学期班级常规建设', on: `${last}-09-20`, offline: `${county.bureau.name}三楼会议室` },
      { kind: 'demoLesson', title: '主题班会课展评', on: `${last}-11-15`, offline: `${county.bureau.name}三楼会议室` },
      ...past([{ kind: 'other' as const, title: '家校共育案例研讨', on: `${year}-04-17` }], named3),
    ]);
    await work.savePlan(
      ctx,
      countyAdmin,
      s3,
      PlanBody.parse({
        year,
        body: `${year} 年度计划：班会课展评、班主任案例研讨各两次，新任班主任跟岗指导一学期。`,
        planned: [{ kind: 'demoLesson', title: '主题班会课展评', month: 5 }],
      }),
    );
  }

  // ---- 市级名校长工作室, hosted in another county (the city's board shows it).
  const other = plan.counties.find((c, i) => i !== plan.demoCounty && c.schools.length > 0);
  if (other) {
    const [h4] = await teachersIn(
      ctx.db,
      other.schools.map((s) => s.org.id),
      `t.hire_date < $2`,
      [`${year - 20}-01-01`],
    );
    if (h4) {
      await found(city, city, {
        name: `${h4.name}名校长工作室`,
        kind: 'principal',
        level: 'city',
        host: h4,
        namedOn: `${last}-06-18`,
        plan: '围绕学校治理与课程领导力，组织成员校长跟岗研修、联合诊断办学问题，三年内培育 3 所市级特色学校。',
      });
    }
  }

  // ---- An application of the demo school, waiting for the county's review (county.admin's 待办 工作室申报待评审).
  const [h5] = g.cast.take(pool, 1, (t) => t.org_id === plan.demoSchool.org.id && t.roles.includes('homeroom'));
  if (h5) {
    await studios.apply(
      ctx,
      schoolAdmin,
      ApplyBody.parse({
        name: `${h5.name}名班主任工作室`,
        kind: 'masterHomeroom',
        level: 'county',
        hostTeacherId: h5.id,
        planText: '以“小学低段习惯养成”为主题，三年内带出 6 名优秀青年班主任，形成班级管理案例集。',
      }),
    );
  }
  return { studios: n + (h5 ? 1 : 0), studioActivities: activities };
}

const isoPlus = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
