import type { Category, Stage } from '../platform/vocab.js';
import { isoOf, stamp, workday, yearOf, ymd } from './calendar.js';
import { COUNTIES } from './names.js';
import type { OrgPlan, SchoolSpec } from './org-plan.js';
import { Rng } from './prng.js';
import { F, type TeacherTraits } from './teacher-gen.js';
import type { BulkWriter } from './bulk.js';

/** Who a project enrols. Scope (county, school, stages) narrows it further. */
type Audience =
  | { kind: 'all' }
  | { kind: 'homeroom' }
  | { kind: 'psych' }
  | { kind: 'ideology' }
  | { kind: 'newHires'; year: number }
  | { kind: 'newTeachers' }
  | { kind: 'key'; share: number }
  | { kind: 'sample'; share: number; ruralOnly?: boolean };

export interface SessionSpec {
  id: number;
  n: number;
  title: string;
  day: number;
  start: string;
  end: string;
  place: string;
  hours: number;
  category: Category;
  /** '「项目名」第N次 标题', shared by every ledger row of the session. */
  desc: string;
  /** Check-in timestamps 3–20 minutes before the start, shared by all attendance rows. */
  checkins: string[];
}

/** How far ahead projects exist: later ones of the current year are not planned yet. */
export const PLANNING_HORIZON_DAYS = 60;
/** Days between a project's last session and its 学时认定 (closing): until then it is still 实施中. */
export const RECOGNITION_DAYS = 7;

export interface ProjectSpec {
  id: number;
  code: string;
  orgId: number;
  name: string;
  level: 'national' | 'province' | 'city' | 'county' | 'school';
  form: 'inPerson' | 'online' | 'blended' | 'outreach' | 'shadowing' | 'shadowTeacher' | 'onlineClassroom' | 'induction' | 'schoolBased';
  categories: Category[];
  startDay: number;
  endDay: number;
  closed: boolean;
  createdBy: number;
  sessions: SessionSpec[];
  audience: Audience;
  county?: number;
  schoolId?: number;
  stages?: readonly Stage[];
}

export interface DemoUsers {
  cityAdmin: number;
  countyAdmin: number;
  schoolAdmin: number;
  teacher: number;
  institution: number;
}

export interface TrainingOptions {
  seed: number;
  /** Years of history, the last one the reference date's year. */
  years: number[];
  /** The reference date ("today" of the demo data, the seed's asOf) as a day number. */
  refDay: number;
  /** Multiplies session and record counts (hours per row shrink accordingly): the benchmark's volume knob. */
  density: number;
  /** Further multiplies the density of years more than two before the reference year (default 1). */
  olderYears?: number;
}

/**
 * The demo writes years more than two before the reference year at about a third of the volume with the same
 * hours (fewer, longer sessions and records): the 5-year cycle adds up without making the seed much slower.
 */
export const OLD_YEAR_DENSITY = 0.35;
export function densityOf(opts: TrainingOptions, year: number): number {
  return opts.density * (year < yearOf(opts.refDay) - 2 ? (opts.olderYears ?? 1) : 1);
}

export const PROJECT_COLUMNS = [
  'id',
  'org_id',
  'code',
  'name',
  'level',
  'form',
  'categories',
  'target_hours',
  'start_date',
  'end_date',
  'status',
  'created_by',
  'created_at',
  'closed_at',
  'closed_by',
  'plan',
  'audience',
  'outbound',
  'self_enrol',
] as const;
export const SESSION_COLUMNS = ['id', 'project_id', 'title', 'date', 'start_time', 'end_time', 'place', 'hours', 'category', 'checkin_open'] as const;
export const ENROLMENT_COLUMNS = ['project_id', 'teacher_id', 'enrolled_at', 'enrolled_by'] as const;
export const ATTENDANCE_COLUMNS = ['session_id', 'teacher_id', 'method', 'at', 'by_user'] as const;
export const LEDGER_COLUMNS = [
  'id',
  'teacher_id',
  'hours',
  'category',
  'occurred_on',
  'source_type',
  'project_id',
  'session_id',
  'source_ref',
  'description',
  'recognised_by',
  'recognised_at',
  'reverses_id',
  'reason',
  'dedupe_key',
] as const;

