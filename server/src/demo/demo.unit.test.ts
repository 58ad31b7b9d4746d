import { describe, expect, it } from 'vitest';
import { TeacherInput } from '../modules/teachers/teachers.schema.js';
import { parseNationalId } from '../platform/national-id.js';
import { copyValue } from './bulk.js';
import { dayOf, isoOf, workday } from './calendar.js';
import { chineseNumber, COUNTIES } from './names.js';
import { apportion, planOrgs } from './org-plan.js';
import { Rng } from './prng.js';
import { generateTeacher, TeacherTraits, type TeacherGenContext } from './teacher-gen.js';
import type { BulkWriter } from './bulk.js';
import {
  ATTENDANCE_COLUMNS,
  ENROLMENT_COLUMNS,
  IdCounter,
  LEDGER_COLUMNS,
  OLD_YEAR_DENSITY,
  PLANNING_HORIZON_DAYS,
  PROJECT_COLUMNS,
  ProjectPlanner,
  SESSION_COLUMNS,
  TrainingWriter,
  writeProjects,
  type TrainingOptions,
} from './training-gen.js';

function teachers(n: number, seed: number) {
  const plan = planOrgs(n, seed);
  const traits = new TeacherTraits(n);
  const ctx: TeacherGenContext = { seed, refDay: dayOf('2026-11-01'), lastYear: 2025, usedIds: new Set(), dualShare: new Map() };
  const out = [];
  let si = 0;
  for (let i = 0; i < n; i++) {
    while (i >= plan.schools[si].firstTeacher + plan.schools[si].teachers) si++;
    const s = plan.schools[si];
    out.push({ school: s, input: generateTeacher(ctx, traits, i, s, i - s.firstTeacher, s === plan.demoSchool && i === s.firstTeacher) });
  }
  return { plan, traits, out };
}

describe('demo generator building blocks', () => {
  it('mulberry32 streams repeat for the same seed and differ for another', () => {
    const a = Rng.of(1, 'x');
    const b = Rng.of(1, 'x');
    const c = Rng.of(2, 'x');
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('writes Chinese numerals for school names', () => {
    expect([1, 10, 12, 20, 35, 100, 105, 1234].map(chineseNumber)).toEqual(['一', '十', '十二', '二十', '三十五', '一百', '一百零五', '一千二百三十四']);
  });

  it('apportions exactly', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(
      apportion(
        120,
        COUNTIES.map((c) => c.weight),
      ).reduce((a, b) => a + b, 0),
    ).toBe(120);
  });

  it('escapes COPY text values', () => {
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue('a\tb\\c\nd')).toBe('a\\tb\\\\c\\nd');
    expect(copyValue(['语文', 'a"b'])).toBe('{"语文","a\\\\"b"}');
    expect(copyValue(true)).toBe('t');
  });

  it('moves weekend dates to Monday', () => {
    expect(isoOf(workday(dayOf('2025-03-08')))).toBe('2025-03-10');
    expect(isoOf(workday(dayOf('2025-03-07')))).toBe('2025-03-07');
  });
});

