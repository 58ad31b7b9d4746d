import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyDocument, type HoursRule, type Policy } from './policy.format.js';
import { evaluateHoursFromEntries, isOpen, type Entry, type TeacherFacts } from './policy.evaluate.js';
import { addDays } from './policy.windows.js';

const period: Policy['period'] = { from: '2021-01-01', to: '2026-12-31' };
const CATS = ['homeroom', 'it', 'schoolBased', 'ethics'] as const;

const date = fc.integer({ min: 0, max: 6 * 366 }).map((d) => addDays('2021-01-01', d));
const hours = fc.integer({ min: 1, max: 200 }).map((x) => x / 10);
const entry: fc.Arbitrary<Entry> = fc.record({ hours, category: fc.constantFrom(...CATS), occurredOn: date });

const windowArb = fc.oneof(
  fc.constant({ every: 'year' }),
  fc.constant({ every: 'term' }),
  fc.constant({ period: true }),
  fc.constant({ cycle: { years: 5, anchor: '2021-01-01' } }),
  fc.constant({ rolling: { years: 2 } }),
  fc.constant({ afterHire: { years: 1, leadDays: 92 } }),
);

const ruleArb: fc.Arbitrary<HoursRule> = fc
  .record({
    who: fc.constantFrom({ all: true }, { role: 'homeroom' }),
    categories: fc.oneof(fc.constant('any' as const), fc.subarray([...CATS], { minLength: 1 })),
    unit: fc.constantFrom('hours', 'days'),
    atLeast: fc.integer({ min: 0, max: 800 }).map((x) => x / 10),
    window: windowArb,
    prorate: fc.constantFrom('month', 'none'),
  })
  .map(
    (r) =>
      PolicyDocument.parse({
        policy: 'p',
        version: 1,
        title: '性质测试',
        source: { file: 'x' },
        appliesTo: {},
        period,
        rules: [{ id: 'r', kind: 'hours', title: '性质测试规则', cite: { section: '一', text: '性质测试原文' }, ...r }],
      }).rules[0] as HoursRule,
  );

const teacherArb: fc.Arbitrary<TeacherFacts> = fc
  .record({ hire: fc.option(date, { nil: null }), since: fc.option(date, { nil: null }), until: fc.option(date, { nil: null }) })
  .map(({ hire, since, until }) => ({
    id: 1,
    name: '甲',
    orgId: 1,
    orgPath: '/1/',
    stage: 'primary',
    subjects: ['语文'],
    hireDate: hire,
    employment: 'staff',
    mandarinLevel: '2A',
    certificates: [],
    qualificationStage: 'primary',
    qualificationSubject: '语文',
    qualificationExpiry: null,
    keyLevel: null,
    roles: [{ role: 'homeroom', since, until: until && since && until < since ? since : until }],
  }));

const shuffle = <T>(xs: T[], seed: number) => {
  const a = [...xs];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

const RUNS = { numRuns: 400 };

describe('hours rules: properties', () => {
  it('adding hours never turns a compliant result non-compliant', () => {
    fc.assert(
      fc.property(
        ruleArb,
        teacherArb,
        fc.array(entry, { maxLength: 40 }),
        fc.array(entry, { minLength: 1, maxLength: 10 }),
        date,
        (rule, t, entries, more, asOf) => {
          const before = evaluateHoursFromEntries(rule, t, entries, { period }, asOf);
          const after = evaluateHoursFromEntries(rule, t, [...entries, ...more], { period }, asOf);
          if (before.status === 'compliant') expect(after.status).toBe('compliant');
          if (before.done !== null && after.done !== null) expect(after.done).toBeGreaterThanOrEqual(before.done);
        },
      ),
      RUNS,
    );
  });

  it('results do not depend on the order entries were recorded in', () => {
    fc.assert(
      fc.property(ruleArb, teacherArb, fc.array(entry, { maxLength: 60 }), fc.integer(), date, (rule, t, entries, seed, asOf) => {
        expect(evaluateHoursFromEntries(rule, t, shuffle(entries, seed), { period }, asOf)).toEqual(
          evaluateHoursFromEntries(rule, t, entries, { period }, asOf),
        );
      }),
      RUNS,
    );
  });

  it('a reversing entry cancels its original exactly', () => {
    fc.assert(
      fc.property(
        ruleArb,
        teacherArb,
        fc.array(entry, { maxLength: 40 }),
        fc.array(entry, { minLength: 1, maxLength: 15 }),
        fc.integer(),
        date,
        (rule, t, kept, reversed, seed, asOf) => {
          const reversals = reversed.map((x) => ({ ...x, hours: -x.hours }));
          const all = shuffle([...kept, ...reversed, ...reversals], seed);
          expect(evaluateHoursFromEntries(rule, t, all, { period }, asOf)).toEqual(evaluateHoursFromEntries(rule, t, kept, { period }, asOf));
        },
      ),
      RUNS,
    );
  });

  it('shortfall is exactly required − done when short, and zero when compliant', () => {
    fc.assert(
      fc.property(ruleArb, teacherArb, fc.array(entry, { maxLength: 40 }), date, (rule, t, entries, asOf) => {
        const r = evaluateHoursFromEntries(rule, t, entries, { period }, asOf);
        if (r.status === 'compliant') expect(r.shortfall).toBe(0);
        if (isOpen(r.status)) expect(r.shortfall).toBeCloseTo(r.required! - r.done!, 6);
        if (r.required !== null && rule.atLeast !== null) expect(r.required).toBeLessThanOrEqual(rule.atLeast);
      }),
      RUNS,
    );
  });
});
