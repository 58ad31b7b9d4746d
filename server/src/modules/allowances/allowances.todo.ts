import type { CurrentUser } from '../../platform/access.js';
import { todayInChina } from '../../platform/china-time.js';
import type { AppContext } from '../../platform/context.js';
import type { Waiting } from '../todo/todo.repository.js';
import { check } from './allowances.service.js';

/** The month before the China date's month (YYYY-MM). */
export function lastMonthInChina(today: string = todayInChina()): string {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** School admin's to-do (issue 14 item 8): 班主任 of the school without an allowance recorded for last month (the check's "未发放"). */
export async function allowancesMissingWaiting(ctx: AppContext, u: CurrentUser): Promise<Waiting> {
  const month = lastMonthInChina();
  const r = await check(ctx, u, month);
  const n = r.schools.reduce((s, x) => s + x.missing, 0);
  return { n, oldest: n ? `${month}-01` : null };
}
