import type { Queryable } from '../../db/db.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import { citeLabel } from '../policies/policy.cite.js';
import { DEFAULT_MENTORING, type MentoringPolicy } from '../policies/policy.mentoring.js';

export interface MentoringRules {
  mentoring: MentoringPolicy;
  /** The citation the messages name: 《…》§三（四）. */
  cite: string;
  source: { policyKey: string; title: string } | null;
}

const defaultCite = citeLabel({ title: DEFAULT_MENTORING.cite?.title, section: DEFAULT_MENTORING.cite?.section ?? '三（四）' });

/**
 * The 师徒结对 / 磨课 figures in force on `day` for an org: the `mentoring` key of the policy attached nearest to it
 * (its own org, then upwards) whose period holds that day; else DEFAULT_MENTORING (001 §三（四）).
 */
export async function mentoringRulesFor(q: Queryable, orgPath: string, day: string): Promise<MentoringRules> {
  let best: { depth: number; rules: MentoringRules } | null = null;
  for (const p of await policiesInForceAt(q, orgPath)) {
    const m = p.policy.mentoring;
    if (!m || p.policy.period.from > day || p.policy.period.to < day) continue;
    const depth = Math.max(...p.attachments.map((a) => a.org_path.length));
    if (!best || depth > best.depth) {
      const cite = m.cite
        ? citeLabel({ title: m.cite.title ?? p.policy.source.title ?? p.policy.title, file: m.cite.file, section: m.cite.section })
        : defaultCite;
      best = { depth, rules: { mentoring: m, cite, source: { policyKey: p.key, title: p.policy.title } } };
    }
  }
  return best?.rules ?? { mentoring: DEFAULT_MENTORING, cite: defaultCite, source: null };
}

/** The day `months` months before `day` (YYYY-MM-DD; the 31st clamps into shorter months). */
export function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const total = y * 12 + (m - 1) - months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The 学年学期 a day falls in: August–January the first term of the school year, February–July the second. */
export function termOf(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  if (m >= 8) return `${y}-${y + 1}-1`;
  if (m === 1) return `${y - 1}-${y}-1`;
  return `${y - 1}-${y}-2`;
}

export function termLabel(term: string): string {
  const [a, b, n] = term.split('-');
  return `${a}—${b} 学年第${n === '1' ? '一' : '二'}学期`;
}
