import { describe, expect, it } from 'vitest';
import { appraisalReasons, fullYears, plusYears } from './eligibility.js';
import { TITLES_DEFAULT, titlesSchema } from '../policies/policy.titles.js';
import { Cite } from '../policies/policy.format.js';

const senior = TITLES_DEFAULT.targets.find((t) => t.to === 'senior')!;

describe('title rules, pure parts', () => {
  it('counts full years to the anniversary, and the date a number of years later', () => {
    expect(fullYears('2021-09-01', '2026-08-31')).toBe(4);
    expect(fullYears('2021-09-01', '2026-09-01')).toBe(5);
    expect(plusYears('2023-09-01', 5)).toBe('2028-09-01');
    expect(plusYears('2024-02-29', 1)).toBe('2025-02-28');
  });

  it('appraisal: the N years before the base year, 合格以上 counted, 不合格 named', () => {
    const all = [2021, 2022, 2023, 2024, 2025].map((year) => ({ year, grade: 'qualified' }));
    expect(appraisalReasons(senior, 2026, all, null)).toEqual([]);
    // A result of the base year itself does not count; 基本合格 is not 合格以上.
    const r = appraisalReasons(senior, 2026, [...all.slice(1, 4), { year: 2025, grade: 'basicallyQualified' }, { year: 2026, grade: 'excellent' }], null);
    expect(r.map((x) => x.message)).toEqual(['年度考核：2021—2025 年度合格以上 3 次，需 5 次，还差 2 次（无考核结果：2021 年度）']);
  });

  it('the policy schema refuses a target equal to its source, and more passes than years, in Chinese', () => {
    const bad = titlesSchema(Cite).safeParse({
      ...TITLES_DEFAULT,
      targets: [{ from: 'first', to: 'first', yearsAtTitle: 5, appraisalYears: 3, minPassed: 4, rotation: false, ruralYears: 0 }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toEqual(['申报职称不能与现职称相同', '合格以上年数不能多于考核年数']);
    expect(titlesSchema(Cite).safeParse(TITLES_DEFAULT).success).toBe(true);
  });
});