const TITLES: Record<Category, string[]> = {
  ethics: [
    '新时代教师职业行为十项准则解读',
    '师德失范典型案例警示教育',
    '弘扬教育家精神 争做“四有”好老师',
    '依法执教与教师权益保护',
    '教师心理调适与职业幸福感',
  ],
  it: ['多媒体教学环境下的课堂设计', '数字教育资源的获取与应用', '智慧课堂与学情数据分析', '人工智能辅助教学实践', '信息化教学设计案例研讨', '微课设计与制作'],
  homeroom: [
    '班级文化建设与班集体管理',
    '主题班会的设计与组织',
    '家校沟通的方法与艺术',
    '学生心理问题的早期识别与干预',
    '班主任工作案例研讨',
    '学生综合素质评价实务',
  ],
  psych: ['学生心理健康筛查与危机干预', '团体心理辅导实务', '个体心理咨询技术', '心理健康教育课程设计', '家庭教育中的心理支持'],
  ideology: ['习近平新时代中国特色社会主义思想进课堂', '大中小学思政课一体化建设', '思政课教学设计与示范课观摩', '铸牢中华民族共同体意识教育'],
  subject: ['新课标解读与教学实施', '大单元教学设计', '核心素养导向的课堂教学', '作业设计与评价改革', '优秀课例观摩与研讨', '学科命题与试题分析'],
  induction: [
    '教育法律法规与教师职业规范',
    '课堂教学常规与教学设计',
    '班级管理入门',
    '教学基本功训练',
    '听课评课与教学反思',
    '教育教学案例分析',
    '师徒结对与成长规划',
    '学生发展与心理',
    '信息技术基础应用',
    '岗前培训考核与总结',
  ],
  schoolBased: ['集体备课', '听评课活动', '教研组主题研讨', '课例研究', '读书分享会', '作业设计研讨', '命题研究', '青年教师汇报课'],
  general: ['教师阅读与写作', '中华优秀传统文化素养', '教师礼仪与沟通', '科学素养专题讲座'],
};

const STAGE_GROUPS: { label: string; stages: Stage[] }[] = [
  { label: '幼儿园', stages: ['kindergarten'] },
  { label: '小学', stages: ['primary', 'special'] },
  { label: '中学', stages: ['junior', 'senior'] },
  { label: '中职', stages: ['vocational'] },
];

const roundHalf = (h: number) => Math.max(0.5, Math.round(h * 2) / 2);

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

