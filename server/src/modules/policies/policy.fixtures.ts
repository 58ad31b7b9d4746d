/** Builders for the policy unit tests: rules parsed through the real schema, and teacher facts. */
import { PolicyDocument } from './policy.format.js';
import type { TeacherFacts } from './policy.evaluate.js';

export const TEST_PERIOD = { from: '2023-01-01', to: '2025-12-31' };
const cite = { section: '测试', text: '测试原文内容' };

/** One rule of a minimal test policy, through the real schema so defaults (unit, prorate …) are the documented ones. */
export function parseRule<T>(rule: Record<string, unknown>, period = TEST_PERIOD): T {
  return PolicyDocument.parse({
    policy: 'test',
    version: 1,
    title: '测试政策',
    source: { file: 'x.txt' },
    appliesTo: {},
    period,
    rules: [{ id: 'r', title: '测试规则', cite, ...rule }],
  }).rules[0] as T;
}

let nextId = 1;
/** A primary-school 语文 teacher hired in 2010, with a fresh id, overridden by `o`. */
export function teacherFacts(o: Partial<TeacherFacts> = {}): TeacherFacts {
  return {
    id: nextId++,
    name: '测试',
    orgId: 1,
    orgPath: '/1/',
    stage: 'primary',
    subjects: ['语文'],
    hireDate: '2010-08-01',
    employment: 'staff',
    mandarinLevel: '2A',
    certificates: [],
    qualificationStage: 'primary',
    qualificationSubject: '语文',
    qualificationExpiry: null,
    keyLevel: null,
    roles: [],
    ...o,
  };
}
