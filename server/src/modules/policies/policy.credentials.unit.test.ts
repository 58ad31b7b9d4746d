/** Credential state on a past day, rebuilt from the teacher's change history (pure part). */
import { describe, expect, it } from 'vitest';
import { PolicyDocument, type CredentialRule } from './policy.format.js';
import {
  credentialOverridesOn,
  endOfDayChina,
  evaluateCredential,
  isCreation,
  withCredentials,
  type TeacherChange,
  type TeacherFacts,
} from './policy.evaluate.js';

const period = { from: '2023-01-01', to: '2025-12-31' };
const mandarin = PolicyDocument.parse({
  policy: 't',
  version: 1,
  title: '测试政策',
  source: { file: 'x' },
  appliesTo: {},
  period,
  rules: [
    {
      id: 'r',
      kind: 'credential',
      title: '语文教师普通话',
      cite: { section: '测试', text: '测试原文内容' },
      who: { subject: '语文' },
      require: { mandarin: { atLeast: '2A' } },
      deadline: '2025-12-31',
    },
  ],
}).rules[0] as CredentialRule;
const now: TeacherFacts = {
  id: 1,
  name: '甲',
  orgId: 1,
  orgPath: '/1/',
  stage: 'primary',
  subjects: ['语文'],
  hireDate: '2012-08-20',
  employment: 'staff',
  mandarinLevel: '2A',
  certificates: ['国家二级心理咨询师'],
  qualificationStage: 'primary',
  qualificationSubject: '语文',
  qualificationExpiry: '2030-08-31',
  keyLevel: null,
  roles: [],
};
const created: TeacherChange = {
  at: '2024-01-05T02:00:00Z',
  changes: { national_id_mask: { from: null, to: '1501**********1234' }, mandarin_level: { from: null, to: '2B' } },
};
const upgraded: TeacherChange = { at: '2025-08-15T06:00:00Z', changes: { mandarin_level: { from: '2B', to: '2A' } } };
const certAdded: TeacherChange = {
  at: '2025-10-01T02:00:00Z',
  changes: { certificates: { from: [], to: ['国家二级心理咨询师'] }, qualification_expiry: { from: '2024-08-31', to: '2030-08-31' } },
};

describe('credentials on a past day', () => {
  it('rolls back every later edit to the value it replaced; the creation row is the baseline', () => {
    const history = [created, upgraded, certAdded];
    expect(isCreation(created)).toBe(true);
    expect(isCreation(upgraded)).toBe(false);
    expect(credentialOverridesOn(history, '2025-06-30')).toEqual({ mandarin_level: '2B', certificates: [], qualification_expiry: '2024-08-31' });
    expect(credentialOverridesOn(history, '2025-09-01')).toEqual({ certificates: [], qualification_expiry: '2024-08-31' });
    expect(credentialOverridesOn(history, '2025-12-31')).toEqual({});
    // Registered after the day: nothing to roll back, what was registered holds.
    expect(credentialOverridesOn([created], '2023-06-30')).toEqual({});
  });

  it('the first later edit of a column decides, whatever came after it', () => {
    const twice = [upgraded, { at: '2025-09-10T02:00:00Z', changes: { mandarin_level: { from: '2A', to: '1B' } } }];
    expect(credentialOverridesOn(twice, '2025-06-30')).toEqual({ mandarin_level: '2B' });
    expect(credentialOverridesOn(twice, '2025-08-31')).toEqual({ mandarin_level: '2A' });
  });

  it('days end at midnight Beijing time', () => {
    expect(endOfDayChina('2025-12-31').toISOString()).toBe('2025-12-31T16:00:00.000Z');
    const newYear = { at: '2025-12-31T16:30:00Z', changes: { mandarin_level: { from: '2B', to: '2A' } } };
    expect(credentialOverridesOn([newYear], '2025-12-31')).toEqual({ mandarin_level: '2B' });
    expect(credentialOverridesOn([{ ...newYear, at: '2025-12-31T15:59:00Z' }], '2025-12-31')).toEqual({});
  });

  it('a rule judges the teacher as rebuilt', () => {
    const then = withCredentials(now, credentialOverridesOn([created, upgraded, certAdded], '2025-06-30'));
    expect(then).toMatchObject({ mandarinLevel: '2B', certificates: [], qualificationExpiry: '2024-08-31' });
    expect(now.mandarinLevel).toBe('2A'); // not mutated
    expect(evaluateCredential(mandarin, then, { period }, '2025-06-30')).toMatchObject({
      status: 'inProgress',
      explanation: '普通话需达到二级甲等（现为二级乙等），剩余 184 天（截止 2025-12-31）',
    });
    expect(evaluateCredential(mandarin, now, { period }, '2025-06-30').status).toBe('compliant');
    expect(withCredentials(now, { mandarin_level: null }).mandarinLevel).toBeNull();
  });
});
