import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import {
  approvalChain,
  checkPlan,
  eligibilityProblem,
  enrolmentMachine,
  ETHICS_FIRST_MESSAGE,
  filingNumber,
  loadWarning,
  median,
  projectMachine,
  shareBackMachine,
  surveyMachine,
  type ChainOrg,
} from './lifecycle.js';
import { DEFAULT_PLAN_RULE } from './projects.policy.js';

/** Every legal (state, action) pair of a machine, as 'state:action→to'. */
function legal(m: { states: Record<string, string>; transitions: Record<string, { from: readonly string[]; to: string }> }) {
  return Object.keys(m.states).flatMap((s) =>
    Object.entries(m.transitions)
      .filter(([, t]) => t.from.includes(s))
      .map(([a, t]) => `${s}:${a}→${t.to}`),
  );
}

/** Assert every pair NOT in the legal list is refused with 409 and the Chinese message. */
function refusesAllOthers(m: typeof projectMachine | typeof enrolmentMachine, allowed: string[]) {
  let refused = 0;
  for (const s of Object.keys(m.states))
    for (const a of Object.keys(m.transitions) as never[]) {
      if (allowed.some((x) => x.startsWith(`${s}:${a}→`))) continue;
      try {
        m.assertTransition(s, a);
        throw new Error(`${s}:${a} should be refused`);
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).status).toBe(409);
        expect((e as AppError).message).toBe(`当前状态「${m.stateLabel(s)}」不能执行「${(m.transitions as Record<string, { label: string }>)[a].label}」`);
        refused++;
      }
    }
  return refused;
}

describe('project state machine', () => {
  const expected = [
    'draft:submit→submitted',
    'submitted:withdraw→draft',
    'submitted:approveStep→submitted',
    'submitted:approve→approved',
    'submitted:return→draft',
    'submitted:reject→rejected',
    'approved:file→filed',
    'filed:submitPlan→planReview',
    'planReview:approvePlan→open',
    'planReview:returnPlan→filed',
    'open:start→running',
    'open:submitRecognition→recognitionPending',
    'running:submitRecognition→recognitionPending',
    'recognitionPending:confirmRecognition→closed',
    'recognitionPending:returnRecognition→running',
    'closed:evaluate→evaluated',
    // 删除草稿 (issue 11 item 3): a draft is kept as 'deleted', with its history.
    'draft:discard→deleted',
  ];
  it('has exactly these transitions', () => {
    expect(legal(projectMachine).sort()).toEqual([...expected].sort());
    for (const x of expected) {
      const [s, rest] = x.split(':');
      const [a, to] = rest.split('→');
      expect(projectMachine.assertTransition(s, a as never)).toBe(to);
    }
  });
  it('refuses every other (state, action) pair with 409', () => {
    expect(refusesAllOthers(projectMachine, expected)).toBe(12 * 16 - expected.length);
  });
  it('rejected and evaluated are terminal', () => {
    expect(projectMachine.allowedActions('rejected')).toEqual([]);
    expect(projectMachine.allowedActions('evaluated')).toEqual([]);
    expect(projectMachine.allowedActions('deleted')).toEqual([]);
  });
});

describe('enrolment state machine', () => {
  const expected = [
    'pending:approve→approved',
    'pending:reject→rejected',
    'pending:withdraw→withdrawn',
    'approved:withdraw→withdrawn',
    'approved:replace→replaced',
    'rejected:reapply→pending',
    'withdrawn:reapply→pending',
    'replaced:reapply→pending',
    'rejected:renominate→approved',
    'withdrawn:renominate→approved',
    'replaced:renominate→approved',
  ];
  it('has exactly these transitions and refuses the rest', () => {
    expect(legal(enrolmentMachine).sort()).toEqual([...expected].sort());
    expect(refusesAllOthers(enrolmentMachine, expected)).toBe(5 * 6 - expected.length);
  });
  it('survey and share-back machines', () => {
    expect(legal(surveyMachine).sort()).toEqual(['draft:publish→published', 'published:close→closed']);
    expect(legal(shareBackMachine).sort()).toEqual(
      ['assigned:submit→submitted', 'returned:submit→submitted', 'submitted:confirm→confirmed', 'submitted:return→returned'].sort(),
    );
  });
});

