import { z } from 'zod';
import { citeLabel } from './policy.cite.js';
import { SANCTION_KINDS, SANCTION_LABELS } from '../integrity/sanctions.repository.js';

/**
 * 一票否决 (issue 12 item 5) as policy data: the optional top-level `vetoes` of a policy document. Each veto
 * says which sanctions (处理/处分 kinds), for how long (`lasts`), veto which decisions (`purposes`), with the
 * policy's citation and the national figures it assumes. integrity/veto.service.ts applies them; when no policy
 * in force for a teacher's org has vetoes, DEFAULT_VETOES (the national rules) apply.
 *
 * lasts: term          while the sanction is in force (valid_from … valid_until, open = for good)
 *        decisionYear  the calendar year of the decision (受警告处分当年度考核不得评为优秀)
 *        { months: N } N months from the decision date
 */
export const VETO_PURPOSES = {
  keyTeacherSelection: '骨干教师评选',
  studioHost: '名师工作室主持人遴选',
  honour: '评优评先、表彰奖励',
  titleEligibility: '职称评审资格',
  appraisalExcellent: '考核评为优秀',
  appraisalPass: '考核评为合格（只能评为不合格）',
  projectNominationKey: '培训项目选派（骨干、专家角色）',
} as const;
export type VetoPurpose = keyof typeof VETO_PURPOSES;

const purposeKeys = Object.keys(VETO_PURPOSES) as [VetoPurpose, ...VetoPurpose[]];
const kindList = SANCTION_KINDS as unknown as [string, ...string[]];

const VetoCite = z.strictObject({
  file: z.string().min(1).optional(),
  title: z.string().min(2, '请填写出处文件的标题').optional(),
  section: z.string({ error: '请填写出处章节，例如 二（三）' }).min(1, '请填写出处章节'),
  text: z.string({ error: '请摘录原文' }).min(4, '请摘录原文（至少 4 个字）'),
});

const Lasts = z.union([z.literal('term'), z.literal('decisionYear'), z.strictObject({ months: z.number().int().min(1).max(600) })], {
  error: () => 'lasts 应为 term（处分期内）、decisionYear（决定当年）或 { months: 月数 }',
});

export const Veto = z.strictObject({
  id: z.string({ error: '请填写否决规则编号 id' }).regex(/^[a-z0-9][a-z0-9-]*$/, '只能使用小写英文字母、数字和连字符，例如 warning-excellent'),
  title: z.string({ error: '请填写否决规则标题' }).min(4, '请填写否决规则标题'),
  sanctions: z
    .array(z.enum(kindList, { error: () => `处分种类应为以下之一：${SANCTION_KINDS.join(' / ')}` }), { error: '请列出处分种类 sanctions' })
    .min(1, '至少写一种处分'),
  lasts: Lasts,
  purposes: z
    .array(z.enum(purposeKeys, { error: () => `否决事项应为以下之一：${purposeKeys.join(' / ')}` }), { error: '请列出否决事项 purposes' })
    .min(1, '至少写一项否决事项'),
  cite: z.union([VetoCite, z.array(VetoCite).min(1)], { error: () => '请写出处 cite（section 与 text）' }).transform((c) => (Array.isArray(c) ? c : [c])),
  assumptions: z.array(z.string().min(2)).optional(),
});
export type Veto = z.output<typeof Veto>;

/** The `vetoes` section: ids unique. */
export const Vetoes = z.array(Veto).superRefine((vs, c) => {
  const seen = new Map<string, number>();
  vs.forEach((v, i) => {
    if (seen.has(v.id)) c.addIssue({ code: 'custom', path: [i, 'id'], message: `否决规则编号 ${v.id} 与第 ${seen.get(v.id)! + 1} 条重复` });
    else seen.set(v.id, i);
  });
});

/** A sanction as the veto reads it. */
export interface VetoSanction {
  id: number;
  kind: string;
  decidedOn: string;
  validFrom: string;
  validUntil: string | null;
  supersededAt: string | null;
  revokedOn: string | null;
}

export interface VetoReason {
  sanctionId: number;
  kind: string;
  label: string;
  from: string;
  until: string | null;
  vetoId: string;
  vetoTitle: string;
  cite: string;
}

function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return new Date(Date.UTC(ny, nm, Math.min(d, last))).toISOString().slice(0, 10);
}

function dayBefore(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
}

