import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_DIR } from './policies.service.js';
import { loadPolicy } from './policy.loader.js';
import { DEFAULT_VETOES, evaluateVetoes, type Veto, type VetoSanction, vetoSpan, Vetoes } from './policy.veto.js';

// 一票否决 as policy data (issue 12 item 5): the rule logic (pure) and the `vetoes` section of the format.

const SEEDS = join(POLICY_DIR, '../../shared/seeds');
const province = readFileSync(join(POLICY_DIR, '002-province-strong-teacher.yaml'), 'utf8');

const veto = (over: Partial<Veto> & Pick<Veto, 'lasts' | 'sanctions' | 'purposes'>): Veto =>
  Vetoes.parse([{ id: 'v', title: '测试否决规则', cite: { section: '一', text: '师德第一标准' }, ...over }])[0];
let seq = 0;
const sanction = (over: Partial<VetoSanction> = {}): VetoSanction => ({
  id: ++seq,
  kind: 'warning',
  decidedOn: '2026-03-10',
  validFrom: '2026-03-10',
  validUntil: '2026-09-09',
  supersededAt: null,
  revokedOn: null,
  ...over,
});
const run = (v: Veto, s: VetoSanction[], purpose: Parameters<typeof evaluateVetoes>[2], date: string) =>
  evaluateVetoes([{ veto: v, policyTitle: '测试政策' }], s, purpose, date);

describe('how long a veto lasts', () => {
  const s = sanction();
  it('term: the sanction’s own dates, inclusive', () => {
    const v = veto({ lasts: 'term', sanctions: ['warning'], purposes: ['honour'] });
    expect(vetoSpan(v, s)).toEqual({ from: '2026-03-10', until: '2026-09-09' });
    expect(run(v, [s], 'honour', '2026-03-09')).toEqual([]);
    expect(run(v, [s], 'honour', '2026-03-10')).toHaveLength(1);
    expect(run(v, [s], 'honour', '2026-09-09')).toHaveLength(1);
    expect(run(v, [s], 'honour', '2026-09-10')).toEqual([]);
  });
  it('term with no end (开除, 行业禁入) lasts for good', () => {
    const v = veto({ lasts: 'term', sanctions: ['barred'], purposes: ['honour'] });
    expect(run(v, [sanction({ kind: 'barred', validUntil: null })], 'honour', '2090-01-01')).toHaveLength(1);
  });
  it('decisionYear: from the decision to 31 December of its year', () => {
    const v = veto({ lasts: 'decisionYear', sanctions: ['warning'], purposes: ['appraisalExcellent'] });
    expect(vetoSpan(v, s)).toEqual({ from: '2026-03-10', until: '2026-12-31' });
    expect(run(v, [s], 'appraisalExcellent', '2026-12-31')).toHaveLength(1);
    expect(run(v, [s], 'appraisalExcellent', '2027-01-01')).toEqual([]);
  });
  it('N months from the decision (month ends clamp: 31 August + 6 months ends on the last day of February)', () => {
    const v = veto({ lasts: { months: 6 }, sanctions: ['warning'], purposes: ['honour'] });
    expect(vetoSpan(v, s)).toEqual({ from: '2026-03-10', until: '2026-09-09' });
    expect(vetoSpan(v, sanction({ decidedOn: '2025-08-31' }))).toEqual({ from: '2025-08-31', until: '2026-02-27' });
    expect(vetoSpan(veto({ lasts: { months: 12 }, sanctions: ['warning'], purposes: ['honour'] }), sanction({ decidedOn: '2024-02-29' })).until).toBe(
      '2025-02-27',
    );
  });
});

describe('which sanctions count', () => {
  const v = veto({ lasts: 'term', sanctions: ['warning', 'demerit'], purposes: ['keyTeacherSelection', 'titleEligibility'] });
  it('a superseded sanction never counts; its correction does', () => {
    const old = sanction({ supersededAt: '2026-04-01T00:00:00Z' });
    const fix = sanction({ kind: 'demerit', validUntil: '2027-03-09' });
    const r = run(v, [old, fix], 'keyTeacherSelection', '2026-05-01');
    expect(r.map((x) => [x.sanctionId, x.label])).toEqual([[fix.id, '记过']]);
  });
  it('a revoked sanction counts before its revocation date only', () => {
    const s = sanction({ revokedOn: '2026-05-01' });
    expect(run(v, [s], 'titleEligibility', '2026-04-30')).toHaveLength(1);
    expect(run(v, [s], 'titleEligibility', '2026-05-01')).toEqual([]);
  });
  it('another kind or another purpose is not vetoed', () => {
    expect(run(v, [sanction({ kind: 'criticism' })], 'keyTeacherSelection', '2026-05-01')).toEqual([]);
    expect(run(v, [sanction()], 'honour', '2026-05-01')).toEqual([]);
  });
  it('the reason names the sanction, its span, the veto and the citation', () => {
    const s = sanction();
    expect(run(v, [s], 'keyTeacherSelection', '2026-05-01')).toEqual([
      {
        sanctionId: s.id,
        kind: 'warning',
        label: '警告',
        from: '2026-03-10',
        until: '2026-09-09',
        vetoId: 'v',
        vetoTitle: '测试否决规则',
        cite: '《测试政策》§一',
      },
    ]);
  });
});

