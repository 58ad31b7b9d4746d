import { describe, expect, it } from 'vitest';
import { TeacherInput } from '../modules/teachers/teachers.schema.js';
import { parseNationalId } from '../platform/national-id.js';
import { copyValue } from './bulk.js';
import { dayOf, isoOf, workday } from './calendar.js';
import { chineseNumber, COUNTIES } from './names.js';
import { apportion, planOrgs } from './org-plan.js';
import { Rng } from './prng.js';
import { generateTeacher, TeacherTraits, type TeacherGenContext } from './teacher-gen.js';

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
  });

  it('is the same for the same seed', () => {
    const a = teachers(300, 9).out.map((t) => t.input);
    const b = teachers(300, 9).out.map((t) => t.input);
    expect(b).toEqual(a);
    expect(teachers(300, 10).out.map((t) => t.input.name)).not.toEqual(a.map((t) => t.name));
  });
});
