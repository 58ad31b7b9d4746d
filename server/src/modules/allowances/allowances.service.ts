import type { Queryable } from '../../db/db.js';
import { type CurrentUser, requirePermission } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { todayInChina } from '../../platform/china-time.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { parseSpreadsheet, writeXlsx } from '../../platform/excel.js';
import { STAGES } from '../../platform/vocab.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import { citeLabel } from '../policies/policy.cite.js';
import { allowanceMinimum, DEFAULT_FUNDS, type FundsPolicy } from '../policies/policy.funds.js';
import * as repo from './allowances.repository.js';

/**
 * 班主任津贴 (issue 14 item 8): the allowance a school pays each teacher per month, entered as a grid or imported from
 * Excel (append-only: a change is a new row, with a reason when it changes a recorded amount), and the check — which
 * 班主任 (a homeroom role period overlapping the month, teacher facts) are missing or below the minimum of their stage
 * (policy key `funds`, default 000 §二(二): 800 / 1000 / 1200 yuan).
 */

export type AllowanceStatus = 'ok' | 'below' | 'missing' | 'noMinimum' | 'notHomeroom';
export const STATUS_LABELS: Record<AllowanceStatus, string> = {
  ok: '达标',
  below: '低于标准',
  missing: '未发放',
  noMinimum: '无标准',
  notHomeroom: '非班主任',
};