/** Assigns ids in creation order: the same plan always gets the same ids. */
export class IdCounter {
  project = 0;
  session = 0;
  ledger = 0;
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

const MODULE_TITLES: Record<Category, string> = {
  ethics: '思想政治与师德师风教育',
  homeroom: '班主任专业能力提升',
  it: '信息技术应用能力提升',
  psych: '心理健康教育专项',
  ideology: '思政课教学能力提升',
  subject: '学科教学能力提升',
  induction: '岗前适应与教学基本功',
  schoolBased: '校本研修',
  general: '综合素养',
};

/** The training plan (modules with hours), one module per run of sessions of the same category. */
function planModules(p: ProjectSpec): { title: string; hours: number; category: Category }[] {
  const out: { title: string; hours: number; category: Category }[] = [];
  for (const s of p.sessions) {
    const last = out[out.length - 1];
    if (last && last.category === s.category) last.hours += s.hours;
    else out.push({ title: MODULE_TITLES[s.category], hours: s.hours, category: s.category });
  }
  return out;
}

/** The audience in the projects module's shape (stages, subjects, roles, titles). */
function audienceJson(p: ProjectSpec): string {
  const roles: Record<string, string[]> = {
    homeroom: ['homeroom'],
    psych: ['psychFullTime', 'psychPartTime'],
    ideology: ['ideology'],
    newHires: ['newTeacher'],
    newTeachers: ['newTeacher'],
  };
  return JSON.stringify({ stages: p.stages ?? [], subjects: [], roles: roles[p.audience.kind] ?? [], titles: [] });
}

/** Project and session rows for the bulk writer. */
export function writeProjects(w: BulkWriter, projects: ProjectSpec[], users: DemoUsers, refDay: number): void {
  for (const p of projects) {
    const target = p.sessions.reduce((a, s) => a + s.hours, 0);
    w.add('projects', [
      p.id,
      p.orgId,
      p.code,
      p.name,
      p.level,
      p.form,
      p.categories,
      target,
      isoOf(p.startDay),
      isoOf(p.endDay),
      // Lifecycle states of the projects module: 实施中 once sessions have begun, 报名中 before.
      p.closed ? 'closed' : p.startDay <= refDay ? 'running' : 'open',
      p.createdBy,
      // Nothing happened after the reference date: a project starting soon was set up before it.
      stamp(Math.min(p.startDay - 30, refDay - 12), '10:00'),
      p.closed ? stamp(p.endDay + RECOGNITION_DAYS, '10:00') : null,
      p.closed ? users.cityAdmin : null,
      JSON.stringify(planModules(p)),
      audienceJson(p),
      p.form === 'shadowing' || p.form === 'shadowTeacher',
      // Teachers may still sign up themselves for what has not started.
      !p.closed && p.startDay > refDay,
    ]);
    for (const s of p.sessions) {
      // Today's sessions have check-in open: the organiser's screen shows the QR code.
      const open = !p.closed && s.day === refDay;
      w.add('project_sessions', [s.id, p.id, s.title, isoOf(s.day), s.start, s.end, s.place, s.hours, s.category, open]);
    }
  }
}

interface Entry {
  id: number;
  hours: number;
  category: Category;
  day: number;
  source: 'project' | 'import' | 'schoolBased';
  projectId: number | null;
  sessionId: number | null;
  ref: string | null;
  desc: string;
  by: number;
  at: string;
  key: string;
}

const IMPORT_SOURCE = '国家中小学智慧教育平台';
const CATEGORY_LABEL: Partial<Record<Category, string>> = {
  it: '信息技术应用',
  ethics: '师德师风',
  subject: '学科教学',
  general: '综合素养',
  homeroom: '班主任专题',
};

/**
 * Writes one teacher's training history: enrolments, attendance, and ledger entries for closed projects,
 * school-based records, platform imports and (for a few teachers) a correction pair.
 */
export class TrainingWriter {
  private schoolById = new Map<number, SchoolSpec>();
  private byCounty = new Map<number, ProjectSpec[]>();
  private cityWide: ProjectSpec[] = [];
  private corrections: Set<number>;
  constructor(
    private plan: OrgPlan,
    private traits: TeacherTraits,
    private opts: TrainingOptions,
    private users: DemoUsers,
    private ids: IdCounter,
    global: ProjectSpec[],
  ) {
    for (const s of plan.schools) this.schoolById.set(s.org.id, s);
    for (const p of global) {
      if (p.county === undefined) this.cityWide.push(p);
      else (this.byCounty.get(p.county) ?? this.byCounty.set(p.county, []).get(p.county)!).push(p);
    }
    const n = traits.n;
    const pairs = Math.max(2, Math.round(n / 1500));
    this.corrections = new Set([plan.demoSchool.firstTeacher, ...Array.from({ length: pairs }, (_, k) => Math.floor(((k + 0.5) * n) / pairs))]);
  }

  private eligible(p: ProjectSpec, i: number, school: SchoolSpec, rng: Rng): boolean {
    const t = this.traits;
    const flags = t.flags[i];
    const exit = t.exitDay[i];
    if (exit && exit <= p.startDay) return false;
    if (!(flags & F.active) && p.endDay >= this.opts.refDay) return false;
    if (p.schoolId !== undefined && p.schoolId !== school.org.id) return false;
    if (p.county !== undefined && p.county !== school.county) return false;
    if (p.stages && !p.stages.includes(school.stage)) return false;
    const a = p.audience;
    if (a.kind === 'newHires') {
      const hy = new Date(t.hireDay[i] * 86_400_000).getUTCFullYear();
      return hy === a.year;
    }
    if (t.hireDay[i] > p.startDay) return false;
    switch (a.kind) {
      case 'all':
        return true;
      case 'homeroom':
        return t.homeroomSince[i] !== 0 && t.homeroomSince[i] <= p.startDay;
      case 'psych':
        return (flags & (F.psychFull | F.psychPart)) !== 0;
      case 'ideology':
        return (flags & F.ideology) !== 0;
      case 'newTeachers':
        return (flags & F.newTeacher) !== 0;
      case 'key':
        return (flags & F.key) !== 0 && rng.chance(a.share);
      case 'sample':
        return (!a.ruralOnly || school.rural) && rng.chance(a.share);
    }
  }

