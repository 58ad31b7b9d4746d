import type { Category } from '../platform/vocab.js';
import type { BulkWriter } from './bulk.js';
import { isoOf, stamp, workday, ymd } from './calendar.js';
import type { OrgPlan, SchoolSpec } from './org-plan.js';
import { Rng } from './prng.js';
import { F, type TeacherTraits } from './teacher-gen.js';
import { densityOf, type DemoUsers, type IdCounter, type ProjectSpec, RECOGNITION_DAYS, roundHalf, TITLES, type TrainingOptions } from './training-spec.js';

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