describe('approval chain', () => {
  const province: ChainOrg = { id: 1, name: '某省教育厅', level: 'province', kind: 'bureau' };
  const city: ChainOrg = { id: 2, name: '某市教育局', level: 'city', kind: 'bureau' };
  const county: ChainOrg = { id: 3, name: '某县教育局', level: 'county', kind: 'bureau' };
  const school: ChainOrg = { id: 4, name: '某县一小', level: 'school', kind: 'school' };
  const inst: ChainOrg = { id: 5, name: '某市培训学院', level: 'city', kind: 'institution' };
  const centre: ChainOrg = { id: 6, name: '某县教师发展中心', level: 'county', kind: 'devCenter' };
  const ids = (r: ReturnType<typeof approvalChain>) => (r.ok ? r.chain.map((o) => o.name) : r.message);

  it('goes up from the proposer to the bureau of the project level', () => {
    expect(ids(approvalChain(school, [province, city, county, school], 'school'))).toEqual(['某县教育局']);
    expect(ids(approvalChain(school, [school, county, city, province], 'county'))).toEqual(['某县教育局']);
    expect(ids(approvalChain(school, [province, city, county, school], 'city'))).toEqual(['某县教育局', '某市教育局']);
    expect(ids(approvalChain(school, [province, city, county, school], 'province'))).toEqual(['某县教育局', '某市教育局', '某省教育厅']);
    expect(ids(approvalChain(inst, [province, city, inst], 'city'))).toEqual(['某市教育局']);
    expect(ids(approvalChain(inst, [province, city, inst], 'province'))).toEqual(['某市教育局', '某省教育厅']);
    expect(ids(approvalChain(centre, [province, city, county, centre], 'county'))).toEqual(['某县教育局']);
    expect(ids(approvalChain(county, [province, city, county], 'county'))).toEqual(['某县教育局']);
    expect(ids(approvalChain(county, [province, city, county], 'city'))).toEqual(['某县教育局', '某市教育局']);
  });
  it('refuses levels the lineage cannot approve, naming what is missing', () => {
    expect(ids(approvalChain(county, [city, county], 'school'))).toBe('校本项目只能由学校申报');
    expect(ids(approvalChain(inst, [city, inst], 'county'))).toBe('「某市培训学院」及其上级中没有旗县区教育局，不能申报「县级」项目');
    expect(ids(approvalChain(school, [city, county, school], 'province'))).toBe('「某县一小」及其上级中没有省(自治区)教育局，不能申报「省培(区培)」项目');
    expect(ids(approvalChain(school, [city, county, school], 'national'))).toContain('不能申报「国培」项目');
  });
  it('formats filing numbers', () => {
    expect(filingNumber(2026, '159900', 'city', 12)).toBe('备2026-159900-市-0012');
    expect(filingNumber(2026, '159902', 'school', 1)).toBe('备2026-159902-校-0001');
  });
});

describe('plan rule', () => {
  it('the first module must be ethics (004 §三(三)1)', () => {
    expect(
      checkPlan(
        [
          { title: '师德', hours: 2, category: 'ethics' },
          { title: '学科', hours: 8, category: 'subject' },
        ],
        DEFAULT_PLAN_RULE,
      ),
    ).toBeNull();
    expect(
      checkPlan(
        [
          { title: '学科', hours: 8, category: 'subject' },
          { title: '师德', hours: 2, category: 'ethics' },
        ],
        DEFAULT_PLAN_RULE,
      ),
    ).toBe(ETHICS_FIRST_MESSAGE);
    expect(ETHICS_FIRST_MESSAGE).toBe('培训方案的第一个模块必须是“思想政治和师德师风”');
    expect(checkPlan([], DEFAULT_PLAN_RULE)).toBe('培训方案至少需要一个模块');
    expect(
      checkPlan(
        [
          { title: '学科', hours: 8, category: 'subject' },
          { title: '师德', hours: 2, category: 'ethics' },
        ],
        { ...DEFAULT_PLAN_RULE, position: 'any' },
      ),
    ).toBeNull();
  });
});

describe('eligibility', () => {
  const t = { status: 'active', stage: 'senior', subjects: ['英语'], roles: ['homeroom'], title: 'second' };
  it('names the failed condition', () => {
    expect(eligibilityProblem({}, t)).toBeNull();
    expect(eligibilityProblem({ stages: ['primary', 'junior'] }, t)).toBe('不符合报名条件（学段）：本项目面向小学、初中，该教师学段为高中');
    expect(eligibilityProblem({ subjects: ['语文', '数学'] }, t)).toBe('不符合报名条件（任教学科）：本项目面向语文、数学教师，该教师任教英语');
    expect(eligibilityProblem({ roles: ['psychFullTime'] }, t)).toBe('不符合报名条件（岗位）：本项目面向专职心理健康教师，该教师不担任上述岗位');
    expect(eligibilityProblem({ titles: ['first', 'senior'] }, t)).toBe('不符合报名条件（职称）：本项目面向一级教师、高级教师，该教师职称为二级教师');
    expect(eligibilityProblem({ stages: ['senior'], subjects: ['英语'], roles: ['homeroom'], titles: ['second'] }, t)).toBeNull();
    expect(eligibilityProblem({}, { ...t, status: 'retired' })).toContain('不在职');
  });
});

describe('training load', () => {
  it('flags teachers sent again and again while the median colleague got nothing', () => {
    expect(median([0, 0, 0, 3])).toBe(0);
    expect(median([1, 2, 3])).toBe(2);
    expect(median([])).toBe(0);
    expect(loadWarning(3, 0)).toMatch(/^本年度已参训 3 次/);
    expect(loadWarning(2, 0)).toBeNull();
    expect(loadWarning(4, 2)).toBeNull();
    expect(loadWarning(5, 2)).toMatch(/^本年度已参训 5 次（本校中位数 2 次）/);
  });
});
