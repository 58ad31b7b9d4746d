import type { AppContext } from '../../platform/context.js';
import { can, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { CATEGORIES } from '../../platform/vocab.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import * as repo from './stats-table.repository.js';
import { buildStatsWorkbook } from './stats-table.xlsx.js';
import { todayInChina, yearInChina } from '../../platform/china-time.js';

export interface StatsTableQuery {
  orgId?: number;
  year?: number;
  by: 'school' | 'subject';
  /** 年度达标标准 (hours); default: from the plans in force, see annualTarget. */
  target?: number;
}

/** When no plan in force states a figure for all teachers: the national 5 years × 360 hours, per year. */
export const DEFAULT_ANNUAL_TARGET = 72;

/**
 * The yearly hours a teacher must reach, read off the plans in force at the org: the largest yearly figure of
 * an hours rule for all teachers over any category (a yearly rule as it stands; a cycle or rolling rule
 * divided by its years — 5 年 360 学时 → 72). Without one: DEFAULT_ANNUAL_TARGET.
 */
export async function annualTarget(ctx: AppContext, orgPath: string): Promise<{ target: number; basis: string }> {
  let best: { target: number; basis: string } | null = null;
  for (const lp of await policiesInForceAt(ctx.db, orgPath)) {
    for (const r of lp.policy.rules) {
      if (r.kind !== 'hours' || r.unit !== 'hours' || r.categories !== 'any' || r.forms || !r.who.all || typeof r.atLeast !== 'number') continue;
      const years = r.window.every === 'year' ? 1 : (r.window.cycle?.years ?? r.window.rolling?.years ?? null);
      if (!years) continue;
      const target = Math.round((r.atLeast / years) * 10) / 10;
      if (!best || target > best.target) best = { target, basis: years === 1 ? r.title : `${r.title}，按年折算` };
    }
  }
  return best ?? { target: DEFAULT_ANNUAL_TARGET, basis: '按每 5 年 360 学时折算' };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * 学时统计表 as .xlsx in the official layout, by school or by subject, for one year of an org in the caller's
 * scope (else 404). Figures only, no personal data; audited.
 */
export async function exportStatsTable(ctx: AppContext, user: CurrentUser, f: StatsTableQuery, ip?: string, now = new Date()) {
  if (!can(user, 'hours.readOthers')) throw forbidden('无权导出学时统计表');
  const org = await repo.orgInScope(ctx.db, user.scopePath, f.orgId ?? user.orgId);
  if (!org) throw notFound('单位');
  const year = f.year ?? yearInChina(now);
  const t = f.target !== undefined ? { target: f.target, basis: '导出时指定' } : await annualTarget(ctx, org.path);
  const rows = await repo.statsBy(ctx.db, f.by, user.scopePath, org.path, `${year}-01-01`, `${year + 1}-01-01`, t.target);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const empty = { teachers: 0, reached: 0, total_hours: 0, by_category: {} as Record<string, number> };
  const groups =
    f.by === 'school'
      ? (await repo.schoolsUnder(ctx.db, user.scopePath, org.path)).map((s) => ({ name: s.name, r: byKey.get(String(s.id)) ?? empty }))
      : rows
          .map((r) => ({ name: r.key || '未填写学科', r }))
          .sort((a, b) => (a.name === '未填写学科' ? 1 : b.name === '未填写学科' ? -1 : b.r.teachers - a.r.teachers || a.name.localeCompare(b.name, 'zh')));
  const used = new Set(
    rows.flatMap((r) =>
      Object.entries(r.by_category)
        .filter(([, h]) => h !== 0)
        .map(([c]) => c),
    ),
  );
  const categories = Object.entries(CATEGORIES)
    .filter(([k]) => used.has(k))
    .map(([key, label]) => ({ key, label }));
  const date = todayInChina(now);
  const buffer = await buildStatsWorkbook({
    title: `${org.name.replace(/教育局$/, '')}${year}年度教师培训学时统计表`,
    unit: org.name,
    date,
    groupHeader: f.by === 'school' ? '学校' : '学科',
    target: t.target,
    targetBasis: t.basis,
    categories,
    rows: groups.map((g) => ({
      name: g.name,
      teachers: g.r.teachers,
      reached: g.r.reached,
      totalHours: round1(g.r.total_hours),
      byCategory: g.r.by_category,
    })),
  });
  await audit(ctx.db, user, 'hours.statsExport', 'org', org.id, { year, by: f.by, target: t.target, rows: groups.length }, ip);
  return { buffer, fileName: `学时统计表_${org.name}_${year}年_${f.by === 'school' ? '按学校' : '按学科'}.xlsx` };
}