describe('the platform default (no policy with vetoes)', () => {
  const run0 = (s: VetoSanction[], p: Parameters<typeof evaluateVetoes>[2], d: string) =>
    evaluateVetoes(
      DEFAULT_VETOES.map((veto) => ({ veto, policyTitle: '平台默认' })),
      s,
      p,
      d,
    );
  it('警告: no 优秀 in the year of the decision, even after the term; 合格 stays possible', () => {
    const s = sanction({ validUntil: '2026-09-09' });
    expect(run0([s], 'appraisalExcellent', '2026-12-31').map((r) => r.vetoId)).toEqual(['default-decision-year-excellent']);
    expect(run0([s], 'appraisalPass', '2026-12-31')).toEqual([]);
    expect(run0([s], 'appraisalExcellent', '2027-12-31')).toEqual([]);
  });
  it('记过: 合格 impossible that year; every purpose vetoed during the term', () => {
    const s = sanction({ kind: 'demerit', validUntil: '2027-03-09' });
    expect(run0([s], 'appraisalPass', '2026-12-31')).toHaveLength(1);
    for (const p of ['keyTeacherSelection', 'studioHost', 'honour', 'titleEligibility', 'appraisalExcellent', 'projectNominationKey'] as const)
      expect(run0([s], p, '2027-01-15'), p).toHaveLength(1);
    expect(run0([s], 'projectNominationKey', '2027-03-10')).toEqual([]);
  });
});

describe('the vetoes section of a policy document', () => {
  it('the provincial seed in force today carries vetoes citing the seeds’ own words', () => {
    const r = loadPolicy(province);
    expect(r.errors).toEqual([]);
    if (!r.ok) return;
    expect(r.policy.vetoes?.map((v) => v.id)).toEqual(['ethics-first-sanction-term', 'ethics-first-decision-year', 'ethics-first-demerit-year']);
    if (!existsSync(SEEDS)) return; // the seeds sit beside the checkout (as in policy.loader.unit.test.ts)
    for (const v of r.policy.vetoes ?? [])
      for (const c of v.cite) {
        const file = c.file ?? r.policy.source.file;
        let seed = readFileSync(join(SEEDS, file), 'utf8');
        if (file.startsWith('003')) seed = seed.replace(/\([a-z]+\)/g, '').replace(/,/g, '，');
        if (!file.startsWith('003')) expect(seed.includes(c.text), `${v.id}: ${c.text}`).toBe(true);
      }
  });

  it('a bad vetoes section gets Chinese messages with the path and line', () => {
    const bad = province.replace('    lasts: term\n', '    lasts: forever\n').replace('purposes: [appraisalPass]', 'purposes: [appraisalGood]');
    const r = loadPolicy(bad);
    expect(r.ok).toBe(false);
    const msgs = r.errors.map((e) => e.message);
    expect(msgs.some((m) => m.includes('vetoes[0].lasts') && m.includes('lasts 应为 term（处分期内）、decisionYear（决定当年）或 { months: 月数 }'))).toBe(
      true,
    );
    expect(msgs.some((m) => m.includes('vetoes[2].purposes[0]') && m.includes('否决事项应为以下之一'))).toBe(true);
  });

  it('an unknown sanction kind, a duplicate id, a missing cite', () => {
    const kind = loadPolicy(province.replace('sanctions: [demerit, demotion, removal]', 'sanctions: [demerrit]'));
    expect(kind.errors.map((e) => e.message).join('\n')).toContain('vetoes[2].sanctions[0]：处分种类应为以下之一');
    const dup = loadPolicy(province.replace('  - id: ethics-first-decision-year\n', '  - id: ethics-first-sanction-term\n'));
    expect(dup.errors.map((e) => e.message).join('\n')).toContain('否决规则编号 ethics-first-sanction-term 与第 1 条重复');
    expect(Vetoes.safeParse([{ id: 'x', title: '没有出处的规则', sanctions: ['warning'], lasts: 'term', purposes: ['honour'] }]).error?.issues[0].message).toBe(
      '请写出处 cite（section 与 text）',
    );
  });
});
