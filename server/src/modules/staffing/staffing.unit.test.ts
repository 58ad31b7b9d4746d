import { describe, expect, it } from 'vitest';
import { describeSelector, evaluateStaffing, type TeacherFacts } from '../policies/policy.evaluate.js';
import { STAFFING_STANDARDS_DEFAULT } from '../policies/policy.staffing.js';
import { requiredByRatio, schoolStages, schoolYearOf, structureRules } from './staffing.service.js';

const teacher = (id: number, education: string | null, subjects: string[] = ['语文']): TeacherFacts => ({
  id,
  name: `教师${id}`,
  orgId: 1,
  orgPath: '/1/',
  stage: 'primary',
  subjects,
  hireDate: null,
  employment: 'staff',
  mandarinLevel: null,
  certificates: [],
  qualificationStage: null,
  qualificationSubject: null,
  qualificationExpiry: null,
  keyLevel: null,
  roles: [],
  education,
});
const frame = { period: { from: '2000-01-01', to: '9999-12-31' } };
const ratios = STAFFING_STANDARDS_DEFAULT.ratios;

describe('required staffing by the 城乡统一 ratios', () => {
  it('760 小学 students at 1:19 → 40; 675 初中 at 1:13.5 → 50; a 九年一贯制 school sums its stages and rounds up once', () => {
    expect(requiredByRatio([{ stage: 'primary', students: 760 }], ratios).required).toBe(40);
    expect(requiredByRatio([{ stage: 'junior', students: 675 }], ratios).required).toBe(50);
    // 400/19 = 21.05 + 300/13.5 = 22.22 → 43.27 → 44.
    expect(
      requiredByRatio(
        [
          { stage: 'primary', students: 400 },
          { stage: 'junior', students: 300 },
        ],
        ratios,
      ).required,
    ).toBe(44);
    expect(requiredByRatio([], ratios).required).toBeNull();
    expect(requiredByRatio([{ stage: 'kindergarten', students: 100 }], ratios)).toEqual({ required: null, parts: [], missingRatio: ['幼儿园'] });
  });

  it('school years start on 09-01; a 九年一贯制 school has two stages', () => {
    expect(schoolYearOf('2025-08-31')).toBe(2024);
    expect(schoolYearOf('2025-09-01')).toBe(2025);
    expect(schoolStages('nineYear')).toEqual(['primary', 'junior']);
    expect(schoolStages(null)).toEqual([]);
  });
});

describe('学历 targets as staffing rules of the engine', () => {
  it('counts 本科 and above, and names the level in the explanation', () => {
    const rule = structureRules(STAFFING_STANDARDS_DEFAULT).education.find((r) => r.id === 'edu-compulsory-bachelor')!;
    expect(describeSelector(rule.ratio!.having)).toBe('本科及以上学历');
    const r = evaluateStaffing(
      rule,
      { teachers: [teacher(1, 'bachelor'), teacher(2, 'master'), teacher(3, 'associate'), teacher(4, null)] },
      frame,
      '2025-10-01',
    );
    expect(r).toMatchObject({ status: 'inProgress', done: 0.5 });
    expect(r.explanation).toContain('本科及以上学历占全体教师 50%（2/4）');
    expect(r.explanation).toContain('还差 2 人');
    const all = evaluateStaffing(rule, { teachers: [teacher(1, 'bachelor'), teacher(2, 'doctor')] }, frame, '2025-10-01');
    expect(all.status).toBe('compliant');
  });

  it('紧缺学科: a school without a 心理健康 teacher is one short', () => {
    const rule = structureRules(STAFFING_STANDARDS_DEFAULT).shortage.find((r) => r.id === 'shortage-心理健康')!;
    expect(evaluateStaffing(rule, { teachers: [teacher(1, 'bachelor')] }, frame, '2025-10-01')).toMatchObject({ done: 0, shortfall: 1 });
    expect(evaluateStaffing(rule, { teachers: [teacher(1, 'bachelor', ['心理健康'])] }, frame, '2025-10-01').status).toBe('compliant');
  });
});
