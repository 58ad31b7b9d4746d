/**
 * What the demo's training generators share: the project and session specs, the volume knobs, the id counter
 * and the session titles. The planner (project-planner.ts) builds projects, project-rows.ts writes them, and
 * training-history.ts writes each teacher's enrolments, attendance and 学时 ledger.
 */
import type { Category, Stage } from '../platform/vocab.js';
import { yearOf } from './calendar.js';

/** Who a project enrols. Scope (county, school, stages) narrows it further. */
export type Audience =
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

/** Session titles by category. */
export const TITLES: Record<Category, string[]> = {
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

/** Hours rounded to a half, at least half an hour. */
export const roundHalf = (h: number) => Math.max(0.5, Math.round(h * 2) / 2);

/** Assigns ids in creation order: the same plan always gets the same ids. */
export class IdCounter {
  project = 0;
  session = 0;
  ledger = 0;
}
