/**
 * The hours rule's optional `forms` filter: validated with Chinese messages, and only hours from
 * projects of the listed forms count (claims, imports and school-based entries carry no project).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_DIR } from './policies.service.js';
import { evaluateHoursFromEntries, measureEntries, type Entry, type TeacherFacts } from './policy.evaluate.js';
import type { HoursRule } from './policy.format.js';
import { loadPolicy } from './policy.loader.js';

const src = readFileSync(join(POLICY_DIR, '000-bayannur-2023-2025.yaml'), 'utf8');
const loaded = loadPolicy(src);
if (!loaded.ok) throw new Error('000 does not load');
const bayannur = loaded.policy;
const ideology = bayannur.rules.find((r) => r.id === 'ideology-teacher-40') as HoursRule;
const teacher: TeacherFacts = {
  id: 1,
  name: '甲',
  orgId: 1,
  orgPath: '/1/',
  stage: 'junior',
  subjects: ['道德与法治'],
  hireDate: '2012-08-20',
  employment: 'staff',
  mandarinLevel: '2B',
  certificates: [],
  qualificationStage: 'junior',
  qualificationSubject: '道德与法治',
  qualificationExpiry: null,
  keyLevel: null,
  roles: [{ role: 'ideology', since: '2015-09-01', until: null }],
};
const e = (hours: number, occurredOn: string, form: string | null, category = 'ideology'): Entry => ({ hours, category, occurredOn, form });

describe('forms filter on hours rules', () => {
  it('000 二（五）2 “3年不少于40学时的集中脱产学习”: only 集中培训 (inPerson) project hours count', () => {
    expect(ideology.forms).toEqual(['inPerson']);
    const entries = [e(24, '2023-07-10', 'inPerson'), e(20, '2024-05-01', 'online'), e(10, '2024-06-01', null), e(6, '2025-03-01', 'inPerson')];
    const r = evaluateHoursFromEntries(ideology, teacher, entries, bayannur, '2025-06-30');
    expect(r).toMatchObject({ status: 'inProgress', done: 30, shortfall: 10 });
    expect(r.explanation).toBe(
      '还需 10 学时 思政课专题研修，剩余 184 天（截止 2025-12-31）；按进度此时应完成 33.3 学时，落后 3.3 学时（只计集中培训项目的学时）',
    );
    const met = evaluateHoursFromEntries(ideology, teacher, [...entries, e(10, '2025-04-01', 'inPerson')], bayannur, '2025-06-30');
    expect(met).toMatchObject({ status: 'compliant', done: 40 });
    expect(met.explanation).toBe('已完成 40/40 学时 思政课专题研修，达标（统计期 2023-01-01 至 2025-12-31；只计集中培训项目的学时）');
  });

  it('without a filter every form (and no project) counts; a reversal with the same form cancels', () => {
    const entries = [e(10, '2024-01-01', 'inPerson'), e(5, '2024-01-02', 'online'), e(2, '2024-01-03', null), e(-10, '2024-01-01', 'inPerson')];
    expect(measureEntries({ categories: ['ideology'], unit: 'hours' }, entries, '2024-01-01', '2024-12-31')).toBe(7);
    expect(measureEntries({ categories: ['ideology'], unit: 'hours', forms: ['inPerson'] }, entries, '2024-01-01', '2024-12-31')).toBe(0);
    expect(measureEntries({ categories: 'any', unit: 'days', forms: ['inPerson', 'online'] }, entries, '2024-01-01', '2024-12-31')).toBe(1);
  });

  it('a single form may be written without brackets; an unknown form is refused in Chinese at its line', () => {
    const one = loadPolicy(src.replace('    forms: [inPerson]\n', '    forms: inPerson\n'));
    expect(one.ok && (one.policy.rules.find((r) => r.id === 'ideology-teacher-40') as HoursRule).forms).toEqual(['inPerson']);
    const bad = loadPolicy(src.replace('    forms: [inPerson]\n', '    forms: [集中脱产]\n'));
    expect(bad.ok).toBe(false);
    const err = bad.errors.find((x) => x.path.includes('forms'));
    expect(err?.message).toContain('培训形式（forms）应为以下之一：inPerson / online');
    expect(err?.line).toBe(src.split('\n').findIndex((l) => l.includes('forms: [inPerson]')) + 1);
    const empty = loadPolicy(src.replace('    forms: [inPerson]\n', '    forms: []\n'));
    expect(empty.errors.some((x) => x.message.includes('至少填写一项'))).toBe(true);
  });
});
