import { describe, expect, it } from 'vitest';
import type { OrgNode } from '../../api/types';
import { applicableRules, ruleReading } from './RuleRefs';
import type { RuleRef } from './types';

const node = (id: number, kind: string, level: string, children: OrgNode[] = []): OrgNode => ({
  id,
  code: `C${id}`,
  name: `单位${id}`,
  level,
  kind,
  stage: null,
  teacherCount: 0,
  totalTeachers: 0,
  children,
});
// City 1 → county 2 (school 3), county 4 (school 5).
const tree = [
  node(1, 'bureau', 'city', [node(2, 'bureau', 'county', [node(3, 'school', 'school')]), node(4, 'bureau', 'county', [node(5, 'school', 'school')])]),
];

const rule = (ruleId: string, regions: number[], extra: Partial<RuleRef> = {}): RuleRef => ({
  policyId: 1,
  policyTitle: '计划',
  ruleId,
  title: ruleId,
  cite: { file: 'f', section: '一', text: '原文原话' },
  atLeast: 0.05,
  openFigure: null,
  aggregate: null,
  years: null,
  per: null,
  role: null,
  regions: regions.map((orgId) => ({ orgId, orgName: `单位${orgId}` })),
  periodFrom: 2023,
  ...extra,
});

describe('applicableRules', () => {
  const rules = [
    rule('city-target', [1], { aggregate: 'perYear', atLeast: 15 }),
    rule('city-school-funding', [1], { per: 'school', role: 'numerator' }),
    rule('city-county-funding', [1], { per: 'county', role: 'numerator' }),
    rule('county4-school-funding', [4], { per: 'school', role: 'numerator' }),
    rule('province-school-funding', [99], { per: 'school', role: 'denominator' }),
  ];
  const ids = (orgId: number) => applicableRules(rules, tree, orgId).map((r) => r.ruleId);

  it('keeps the rules that judge this kind of org, from policies attached to it, above it or above the tree', () => {
    expect(ids(3)).toEqual(['city-school-funding', 'province-school-funding']);
    expect(ids(5)).toEqual(['city-school-funding', 'county4-school-funding', 'province-school-funding']);
    expect(ids(2)).toEqual(['city-county-funding']);
    expect(ids(1)).toEqual(['city-target']);
  });

  it('keeps everything when no org is chosen', () => {
    expect(applicableRules(rules, tree, undefined)).toHaveLength(rules.length);
  });
});

describe('ruleReading', () => {
  it('says how the figure is judged', () => {
    expect(ruleReading(rule('a', [1], { per: 'school', role: 'denominator' }))).toBe('每所学校，作为分母，比例 ≥ 5%');
    expect(ruleReading(rule('b', [1], { aggregate: 'cumulative', years: { from: 2023, to: 2025 }, atLeast: 45 }))).toBe('2023—2025 年累计 ≥ 45');
  });
});
