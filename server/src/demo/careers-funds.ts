import type { AppContext } from '../platform/context.js';
import { todayInChina } from '../platform/china-time.js';
import * as allowances from '../modules/allowances/allowances.service.js';
import * as funds from '../modules/funds/funds.service.js';
import * as fundsRepo from '../modules/funds/funds.repository.js';
import { isoOf, yearOf } from './calendar.js';
import { actAs } from './growth.js';
import type { OrgPlan } from './org-plan.js';

/**
 * Issue 14 items 6 and 8 demo data, through the modules' own services as the demo accounts: for the demo school
 * (school.admin) the 公用经费 base, a budget and a year of spending entries on its projects (one 冲销), last year and
 * this year; for the demo county (county.admin) the 工资总额 and its spending; for last month, the 班主任津贴 of the demo
 * school (most at the minimum, one below, one missing, so the check has something to show). Runs only when the
 * demo's asOf is today (the services date and check by the real day). A few dozen rows.
 */
export async function seedDemoFunds(ctx: AppContext, o: { plan: OrgPlan; refDay: number; log: (m: string) => void }): Promise<Record<string, number>> {
  if (isoOf(o.refDay) !== todayInChina()) return {};
  const today = todayInChina();
  const year = yearOf(o.refDay);
  const school = await actAs(ctx.db, 'school.admin', 'schoolAdmin');
  const county = await actAs(ctx.db, 'county.admin', 'bureauAdmin');
  const counts = { fund_entries: 0, fund_base_figures: 0, fund_budgets: 0, homeroom_allowances: 0 };
  /** A date of `y` at month m/day d, never after today. */
  const on = (y: number, m: number, d: number) => {
    const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    return s > today ? today : s;
  };
  const categories = ['training', 'expert', 'travel', 'materials'] as const;

  for (const [who, kind] of [
    [school, 'school'],
    [county, 'county'],
  ] as const) {
    const projects = (await fundsRepo.spendableProjects(ctx.db, who.orgPath)).slice(0, 4);
    for (const y of [year - 1, year]) {
      // Bases: a school's 公用经费 (about 1.8–2 million yuan), the county's 工资总额 (about 3.2 亿).
      await funds.addBase(ctx, who, {
        year: y,
        metric: kind === 'school' ? 'publicFundBudget' : 'salaryTotal',
        amountYuan: kind === 'school' ? (y === year ? 200_000_000 : 185_000_000) : y === year ? 32_000_000_000 : 30_500_000_000,
        source: `${y} 年部门预算批复`,
      });
      counts.fund_base_figures++;
      await funds.addBudget(ctx, who, {
        year: y,
        amountYuan: kind === 'school' ? 10_000_000 : 450_000_000,
        source: kind === 'school' ? 'publicFunds' : 'salaryShare',
        note: kind === 'school' ? '按公用经费预算总额的 5% 安排' : '从教育事业费中按工资总额安排',
      });
      counts.fund_budgets++;
      if (!projects.length) continue;
      // Last year met; this year so far about 60 % of the requirement.
      const plan =
        kind === 'school'
          ? y === year
            ? [28_000, 15_500, 6_200, 3_800]
            : [42_000, 30_000, 12_600, 9_000]
          : y === year
            ? [980_000, 420_000, 160_000]
            : [1_900_000, 880_000, 420_000];
      const months = y === year ? [1, 3, 4, 5] : [3, 5, 9, 11];
      for (const [i, yuan] of plan.entries()) {
        const date = on(y, months[i] ?? 6, 12 + i);
        if (y === year && date < `${year}-01-01`) continue;
        await funds.addEntry(ctx, who, {
          date,
          voucherNo: `${kind === 'school' ? '校' : '局'}记-${y}-${String(i + 1).padStart(3, '0')}`,
          projectId: projects[i % projects.length].id,
          category: categories[i % categories.length],
          amountYuan: yuan * 100,
          note: i === 0 ? '授课、场地' : '',
        });
        counts.fund_entries++;
      }
      if (kind === 'school' && y === year - 1) {
        // A duplicated voucher, then its 冲销.
        const dup = await funds.addEntry(ctx, who, {
          date: on(y, 9, 20),
          voucherNo: `校记-${y}-099`,
          projectId: projects[0].id,
          category: 'materials',
          amountYuan: 1_200_00,
          note: '资料印刷',
        });
        await funds.reverse(ctx, who, dup.id, '与 9 月资料费凭证重复入账');
        counts.fund_entries += 2;
      }
    }
  }

  // 班主任津贴 of last month at the demo school.
  const m = new Date(`${today}T00:00:00Z`);
  m.setUTCMonth(m.getUTCMonth() - 1);
  const month = `${m.getUTCFullYear()}-${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
  const grid = await allowances.grid(ctx, school, undefined, month);
  const homerooms = grid.rows.filter((r) => r.homeroom && r.minimumYuan !== null);
  const rows = homerooms
    .map((r, i) => ({
      teacherId: r.teacherId,
      amountFen: i === 1 ? Math.round((r.minimumYuan! - 100) * 100) : i === 2 ? null : Math.round(r.minimumYuan! * 100) + (i % 3) * 5000,
    }))
    .filter((r): r is { teacherId: number; amountFen: number } => r.amountFen !== null);
  if (rows.length) {
    await allowances.save(ctx, school, { month, rows });
    counts.homeroom_allowances = rows.length;
  }
  o.log(
    `培训经费与班主任津贴示例数据：${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join('，')}`,
  );
  return counts;
}