/** The `funds` rules in force for an org: the nearest attached policy with the key, else the defaults. */
export async function fundsRulesFor(q: Queryable, orgPath: string): Promise<{ funds: FundsPolicy; cite: string | null; policyTitle: string | null }> {
  let best: { depth: number; funds: FundsPolicy; cite: string | null; policyTitle: string } | null = null;
  for (const p of await policiesInForceAt(q, orgPath)) {
    const f = p.policy.funds;
    if (!f) continue;
    const depth = Math.max(0, ...p.attachments.map((a) => a.org_path.length));
    if (!best || depth > best.depth) {
      const c = f.homeroomAllowance.cite;
      best = {
        depth,
        funds: f,
        policyTitle: p.policy.title,
        cite: c ? citeLabel({ title: c.title ?? p.policy.source.title ?? p.policy.title, file: c.file, section: c.section }) : null,
      };
    }
  }
  if (best) return best;
  const c = DEFAULT_FUNDS.homeroomAllowance.cite!;
  return {
    funds: DEFAULT_FUNDS,
    cite: citeLabel({ title: '巴彦淖尔市教师专业能力提升行动计划（2023—2025年）', file: c.file, section: c.section }),
    policyTitle: null,
  };
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
export function monthStart(month: string): string {
  if (!MONTH.test(month)) throw badRequest('月份格式应为 YYYY-MM', [{ field: 'month', message: '月份格式应为 YYYY-MM' }]);
  if (`${month}-01` > todayInChina()) throw badRequest('不能登记或检查未来月份的津贴', [{ field: 'month', message: '月份不能晚于本月' }]);
  return `${month}-01`;
}

export function statusOf(homeroom: boolean, amountFen: number | null, minimumYuan: number | null): AllowanceStatus {
  if (!homeroom) return 'notHomeroom';
  if (minimumYuan === null) return 'noMinimum';
  if (amountFen === null) return 'missing';
  return amountFen >= Math.round(minimumYuan * 100) ? 'ok' : 'below';
}

async function school(q: Queryable, user: CurrentUser, orgId?: number) {
  requirePermission(user, 'funds.manage');
  const r = await q.query<{ id: number; name: string; path: string; kind: string }>(
    `SELECT id, name, path, kind FROM orgs WHERE id = $1 AND path LIKE $2 || '%'`,
    [orgId ?? user.orgId, user.orgPath],
  );
  const o = r.rows[0];
  if (!o) throw notFound('学校');
  if (o.kind !== 'school') throw badRequest('班主任津贴按学校登记，请选择一所学校');
  return o;
}

export async function grid(ctx: AppContext, user: CurrentUser, orgId: number | undefined, month: string) {
  const o = await school(ctx.db, user, orgId);
  const first = monthStart(month);
  const rules = await fundsRulesFor(ctx.db, o.path);
  const rows = (await repo.monthRows(ctx.db, o.id, first)).map((r) => {
    const min = allowanceMinimum(rules.funds, r.stage);
    const status = statusOf(r.homeroom, r.amount_fen, min);
    return {
      teacherId: r.teacher_id,
      name: r.name,
      stage: r.stage,
      stageLabel: STAGES[r.stage as keyof typeof STAGES] ?? r.stage,
      homeroom: r.homeroom,
      amountYuan: r.amount_fen === null ? null : r.amount_fen / 100,
      minimumYuan: min,
      status,
      statusLabel: STATUS_LABELS[status],
    };
  });
  // 班主任 first (the ones the check is about), then the others who hold an allowance.
  const shown = rows.filter((r) => r.homeroom || r.amountYuan !== null);
  return {
    org: { id: o.id, name: o.name },
    month,
    minimums: rules.funds.homeroomAllowance,
    cite: rules.cite,
    policyTitle: rules.policyTitle,
    rows: shown.sort((a, b) => Number(b.homeroom) - Number(a.homeroom)),
    counts: {
      homeroom: rows.filter((r) => r.homeroom).length,
      ok: rows.filter((r) => r.status === 'ok').length,
      below: rows.filter((r) => r.status === 'below').length,
      missing: rows.filter((r) => r.status === 'missing').length,
    },
  };
}

export interface SaveInput {
  orgId?: number;
  month: string;
  rows: { teacherId: number; amountFen: number }[];
  reason?: string;
}

/** Save the grid (only changed cells are written), all or nothing. Changing a recorded amount needs a reason. */
export async function save(ctx: AppContext, user: CurrentUser, b: SaveInput, via: 'grid' | 'import' = 'grid') {
  return ctx.db.tx(async (q) => {
    const o = await school(q, user, b.orgId);
    const first = monthStart(b.month);
    const known = new Map((await repo.monthRows(q, o.id, first)).map((r) => [r.teacher_id, r]));
    const seen = new Set<number>();
    let written = 0;
    let changed = 0;
    for (const [i, r] of b.rows.entries()) {
      const t = known.get(r.teacherId);
      if (!t) throw badRequest(`第 ${i + 1} 行：教师不在本校（${b.month}）`, [{ field: `rows.${i}.teacherId`, message: '教师不在本校' }]);
      if (seen.has(r.teacherId)) throw badRequest(`第 ${i + 1} 行：${t.name} 重复`, [{ field: `rows.${i}.teacherId`, message: '重复' }]);
      seen.add(r.teacherId);
      if (t.amount_fen === r.amountFen) continue;
      if (t.amount_fen !== null) {
        if (!b.reason)
          throw badRequest(`${t.name} ${b.month} 的津贴已登记为 ${t.amount_fen / 100} 元，更改须填写原因`, [{ field: 'reason', message: '请填写更改原因' }]);
        changed++;
      }
      await repo.insertAllowance(q, {
        orgId: o.id,
        teacherId: r.teacherId,
        month: first,
        amountFen: r.amountFen,
        reason: t.amount_fen !== null ? (b.reason ?? null) : null,
        userId: user.id,
      });
      written++;
    }
    await audit(q, user, via === 'import' ? 'allowances.import' : 'allowances.save', 'homeroom_allowance', null, {
      org: o.name,
      month: b.month,
      written,
      changed,
      reason: b.reason ?? null,
    });
    return { written, changed };
  });
}

const HEADERS = ['教师编号', '姓名', '学段', '是否班主任', '标准（元/月）', '津贴（元）'];

export async function template(ctx: AppContext, user: CurrentUser, orgId: number | undefined, month: string) {
  const g = await grid(ctx, user, orgId, month);
  const buf = await writeXlsx([
    {
      name: '班主任津贴',
      columns: HEADERS.map((h) => ({ header: h, width: h === '姓名' ? 14 : 12 })),
      rows: g.rows.map((r) => [r.teacherId, r.name, r.stageLabel, r.homeroom ? '是' : '否', r.minimumYuan ?? '', r.amountYuan ?? '']),
    },
  ]);
  await audit(ctx.db, user, 'allowances.export', 'homeroom_allowance', null, { org: g.org.name, month, rows: g.rows.length });
  return { buf, fileName: `${g.org.name}-${month}班主任津贴.xlsx` };
}

/** Import the grid from the template: every row checked first; any error refuses the whole file with the row list. */
export async function importSheet(
  ctx: AppContext,
  user: CurrentUser,
  orgId: number | undefined,
  month: string,
  file: { buffer: Buffer; fileName: string },
  reason?: string,
) {
  const rows = await parseSpreadsheet(file.buffer, file.fileName);
  const [head, ...data] = rows;
  const col = (h: string) => head?.cells.findIndex((c) => String(c ?? '').trim() === h) ?? -1;
  const idCol = col('教师编号');
  const amountCol = col('津贴（元）');
  const nameCol = col('姓名');
  if (idCol < 0 || amountCol < 0) throw badRequest('表头应包含“教师编号”和“津贴（元）”两列，请使用下载的模板');
  const errors: { row: number; message: string }[] = [];
  const out: { teacherId: number; amountFen: number }[] = [];
  const g = await grid(ctx, user, orgId, month);
  const names = new Map(g.rows.map((r) => [r.teacherId, r.name]));
  for (const r of data) {
    const idRaw = r.cells[idCol];
    const amt = r.cells[amountCol];
    if ((idRaw === null || idRaw === '') && (amt === null || amt === '')) continue;
    if (amt === null || amt === '') continue; // a blank amount: nothing recorded for that teacher
    const id = Number(idRaw);
    const s = String(amt).trim().replace(/,/g, '');
    if (!Number.isInteger(id) || id <= 0) errors.push({ row: r.rowNumber, message: '教师编号无效' });
    else if (!/^\d{1,8}(\.\d{1,2})?$/.test(s)) errors.push({ row: r.rowNumber, message: '津贴应为不超过两位小数的非负金额（元）' });
    else if (nameCol >= 0 && names.has(id) && String(r.cells[nameCol] ?? '').trim() !== names.get(id))
      errors.push({ row: r.rowNumber, message: `教师编号 ${id} 对应的姓名是 ${names.get(id)}，与表中不符` });
    else out.push({ teacherId: id, amountFen: Math.round(Number(s) * 100) });
  }
  if (errors.length)
    throw badRequest(
      `共 ${errors.length} 行有误，整份文件未导入：${errors
        .slice(0, 5)
        .map((e) => `第 ${e.row} 行 ${e.message}`)
        .join('；')}`,
      errors.slice(0, 100).map((e) => ({ field: `row${e.row}`, message: e.message })),
    );
  if (!out.length) throw badRequest('文件中没有填写津贴金额的行');
  return save(ctx, user, { orgId, month, rows: out, reason }, 'import');
}

/** 津贴检查: per school of the caller's subtree, the 班主任 below the minimum or without an allowance in the month. */
export async function check(ctx: AppContext, user: CurrentUser, month: string) {
  requirePermission(user, 'funds.manage');
  const first = monthStart(month);
  const schools = await repo.schoolsUnder(ctx.db, user.orgPath);
  const out = [];
  for (const s of schools) {
    const rules = await fundsRulesFor(ctx.db, s.path);
    const rows = await repo.monthRows(ctx.db, s.id, first);
    const problems = rows
      .map((r) => {
        const min = allowanceMinimum(rules.funds, r.stage);
        return { r, min, status: statusOf(r.homeroom, r.amount_fen, min) };
      })
      .filter((x) => x.status === 'below' || x.status === 'missing');
    const homeroom = rows.filter((r) => r.homeroom).length;
    if (!homeroom) continue;
    out.push({
      orgId: s.id,
      name: s.name,
      homeroom,
      below: problems.filter((p) => p.status === 'below').length,
      missing: problems.filter((p) => p.status === 'missing').length,
      problems: problems.slice(0, 50).map((p) => ({
        teacherId: p.r.teacher_id,
        name: p.r.name,
        stageLabel: STAGES[p.r.stage as keyof typeof STAGES] ?? p.r.stage,
        amountYuan: p.r.amount_fen === null ? null : p.r.amount_fen / 100,
        minimumYuan: p.min,
        status: p.status,
        statusLabel: STATUS_LABELS[p.status],
      })),
    });
  }
  return { month, schools: out };
}