describe('the fictional city', () => {
  it('has about N/50 schools in 7 counties, every county with a primary school, teachers adding up to N', () => {
    const plan = planOrgs(6000, 1);
    expect(plan.counties).toHaveLength(7);
    expect(plan.schools.length).toBeGreaterThanOrEqual(115);
    expect(plan.schools.length).toBeLessThanOrEqual(125);
    for (const c of plan.counties) expect(c.schools.some((s) => s.stage === 'primary')).toBe(true);
    expect(plan.schools.reduce((a, s) => a + s.teachers, 0)).toBe(6000);
    expect(new Set(plan.orgs.map((o) => o.code)).size).toBe(plan.orgs.length);
    expect(plan.demoSchool.county).toBe(plan.demoCounty);
    expect(plan.schools.filter((s) => s.stage === 'special').length).toBeGreaterThanOrEqual(1);
    expect(plan.schools.every((s) => (s.org.budget ?? 0) > 0)).toBe(true);
  });

  it('generates teachers the registry itself would accept, with unique valid 身份证号', () => {
    const { out, traits } = teachers(2000, 3);
    const ids = new Set<string>();
    for (const { input, school } of out) {
      const parsed = TeacherInput.safeParse(input);
      if (!parsed.success) throw new Error(`${input.name}: ${parsed.error.message}`);
      const id = parseNationalId(input.nationalId);
      expect(id.ok).toBe(true);
      expect(input.nationalId.slice(0, 6)).toBe(COUNTIES[school.county].code);
      ids.add(input.nationalId);
      expect(input.stage).toBe(school.stage);
      if (school.stage === 'kindergarten') expect(input.subjects).toEqual(['学前教育']);
      for (const r of input.roles) if (r.since && input.hireDate) expect(r.since >= input.hireDate).toBe(true);
    }
    expect(ids.size).toBe(2000);
    const voc = out.filter((t) => t.school.stage === 'vocational');
    if (voc.length) expect(voc.some((t) => t.input.subjects.includes('专业课'))).toBe(true);
    const homeroom = out.filter((t) => t.input.roles.some((r) => r.role === 'homeroom')).length;
    expect(homeroom / out.length).toBeGreaterThan(0.14);
    expect(homeroom / out.length).toBeLessThan(0.26);
    expect(traits.diligence.every((d) => d > 0 && d < 1)).toBe(true);
  }, 60_000);

  it('is the same for the same seed', () => {
    const a = teachers(300, 9).out.map((t) => t.input);
    const b = teachers(300, 9).out.map((t) => t.input);
    expect(b).toEqual(a);
    expect(teachers(300, 10).out.map((t) => t.input.name)).not.toEqual(a.map((t) => t.name));
  });
});

/** Rows a BulkWriter would write, kept in memory. */
class RowSink {
  rows: Record<string, unknown[][]> = {};
  add(name: string, row: readonly unknown[]): void {
    (this.rows[name] ??= []).push([...row]);
  }
}

/** The whole generator (orgs, teachers, projects, one row per attendance and hour) for `asOf`, without a database. */
function generateAt(asOf: string, n = 150, seed = 5) {
  const refDay = dayOf(asOf);
  const refYear = Number(asOf.slice(0, 4));
  const plan = planOrgs(n, seed);
  const traits = new TeacherTraits(n);
  const gen: TeacherGenContext = { seed, refDay, lastYear: refYear - 1, usedIds: new Set(), dualShare: new Map() };
  const teachers = [];
  let si = 0;
  for (let i = 0; i < n; i++) {
    while (i >= plan.schools[si].firstTeacher + plan.schools[si].teachers) si++;
    const s = plan.schools[si];
    teachers.push(generateTeacher(gen, traits, i, s, i - s.firstTeacher, s === plan.demoSchool && i === s.firstTeacher));
  }
  const opts: TrainingOptions = { seed, years: [0, 1, 2, 3, 4].map((k) => refYear - 4 + k), refDay, density: 1, olderYears: OLD_YEAR_DENSITY };
  const users = { cityAdmin: 1, countyAdmin: 2, schoolAdmin: 3, teacher: 4, institution: 5 };
  const ids = new IdCounter();
  const planner = new ProjectPlanner(plan, opts, users, ids);
  const global = planner.planGlobal();
  const sink = new RowSink();
  const w = sink as unknown as BulkWriter;
  writeProjects(w, global, users, refDay);
  const writer = new TrainingWriter(plan, traits, opts, users, ids, global);
  const projects = [...global];
  for (const s of plan.schools) {
    const own = planner.planSchool(s);
    projects.push(...own);
    writeProjects(w, own, users, refDay);
    for (let i = s.firstTeacher; i < s.firstTeacher + s.teachers; i++) writer.write(w, i, own);
  }
  return { plan, teachers, projects, rows: sink.rows, refDay };
}

