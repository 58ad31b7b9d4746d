/**
 * Plain-Chinese readings of a parsed policy rule (who, window, deadline), for the policy page.
 * Mirrors the format in policies/README.md; kept here so the web bundle does not pull in the
 * server's zod schemas.
 */
import type { ParsedRule, PolicyPeriod } from '../../api/types';
import { CATEGORIES, label, MANDARIN_LEVELS, STAGES, TEACHER_ROLES } from '../../vocab';

const TARGET_METRICS: Record<string, string> = {
  teachersHired: '新招聘教师人数',
  outboundTraining: '外派培训人次',
  'studios.masterTeacher.city': '市级名教师工作室数',
  'studios.masterTeacher.county': '旗县区级名教师工作室数',
  'studios.masterHomeroom.city': '市级名班主任工作室数',
  'studios.masterHomeroom.county': '旗县区级名班主任工作室数',
  keyTeachersTracked: '跟踪培养的学科骨干教师人数',
};

const FUNDING_METRICS: Record<string, string> = {
  trainingBudget: '教师培训经费预算',
  trainingSpent: '教师培训经费支出',
  publicFundBudget: '年度公用经费预算总额',
  salaryTotal: '教师（教职工）工资总额',
};

const PER: Record<string, string> = { school: '每所学校', county: '每个区县', region: '全区域合计' };

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

/** { role: homeroom, stage: [primary] } → '班主任；学段：小学'. */
export function whoText(who: Record<string, unknown> | undefined): string {
  if (!who) return '全体教师';
  if (who.all) return '全体教师';
  const parts: string[] = [];
  if (who.role)
    parts.push(
      list(who.role)
        .map((r) => label(TEACHER_ROLES, r))
        .join('或'),
    );
  if (who.stage)
    parts.push(
      `学段：${list(who.stage)
        .map((s) => label(STAGES, s))
        .join('、')}`,
    );
  if (who.subject) parts.push(`任教${list(who.subject).join('、')}`);
  if (who.notSubject) parts.push(`不任教${list(who.notSubject).join('、')}`);
  if (who.onlySubject) parts.push(`专职${String(who.onlySubject)}`);
  if (who.newTeacher) parts.push('新入职教师');
  if (who.keyTeacher !== undefined) parts.push(who.keyTeacher ? '骨干教师' : '非骨干教师');
  if (who.qualificationMatch !== undefined) parts.push(who.qualificationMatch ? '科证相符' : '科证不符');
  if (who.employment) parts.push(who.employment === 'staff' ? '在编' : '非在编');
  return parts.join('；') || '全体教师';
}

/** Who or what the rule selects, by kind. */
export function subjectText(r: ParsedRule): string {
  const schools = (r.schools as { stage?: unknown } | undefined)?.stage
    ? `（${list((r.schools as { stage?: unknown }).stage)
        .map((s) => label(STAGES, s))
        .join('、')}学校）`
    : '';
  switch (r.kind) {
    case 'hours':
    case 'credential':
      return whoText(r.who);
    case 'participation':
      return `${whoText(r.who)}${r.measure === 'sessionRate' ? '（每场参训率）' : '（每人参加场次）'}`;
    case 'staffing': {
      const per = `${PER[String(r.per)] ?? ''}${schools}`;
      if (r.count) return `${per}：${whoText(r.count as Record<string, unknown>)}人数`;
      const ratio = r.ratio as { of?: Record<string, unknown>; having?: Record<string, unknown> } | undefined;
      return `${per}：${whoText(ratio?.having)}占${whoText(ratio?.of)}的比例`;
    }
    case 'target':
      return `全区域：${TARGET_METRICS[String(r.metric)] ?? String(r.metric)}${r.aggregate === 'cumulative' ? '（累计）' : r.aggregate === 'average' ? '（年均）' : '（每年）'}`;
    case 'funding':
      return `${PER[String(r.per)] ?? ''}${schools}：${FUNDING_METRICS[String(r.numerator)] ?? r.numerator} ÷ ${FUNDING_METRICS[String(r.denominator)] ?? r.denominator}`;
    case 'planContent': {
      const m = r.module as { category?: string; position?: string } | undefined;
      return `培训方案：${m?.position === 'first' ? '第一模块为' : '包含'}“${label(CATEGORIES, m?.category)}”`;
    }
    default:
      return '—';
  }
}