/** The span [from, until] (inclusive, until null = open) during which a sanction triggers a veto. */
export function vetoSpan(v: Pick<Veto, 'lasts'>, s: Pick<VetoSanction, 'decidedOn' | 'validFrom' | 'validUntil'>): { from: string; until: string | null } {
  if (v.lasts === 'term') return { from: s.validFrom, until: s.validUntil };
  if (v.lasts === 'decisionYear') return { from: s.decidedOn, until: `${s.decidedOn.slice(0, 4)}-12-31` };
  return { from: s.decidedOn, until: dayBefore(addMonths(s.decidedOn, v.lasts.months)) };
}

/** How a reason cites the policy: 《title》§section. */
export function vetoCiteLabel(v: Veto, policyTitle: string): string {
  return v.cite.map((c) => citeLabel({ title: c.title ?? policyTitle, section: c.section })).join('；');
}

/**
 * The rule itself (pure): which sanctions veto `purpose` on `date` under these vetoes. A superseded sanction
 * never counts (its correction does); a revoked one counts only before its revocation date.
 */
export function evaluateVetoes(vetoes: { veto: Veto; policyTitle: string }[], sanctions: VetoSanction[], purpose: VetoPurpose, date: string): VetoReason[] {
  const out: VetoReason[] = [];
  for (const s of sanctions) {
    if (s.supersededAt) continue;
    if (s.revokedOn && s.revokedOn <= date) continue;
    for (const { veto, policyTitle } of vetoes) {
      if (!veto.purposes.includes(purpose) || !veto.sanctions.includes(s.kind)) continue;
      const span = vetoSpan(veto, s);
      if (span.from > date || (span.until !== null && span.until < date)) continue;
      if (out.some((r) => r.sanctionId === s.id && r.vetoId === veto.id)) continue;
      out.push({
        sanctionId: s.id,
        kind: s.kind,
        label: SANCTION_LABELS[s.kind as keyof typeof SANCTION_LABELS] ?? s.kind,
        from: span.from,
        until: span.until,
        vetoId: veto.id,
        vetoTitle: veto.title,
        cite: vetoCiteLabel(veto, policyTitle),
      });
    }
  }
  return out;
}

/** One line naming why: 「受警告处分（2026-03-01 至 2026-08-31），依据《…》§…」. */
export function describeVeto(r: VetoReason): string {
  return `受${r.label}处理（${r.from} 至 ${r.until ?? '长期'}），依据${r.cite}`;
}

const NATIONAL = '事业单位工作人员处分规定';

/**
 * The platform default when no policy in force for the teacher's org has vetoes: the national rules (《事业单位工作人员
 * 处分规定》 terms, 《中小学教师违反职业道德行为处理办法》), cited by the national document itself.
 */
export const DEFAULT_VETOES: Veto[] = Vetoes.parse([
  {
    id: 'default-sanction-term',
    title: '处分期内不得评优评先、晋升职称、评选骨干、选派骨干研修',
    sanctions: ['warning', 'demerit', 'demotion', 'removal', 'dismissal', 'credentialRevoked', 'barred'],
    lasts: 'term',
    purposes: ['keyTeacherSelection', 'studioHost', 'honour', 'titleEligibility', 'appraisalExcellent', 'projectNominationKey'],
    cite: {
      title: '中小学教师违反职业道德行为处理办法（2018年修订）',
      section: '第五条',
      text: '教师受到处分的，符合条件的，在处分期内不得参与评优评先、不得晋升职务、职称和岗位等级',
    },
    assumptions: [`处分期按《${NATIONAL}》：警告 6 个月，记过 12 个月，降低岗位等级、撤职 24 个月。`],
  },
  {
    id: 'default-decision-year-excellent',
    title: '受处理当年度考核不得评为优秀',
    sanctions: ['criticism', 'admonition', 'circulated', 'warning'],
    lasts: 'decisionYear',
    purposes: ['appraisalExcellent', 'honour'],
    cite: { title: NATIONAL, section: '第九条', text: '受到警告处分的，在作出处分决定的当年，参加年度考核，不能确定为优秀档次' },
  },
  {
    id: 'default-demerit-pass',
    title: '受记过及以上处分当年度考核不得评为合格',
    sanctions: ['demerit', 'demotion', 'removal'],
    lasts: 'decisionYear',
    purposes: ['appraisalPass'],
    cite: {
      title: NATIONAL,
      section: '第九条',
      text: '受到记过以上处分的，在作出处分决定的当年，参加年度考核，只写评语，不确定等次',
    },
    assumptions: ['“不确定等次”在本平台按“不得评为合格（只能记为不合格）”执行。'],
  },
]);