  /** Everything for teacher index i (teacher id i + 1). `schoolProjects` are the projects of the teacher's school. */
  write(w: BulkWriter, i: number, schoolProjects: ProjectSpec[]): void {
    const { opts, users, traits } = this;
    const tid = i + 1;
    const rng = Rng.of(opts.seed, 'train', i);
    const school = this.schoolById.get(traits.school[i])!;
    const diligence = traits.diligence[i] * (school.weak ? 0.82 : 1);
    const exit = traits.exitDay[i] || Number.MAX_SAFE_INTEGER;
    const recogniser = school === this.plan.demoSchool ? users.schoolAdmin : school.county === this.plan.demoCounty ? users.countyAdmin : users.cityAdmin;
    const entries: Entry[] = [];

    const projects = [this.cityWide, this.byCounty.get(school.county) ?? [], schoolProjects];
    for (const list of projects) {
      for (const p of list) {
        if (!this.eligible(p, i, school, rng)) continue;
        // A project not begun yet has part of its audience signed up so far, in the last days.
        const upcoming = p.startDay > opts.refDay;
        if (upcoming && !rng.chance(0.4)) continue;
        w.add('enrolments', [p.id, tid, stamp(upcoming ? opts.refDay - rng.int(1, 10) : p.startDay - 10, '09:00'), p.createdBy]);
        const attend = Math.min(0.995, diligence * (p.form === 'online' ? 1.01 : 1));
        const selfCheckIn = p.form !== 'online' && p.form !== 'onlineClassroom';
        for (const s of p.sessions) {
          if (s.day >= opts.refDay || s.day >= exit || !rng.chance(attend)) continue;
          const qr = selfCheckIn && rng.chance(0.9);
          w.add('attendance', [s.id, tid, qr ? 'qr' : 'manual', s.checkins[rng.int(0, 17)], qr ? null : p.createdBy]);
          if (!p.closed) continue;
          entries.push({
            id: 0,
            hours: s.hours,
            category: s.category,
            day: s.day,
            source: 'project',
            projectId: p.id,
            sessionId: s.id,
            ref: p.code,
            desc: s.desc,
            by: users.cityAdmin,
            at: stamp(p.endDay + RECOGNITION_DAYS, '10:00'),
            key: `project:${p.id}:session:${s.id}:teacher:${tid}`,
          });
        }
      }
    }

    const hireDay = traits.hireDay[i];
    const since = traits.homeroomSince[i];
    for (const y of opts.years) {
      const yStart = ymd(y, 1, 1);
      const density = densityOf(opts, y);
      if (hireDay > ymd(y, 12, 31) || exit <= yStart) continue;
      const ok = (d: number) => d >= hireDay && d < exit && d < opts.refDay;
      // Recognised some days after the event, but never after the reference date.
      const later = (d: number, days: number) => Math.min(d + days, opts.refDay - 1);

      // 校本研修 records kept by the school (lesson study, lesson observation …).
      const sbCount = Math.max(1, Math.round(6 * density * (school.weak ? 0.6 : 1)));
      const sbHours = roundHalf(4 / density);
      for (let k = 0; k < sbCount; k++) {
        const term = k % 2 === 0 ? ymd(y, 3, 1) + rng.int(0, 110) : ymd(y, 9, 1) + rng.int(0, 105);
        const d = workday(term);
        if (!ok(d) || !rng.chance(Math.min(1, diligence + 0.03))) continue;
        const title = rng.pick(TITLES.schoolBased);
        entries.push({
          id: 0,
          hours: roundHalf(sbHours + (density === 1 ? rng.int(-2, 2) / 2 : 0)),
          category: 'schoolBased',
          day: d,
          source: 'schoolBased',
          projectId: null,
          sessionId: null,
          ref: `${school.org.name}校本研修记录`,
          desc: `校本研修：${title}`,
          by: recogniser,
          at: stamp(later(d, 3), '16:00'),
          key: `schoolBased:${tid}:${y}:${k}`,
        });
      }
      const homeroomThisYear = since !== 0 && since <= ymd(y, 12, 31);
      if (homeroomThisYear) {
        const n = Math.max(1, Math.round(3 * density));
        for (let k = 0; k < n; k++) {
          const d = workday([ymd(y, 4, 8), ymd(y, 6, 3), ymd(y, 11, 10)][k % 3] + rng.int(0, 25));
          if (d < since || !ok(d) || !rng.chance(diligence)) continue;
          entries.push({
            id: 0,
            hours: roundHalf(3 / density),
            category: 'homeroom',
            day: d,
            source: 'schoolBased',
            projectId: null,
            sessionId: null,
            ref: `${school.org.name}班主任工作坊`,
            desc: `校本研修：班主任工作坊（${rng.pick(TITLES.homeroom)}）`,
            by: recogniser,
            at: stamp(later(d, 3), '16:00'),
            key: `schoolBased:homeroom:${tid}:${y}:${k}`,
          });
        }
      }

      // Imports from the national platform: winter and summer 研修, and the 班主任 topic in summer.
      const importP = diligence >= 0.95 ? 0.5 : diligence >= 0.85 ? 0.4 : diligence >= 0.6 ? 0.25 : 0.05;
      const seasons: [string, number, Category[], number, number][] = [
        ['winter', ymd(y, 2, 28), ['it', 'it', 'ethics', 'subject'], 2, 6],
        ['summer', ymd(y, 8, 31), ['subject', 'subject', 'it', 'general'], 3, 10],
      ];
      for (const [season, d, cats, lo, hi] of seasons) {
        if (!ok(d) || !rng.chance(importP)) continue;
        const cat = rng.pick(cats);
        const label = `${y}年${season === 'winter' ? '寒假' : '暑期'}教师研修`;
        entries.push({
          id: 0,
          hours: rng.int(lo * 2, hi * 2) / 2,
          category: cat,
          day: d,
          source: 'import',
          projectId: null,
          sessionId: null,
          ref: `${IMPORT_SOURCE}·${label}`,
          desc: `${IMPORT_SOURCE} ${label}（${CATEGORY_LABEL[cat]}）`,
          by: users.cityAdmin,
          at: stamp(later(d, 12), '09:30'),
          key: `import:smartedu:${y}:${season}:${tid}`,
        });
      }
      const summer = ymd(y, 8, 31);
      const homeroomImportP = diligence >= 0.95 ? 0.95 : diligence >= 0.85 ? 0.75 : diligence >= 0.6 ? 0.4 : 0.1;
      if (since !== 0 && since <= summer && ok(summer) && rng.chance(homeroomImportP)) {
        const label = `${y}年暑期教师研修`;
        entries.push({
          id: 0,
          hours: 10,
          category: 'homeroom',
          day: summer,
          source: 'import',
          projectId: null,
          sessionId: null,
          ref: `${IMPORT_SOURCE}·${label}`,
          desc: `${IMPORT_SOURCE} ${label}（班主任专题）`,
          by: users.cityAdmin,
          at: stamp(later(summer, 12), '09:30'),
          key: `import:smartedu:${y}:summer-homeroom:${tid}`,
        });
      }
    }

    entries.sort((a, b) => a.day - b.day || (a.key < b.key ? -1 : 1));
    for (const e of entries) {
      e.id = ++this.ids.ledger;
      w.add('ledger_entries', [e.id, tid, e.hours, e.category, isoOf(e.day), e.source, e.projectId, e.sessionId, e.ref, e.desc, e.by, e.at, null, null, e.key]);
    }

    // A correction pair: the original stays, a reversing entry cancels it (the ledger is append-only).
    if (this.corrections.has(i) && entries.length) {
      const target = entries.find((e) => e.source === 'import') ?? entries[entries.length - 1];
      const reason = target.source === 'import' ? '与本地培训项目学时重复登记，予以冲销' : '经核查本人未参加该场次，签到记录有误，予以冲销';
      w.add('ledger_entries', [
        ++this.ids.ledger,
        tid,
        -target.hours,
        target.category,
        isoOf(target.day),
        'correction',
        target.projectId,
        target.sessionId,
        target.ref,
        `冲销：${target.desc}`,
        users.cityAdmin,
        stamp(Math.max(target.day, Math.min(target.day + 40, opts.refDay - 3)), '15:00'),
        target.id,
        reason,
        `reverse:${target.id}`,
      ]);
    }
  }
}