/** What must be held or done, beyond the bare figure: categories of hours, the credential … */
export function figureText(r: ParsedRule): string {
  const atLeast = r.atLeast as number | null | undefined;
  const n = atLeast === null || atLeast === undefined ? null : atLeast;
  switch (r.kind) {
    case 'hours': {
      const cats =
        r.categories === 'any'
          ? '不限类别'
          : list(r.categories)
              .map((c) => label(CATEGORIES, c))
              .join('、');
      return n === null ? `${cats}（原文未给数字）` : `≥ ${n} ${r.unit === 'days' ? '天' : '学时'}（${cats}）`;
    }
    case 'credential': {
      const req = (r.require ?? {}) as {
        mandarin?: { atLeast: string };
        certificate?: { anyOf: string[] };
        qualification?: { stage?: boolean; subject?: boolean; unexpired?: boolean };
      };
      if (req.mandarin) return `普通话 ${label(MANDARIN_LEVELS, req.mandarin.atLeast)} 及以上`;
      if (req.certificate) return `持有${req.certificate.anyOf.join('或')}`;
      if (req.qualification) {
        const q = req.qualification;
        return `教师资格证${q.stage !== false ? '学段相符' : ''}${q.subject !== false ? '、学科相符' : ''}${q.unexpired ? '、定期注册未过期' : ''}`;
      }
      return '—';
    }
    case 'staffing':
    case 'funding':
      if (n === null) return '原文未给数字';
      return r.ratio || r.kind === 'funding'
        ? `≥ ${Math.round(n * 1000) / 10}%${r.atMost !== undefined ? `，≤ ${Math.round((r.atMost as number) * 1000) / 10}%` : ''}`
        : `≥ ${n} 人${r.atMost !== undefined ? `，≤ ${String(r.atMost)} 人` : ''}`;
    case 'target':
      return n === null ? '原文未给数字' : `≥ ${n}`;
    case 'participation':
      return n === null ? '原文未给数字' : r.measure === 'sessionRate' ? `≥ ${Math.round(n * 1000) / 10}%` : `≥ ${n} 场次`;
    case 'planContent':
      return '每个培训方案';
    default:
      return n === null ? '—' : `≥ ${n}`;
  }
}

/** The window in words: '每个自然年', '实施期 2023-01-01 至 2025-12-31', '每 5 年一个周期（自 2021-01-01 起）'. */
export function windowText(w: Record<string, unknown> | undefined, period: PolicyPeriod, r?: ParsedRule): string {
  if (!w) {
    if (r?.kind === 'target') {
      const y = r.years as { from: number; to: number } | undefined;
      return y ? `${y.from}—${y.to} 年` : '每年';
    }
    return '—';
  }
  if (w.every === 'year') return '每个自然年';
  if (w.every === 'term') return '每学期';
  if (w.period) return `实施期（${period.from} 至 ${period.to ?? '长期'}）`;
  if (w.from) return `${String(w.from)} 至 ${String(w.to)}`;
  const cycle = w.cycle as { years: number; anchor: string } | undefined;
  if (cycle) return `每 ${cycle.years} 年一个周期（自 ${cycle.anchor} 起）`;
  const rolling = w.rolling as { years: number } | undefined;
  if (rolling) return `截至评估日的近 ${rolling.years} 年`;
  const after = w.afterHire as { years: number; leadDays?: number } | undefined;
  if (after) return `入职后 ${after.years} 年内${after.leadDays ? `（含入职前 ${after.leadDays} 天）` : ''}`;
  return '—';
}

/** When the rule falls due. */
export function deadlineText(r: ParsedRule, period: PolicyPeriod): string {
  if (r.deadline) return r.deadline;
  const w = r.window as Record<string, unknown> | undefined;
  if (!w) {
    if (r.kind === 'credential' || r.kind === 'staffing') return '即时（应一直满足）';
    if (r.kind === 'target') {
      const y = r.years as { to: number } | undefined;
      return y ? `${y.to}-12-31` : '每年 12-31';
    }
    return '—';
  }
  if (w.every === 'year') return '每年 12-31';
  if (w.every === 'term') return '学期末';
  if (w.period) return period.to ?? '长期';
  if (w.to) return String(w.to);
  if (w.cycle) return '每个周期末';
  if (w.rolling) return '评估日';
  if (w.afterHire) return `入职满 ${(w.afterHire as { years: number }).years} 年`;
  return '—';
}

/** Reminded this many days before a deadline when the document says nothing (server: DEFAULT_REMINDER_DAYS). */
const DEFAULT_REMINDER_DAYS = [7];

const daysOf = (v: unknown): number[] | undefined => {
  const d = (v as { daysBefore?: unknown } | undefined)?.daysBefore;
  return Array.isArray(d) && d.length ? d.map(Number) : undefined;
};

/**
 * 达标期限提醒 of one rule: the rule's own `reminders`, else the document's, else 7 days; largest first.
 * Null for rules that judge a school or region (only teachers are reminded).
 */
export function reminderText(doc: object, r: ParsedRule, subject: string): string | null {
  if (subject !== 'teacher') return null;
  const days = [...(daysOf(r.reminders) ?? daysOf((doc as { reminders?: unknown }).reminders) ?? DEFAULT_REMINDER_DAYS)].sort((a, b) => b - a);
  return `截止前 ${days.map((d) => `${d} 天`).join('、')}提醒`;
}

export const RELATION_LABELS: Record<string, { text: string; color: string }> = {
  here: { text: '本单位', color: 'blue' },
  above: { text: '上级', color: 'purple' },
  below: { text: '下级单位', color: 'default' },
  unattached: { text: '未挂接', color: 'orange' },
};
