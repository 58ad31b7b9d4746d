/** The projects and project_sessions rows of the demo's planned projects. */
import type { Category } from '../platform/vocab.js';
import type { BulkWriter } from './bulk.js';
import { isoOf, stamp } from './calendar.js';
import { type DemoUsers, type ProjectSpec, RECOGNITION_DAYS } from './training-spec.js';

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