describe('the demo lives in its asOf date', () => {
  // Year ends and starts, a Saturday and a Sunday, a leap day, the middle of the summer holidays, far ahead.
  const dates = ['2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03', '2028-02-29', '2029-08-01', '2035-06-15'];
  // Instants compare as text once in UTC; a day ends at 24:00 China time (16:00 UTC).
  const endOf = (asOf: string) => Date.parse(`${asOf}T24:00:00+08:00`);

  it.each(dates)(
    'on %s: hours in that year and the four before, nothing after it, a session that day, enrolment open',
    (asOf) => {
      const { teachers, projects, rows, refDay } = generateAt(asOf);
      const end = endOf(asOf);
      for (const t of teachers) {
        expect(t.hireDate! <= asOf).toBe(true);
        if (t.titleDate) expect(t.titleDate <= asOf).toBe(true);
        for (const r of t.roles) if (r.since) expect(r.since <= asOf).toBe(true);
      }
      const ledgerCol = (k: string) => LEDGER_COLUMNS.indexOf(k as (typeof LEDGER_COLUMNS)[number]);
      const ledger = rows.ledger_entries ?? [];
      const years = new Set(ledger.map((r) => Number(String(r[ledgerCol('occurred_on')]).slice(0, 4))));
      const refYear = Number(asOf.slice(0, 4));
      for (const y of [refYear - 4, refYear - 3, refYear - 2, refYear - 1]) expect(years.has(y)).toBe(true);
      expect([...years].every((y) => y >= refYear - 4 && y <= refYear)).toBe(true);
      const latest = (list: unknown[][] | undefined, k: number) => Math.max(...(list ?? []).map((r) => Date.parse(String(r[k]))));
      expect(ledger.filter((r) => String(r[ledgerCol('occurred_on')]) > asOf)).toEqual([]);
      expect(latest(ledger, ledgerCol('recognised_at'))).toBeLessThan(end);
      expect(latest(rows.attendance, ATTENDANCE_COLUMNS.indexOf('at'))).toBeLessThan(end);
      expect(latest(rows.enrolments, ENROLMENT_COLUMNS.indexOf('enrolled_at'))).toBeLessThan(end);
      const projectCol = (k: string) => PROJECT_COLUMNS.indexOf(k as (typeof PROJECT_COLUMNS)[number]);
      for (const r of rows.projects) {
        expect(Date.parse(String(r[projectCol('created_at')]))).toBeLessThan(end);
        if (r[projectCol('closed_at')]) expect(Date.parse(String(r[projectCol('closed_at')]))).toBeLessThan(end);
        if (r[projectCol('status')] === 'closed') expect(String(r[projectCol('end_date')]) < asOf).toBe(true);
      }
      // Running today: a session on asOf itself (even on a weekend), its check-in open.
      const sessionCol = (k: string) => SESSION_COLUMNS.indexOf(k as (typeof SESSION_COLUMNS)[number]);
      const today = rows.project_sessions.filter((s) => s[sessionCol('date')] === asOf);
      expect(today.some((s) => s[sessionCol('checkin_open')] === true)).toBe(true);
      // Open for enrolment in the coming weeks, nothing planned beyond the horizon.
      const open = projects.filter((p) => !p.closed && p.startDay > refDay);
      expect(open.length).toBeGreaterThanOrEqual(2);
      expect(projects.every((p) => p.startDay <= refDay + PLANNING_HORIZON_DAYS)).toBe(true);
      // Finished, awaiting 学时认定: held sessions, not closed.
      expect(projects.some((p) => !p.closed && p.endDay < refDay)).toBe(true);
    },
    60_000,
  );

  it('is the same for the same asOf, and moves with it', () => {
    const a = generateAt('2027-01-01', 120);
    const b = generateAt('2027-01-01', 120);
    expect(b.teachers).toEqual(a.teachers);
    expect(b.projects.map((p) => [p.name, p.startDay])).toEqual(a.projects.map((p) => [p.name, p.startDay]));
    expect(b.rows.ledger_entries).toEqual(a.rows.ledger_entries);
    const later = generateAt('2032-01-01', 120);
    // Five years on, the same people are five years older and the hours five years later.
    expect(later.teachers.map((t) => t.name)).toEqual(a.teachers.map((t) => t.name));
    expect(later.teachers.map((t) => Number(t.hireDate!.slice(0, 4)) - 5)).toEqual(a.teachers.map((t) => Number(t.hireDate!.slice(0, 4))));
  }, 60_000);
});
