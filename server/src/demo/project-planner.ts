import type { Category, Stage } from '../platform/vocab.js';
import { stamp, workday, yearOf, ymd } from './calendar.js';
import { COUNTIES } from './names.js';
import type { OrgPlan, SchoolSpec } from './org-plan.js';
import { Rng } from './prng.js';
import {
  type DemoUsers,
  densityOf,
  type IdCounter,
  PLANNING_HORIZON_DAYS,
  type ProjectSpec,
  RECOGNITION_DAYS,
  roundHalf,
  TITLES,
  type TrainingOptions,
} from './training-spec.js';

const STAGE_GROUPS: { label: string; stages: Stage[] }[] = [
  { label: '幼儿园', stages: ['kindergarten'] },
  { label: '小学', stages: ['primary', 'special'] },
  { label: '中学', stages: ['junior', 'senior'] },
  { label: '中职', stages: ['vocational'] },
];

/** 春季 (February–July) or 秋季 (August–January) of a day number: the school term it falls in. */
function termOf(day: number): string {
  const m = new Date(day * 86_400_000).getUTCMonth() + 1;
  return m >= 2 && m <= 7 ? '春季' : '秋季';
}

/** 'HH:MM' + minutes. */
function addMinutes(hhmm: string, minutes: number): string {
  const [h, m] = hhmm.split(':').map(Number);
  const t = h * 60 + m + minutes;
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

interface SessionPlan {
  count: number;
  totalHours: number;
  from: number;
  to: number;
  category: Category;
  /** Open with a 师德师风 session (the plan's first module, 004 §三(三)1), in addition to `count`. */
  ethicsFirst?: boolean;
  places: string[];
  evening?: boolean;
  /** One session per working day from `from` on (岗前 training counts distinct days); `to` is ignored. */
  daily?: boolean;
  /** Session days as given (`count`, `from`, `to` ignored), kept even on a weekend: a project running today. */
  days?: number[];
}

/**
 * Builds projects and their sessions. City and county projects are planned up front; a school's own
 * projects are planned when its teachers are written, so memory stays bounded at any size.
 */
export class ProjectPlanner {
  readonly global: ProjectSpec[] = [];
  private inst1: string;
  private inst2: string;
  constructor(
    private plan: OrgPlan,
    private opts: TrainingOptions,
    private users: DemoUsers,
    private ids: IdCounter,
  ) {
    this.inst1 = plan.institutions[0].name;
    this.inst2 = plan.institutions[1].name;
  }

  private project(
    p: Omit<ProjectSpec, 'id' | 'code' | 'categories' | 'sessions' | 'startDay' | 'endDay' | 'closed'> & { closed?: boolean },
    sessions: SessionPlan,
  ): ProjectSpec {
    const id = ++this.ids.project;
    // Categories follow from the sessions (as the projects module derives them from the plan's modules).
    const spec: ProjectSpec = { ...p, id, code: '', categories: [], sessions: [], startDay: 0, endDay: 0, closed: false };
    const n = sessions.days ? sessions.days.length : Math.max(1, Math.round(sessions.count * densityOf(this.opts, yearOf(sessions.from))));
    const hours = roundHalf(sessions.totalHours / n);
    const rng = Rng.of(this.opts.seed, 'sessions', id);
    // The plan's first module is 思想政治和师德师风 (004 §三(三)1): an extra session before the main ones.
    const days: [number, Category][] = [];
    if (sessions.ethicsFirst) days.push([sessions.from, 'ethics']);
    const from = sessions.ethicsFirst ? sessions.from + 1 : sessions.from;
    const span = Math.max(0, sessions.to - from);
    if (sessions.days) for (const d of sessions.days) days.push([d, sessions.category]);
    else if (sessions.daily) {
      // Consecutive working days, none shared with the opening session (weekends would fold two onto one Monday).
      let d = sessions.ethicsFirst ? workday(sessions.from) : from - 1;
      for (let k = 0; k < n; k++) days.push([(d = workday(d + 1)), sessions.category]);
    } else for (let k = 0; k < n; k++) days.push([from + (n === 1 ? 0 : Math.round((k * span) / (n - 1))), sessions.category]);
    days.forEach(([d, category], k) => {
      const day = sessions.days ? d : workday(d);
      const title = TITLES[category][(k + rng.int(0, 5)) % TITLES[category].length];
      const start = sessions.evening && hours <= 3 ? '19:00' : hours > 3.5 ? '08:30' : k % 2 ? '14:30' : '08:30';
      const end = addMinutes(start, hours * 60 + (hours > 3.5 ? 90 : 0));
      spec.sessions.push({
        id: ++this.ids.session,
        n: k + 1,
        title,
        day,
        start,
        end,
        place: sessions.places[k % sessions.places.length],
        hours,
        category,
        desc: `「${p.name}」第${k + 1}次 ${title}`,
        checkins: Array.from({ length: 18 }, (_, m) => stamp(day, addMinutes(start, -(m + 3)))),
      });
    });
    spec.categories = [...new Set(spec.sessions.map((x) => x.category))];
    spec.startDay = spec.sessions[0].day;
    spec.endDay = spec.sessions[spec.sessions.length - 1].day;
    spec.code = `P${new Date(spec.startDay * 86_400_000).getUTCFullYear()}-${String(id).padStart(6, '0')}`;
    spec.closed = p.closed ?? spec.endDay + RECOGNITION_DAYS < this.opts.refDay;
    return spec;
  }

  /** Projects further ahead than the planning horizon do not exist yet. */
  private planned(p: ProjectSpec): boolean {
    return p.startDay <= this.opts.refDay + PLANNING_HORIZON_DAYS;
  }

  /**
   * City and county projects of every year (those of the current year up to the planning horizon), then the
   * present: finished and awaiting 学时认定, running today, open for enrolment.
   */
  planGlobal(): ProjectSpec[] {
    const { plan, users } = this;
    const city = plan.city.id;
    const [inst1, inst2] = plan.institutions.map((o) => o.id);
    const hall1 = `${this.inst1}报告厅`;
    const room1 = `${this.inst1}302教室`;
    const hall2 = `${this.inst2}学术报告厅`;
    const online = '线上（国家中小学智慧教育平台）';
    const meeting = '线上（腾讯会议）';
    const add = (p: ProjectSpec) => {
      if (this.planned(p)) this.global.push(p);
    };
    const rng = Rng.of(this.opts.seed, 'plans');
    for (const y of this.opts.years) {
      add(
        this.project(
          {
            orgId: city,
            name: `${y}年全市中小学（幼儿园）教师师德师风专题网络培训`,
            level: 'city',
            form: 'online',
            createdBy: users.cityAdmin,
            audience: { kind: 'all' },
          },
          { count: 2, totalHours: 6, from: ymd(y, 3, 10), to: ymd(y, 3, 24), category: 'ethics', places: [online], evening: true },
        ),
      );
      add(
        this.project(
          {
            orgId: inst1,
            name: `${y}年中小学教师信息技术应用能力提升工程2.0专题研修`,
            level: 'city',
            form: 'online',
            createdBy: users.institution,
            audience: { kind: 'all' },
          },
          { count: 5, totalHours: 10, from: ymd(y, 4, 8), to: ymd(y, 6, 10), category: 'it', places: [online], evening: true },
        ),
      );
      add(
        this.project(
          {
            orgId: inst1,
            name: `${y}年全市中小学班主任能力提升培训`,
            level: 'city',
            form: 'inPerson',
            createdBy: users.institution,
            audience: { kind: 'homeroom' },
          },
          { count: 5, totalHours: 15, from: ymd(y, 7, 13), to: ymd(y, 7, 20), category: 'homeroom', ethicsFirst: true, places: [hall1] },
        ),
      );
      // 10 岗前 days (000 二（四）“不少于10天的岗前脱产培训”): a new teacher who misses a day falls short.
      add(
        this.project(
          {
            orgId: inst1,
            name: `${y}年新入职教师岗前培训`,
            level: 'city',
            form: 'induction',
            createdBy: users.institution,
            audience: { kind: 'newHires', year: y },
          },
          { count: 10, totalHours: 60, from: ymd(y, 8, 14), to: ymd(y, 8, 28), category: 'induction', ethicsFirst: true, daily: true, places: [room1] },
        ),
      );
      add(
        this.project(
          { orgId: inst2, name: `${y}年心理健康教育教师专项培训`, level: 'city', form: 'blended', createdBy: users.cityAdmin, audience: { kind: 'psych' } },
          { count: 4, totalHours: 18, from: ymd(y, 8, 3), to: ymd(y, 8, 7), category: 'psych', places: [hall2, meeting] },
        ),
      );
      add(
        this.project(
          { orgId: inst2, name: `${y}年思政课教师集中研修`, level: 'city', form: 'inPerson', createdBy: users.cityAdmin, audience: { kind: 'ideology' } },
          { count: 4, totalHours: 16, from: ymd(y, 7, 6), to: ymd(y, 7, 9), category: 'ideology', places: [hall2] },
        ),
      );
      add(
        this.project(
          {
            orgId: inst1,
            name: `“国培计划”（${y}）——中小学骨干教师示范培训`,
            level: 'national',
            form: 'inPerson',
            createdBy: users.institution,
            audience: { kind: 'key', share: 0.3 },
          },
          { count: 4, totalHours: 24, from: ymd(y, 10, 12), to: ymd(y, 10, 16), category: 'subject', ethicsFirst: true, places: [hall1] },
        ),
      );
      add(
        this.project(
          {
            orgId: inst2,
            name: `${y}年自治区级骨干教师能力提升培训（区培）`,
            level: 'province',
            form: 'blended',
            createdBy: users.cityAdmin,
            audience: { kind: 'key', share: 0.3 },
          },
          { count: 4, totalHours: 24, from: ymd(y, 11, 2), to: ymd(y, 11, 20), category: 'subject', places: [hall2, meeting] },
        ),
      );
      add(
        this.project(
          {
            orgId: city,
            name: `${y}年“名校网络课堂”同步研修`,
            level: 'city',
            form: 'onlineClassroom',
            createdBy: users.cityAdmin,
            audience: { kind: 'sample', share: 0.1 },
          },
          { count: 3, totalHours: 6, from: ymd(y, 3, 15), to: ymd(y, 10, 20), category: 'subject', places: [online], evening: true },
        ),
      );
      add(
        this.project(
          {
            orgId: inst1,
            name: `${y}年乡村教师“影子教师”跟岗研修`,
            level: 'city',
            form: 'shadowTeacher',
            createdBy: users.institution,
            audience: { kind: 'sample', share: 0.15, ruralOnly: true },
          },
          { count: 5, totalHours: 30, from: ymd(y, 5, 11), to: ymd(y, 5, 15), category: 'subject', places: [`${plan.demoSchool.org.name}（跟岗基地校）`] },
        ),
      );

      plan.counties.forEach((c, ci) => {
        const cname = COUNTIES[ci].name;
        const owner = c.bureau.id;
        const by = ci === plan.demoCounty ? users.countyAdmin : users.cityAdmin;
        const dc = `${cname}教师发展中心报告厅`;
        add(
          this.project(
            {
              orgId: owner,
              name: `${cname}${y}年班主任工作专题培训`,
              level: 'county',
              form: 'inPerson',
              createdBy: by,
              audience: { kind: 'homeroom' },
              county: ci,
            },
            { count: 5, totalHours: 15, from: ymd(y, 10, 15), to: ymd(y, 11, 12), category: 'homeroom', ethicsFirst: rng.chance(0.8), places: [dc] },
          ),
        );
        for (const g of STAGE_GROUPS) {
          if (!c.schools.some((s) => g.stages.includes(s.stage))) continue;
          add(
            this.project(
              {
                orgId: owner,
                name: `${cname}${y}年${g.label}教师学科教学能力提升培训`,
                level: 'county',
                form: 'blended',
                createdBy: by,
                audience: { kind: 'all' },
                county: ci,
                stages: g.stages,
              },
              { count: 3, totalHours: 12, from: ymd(y, 9, 22), to: ymd(y, 12, 10), category: 'subject', ethicsFirst: rng.chance(0.6), places: [dc, meeting] },
            ),
          );
        }
        const rural = c.schools.find((s) => s.rural);
        if (rural) {
          add(
            this.project(
              {
                orgId: owner,
                name: `${cname}${y}年“送教下乡”活动`,
                level: 'county',
                form: 'outreach',
                createdBy: by,
                audience: { kind: 'sample', share: 0.5, ruralOnly: true },
                county: ci,
              },
              { count: 2, totalHours: 6, from: ymd(y, 4, 20), to: ymd(y, 11, 18), category: 'subject', places: [rural.org.name] },
            ),
          );
        }
      });
    }

    // The present, relative to the reference date r (the seed's asOf), whatever day that is.
    const r = this.opts.refDay;
    const dc = plan.counties[plan.demoCounty].bureau.id;
    const dcName = COUNTIES[plan.demoCounty].name;
    const dcHall = `${dcName}教师发展中心报告厅`;
    // Finished in the last weeks, attendance taken, hours not yet recognised (学时认定 still to do).
    add(
      this.project(
        {
          orgId: inst1,
          name: `${yearOf(r - 45)}年${termOf(r - 45)}学科教学专题研修`,
          level: 'city',
          form: 'blended',
          createdBy: users.institution,
          audience: { kind: 'sample', share: 0.12 },
          closed: false,
        },
        { count: 3, totalHours: 9, from: r - 45, to: r - 12, category: 'subject', places: [hall1, meeting] },
      ),
    );
    add(
      this.project(
        {
          orgId: dc,
          name: `${dcName}${yearOf(r - 30)}年${termOf(r - 30)}班主任基本功展示与研修`,
          level: 'county',
          form: 'inPerson',
          createdBy: users.countyAdmin,
          audience: { kind: 'homeroom' },
          county: plan.demoCounty,
          closed: false,
        },
        { count: 2, totalHours: 6, from: r - 30, to: r - 9, category: 'homeroom', places: [dcHall] },
      ),
    );
    // Running now: a session every week, one today (check-in open: the QR code shows) and one tomorrow.
    add(
      this.project(
        {
          orgId: dc,
          name: `${dcName}${yearOf(r - 14)}年人工智能赋能课堂教学专题研修`,
          level: 'county',
          form: 'blended',
          createdBy: users.countyAdmin,
          audience: { kind: 'all' },
          county: plan.demoCounty,
        },
        { count: 5, totalHours: 12.5, from: r, to: r, days: [r - 14, r - 7, r, r + 1, r + 7], category: 'it', places: [dcHall, meeting] },
      ),
    );
    // Open for enrolment, starting in the coming weeks.
    add(
      this.project(
        {
          orgId: inst1,
          name: `${yearOf(r + 23)}年${termOf(r + 23)}全市班主任专题培训`,
          level: 'city',
          form: 'inPerson',
          createdBy: users.institution,
          audience: { kind: 'homeroom' },
        },
        { count: 3, totalHours: 9, from: r + 23, to: r + 44, category: 'homeroom', ethicsFirst: true, places: [hall1] },
      ),
    );
    add(
      this.project(
        {
          orgId: dc,
          name: `${dcName}${yearOf(r + 16)}年新教师跟岗学习`,
          level: 'county',
          form: 'shadowing',
          createdBy: users.countyAdmin,
          audience: { kind: 'newTeachers' },
          county: plan.demoCounty,
        },
        { count: 3, totalHours: 18, from: r + 16, to: r + 37, category: 'induction', places: [`${plan.demoSchool.org.name}`] },
      ),
    );
    add(
      this.project(
        {
          orgId: inst2,
          name: `${yearOf(r + 30)}年心理健康教育教师专项培训（第二期）`,
          level: 'city',
          form: 'blended',
          createdBy: users.cityAdmin,
          audience: { kind: 'psych' },
        },
        { count: 2, totalHours: 8, from: r + 30, to: r + 45, category: 'psych', places: [hall2, meeting] },
      ),
    );
    return this.global;
  }

  /** A school's own 校本研修 projects, one per term (the demo school also has one running today). */
  planSchool(s: SchoolSpec): ProjectSpec[] {
    const out: ProjectSpec[] = [];
    const by = s === this.plan.demoSchool ? this.users.schoolAdmin : this.users.cityAdmin;
    const places = [`${s.org.name}会议室`, `${s.org.name}录播教室`];
    const rng = Rng.of(this.opts.seed, 'plans', s.org.id);
    for (const y of this.opts.years) {
      // One project a term, so the hours of the spring term are recognised before the autumn one begins.
      const ethicsFirst = rng.chance(0.5);
      for (const [term, from, to] of [
        ['春季', ymd(y, 3, 12), ymd(y, 6, 19)],
        ['秋季', ymd(y, 9, 8), ymd(y, 11, 20)],
      ] as const) {
        const p = this.project(
          {
            orgId: s.org.id,
            name: `${s.org.name}${y}年${term}校本研修`,
            level: 'school',
            form: 'schoolBased',
            createdBy: by,
            audience: { kind: 'all' },
            schoolId: s.org.id,
          },
          { count: 3, totalHours: 12, from, to, category: 'schoolBased', ethicsFirst: ethicsFirst && term === '春季', places },
        );
        if (this.planned(p)) out.push(p);
      }
    }
    if (s === this.plan.demoSchool) {
      // The demo school's own topic this term: sessions before and after today.
      const r = this.opts.refDay;
      out.push(
        this.project(
          {
            orgId: s.org.id,
            name: `${s.org.name}${yearOf(r - 20)}年${termOf(r - 20)}校本研修专题`,
            level: 'school',
            form: 'schoolBased',
            createdBy: by,
            audience: { kind: 'all' },
            schoolId: s.org.id,
          },
          { count: 4, totalHours: 8, from: r - 20, to: r + 18, category: 'schoolBased', places },
        ),
      );
    }
    return out;
  }
}
