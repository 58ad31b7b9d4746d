import type { CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { writeXlsx } from '../../platform/excel.js';
import { FUND_CATEGORIES } from '../policies/policy.funds.js';
import * as repo from './funds.repository.js';
import { targetOrg, yuanOf } from './funds.service.js';

/**
 * The finance office's 培训经费支出明细账 of an org and year (.xlsx): one row per entry in date order (日期、凭证号、
 * 项目、科目、金额、经办人、备注), a 冲销 row with its negative amount and 冲销原因 beside the entry it cancels, then
 * totals per 科目 and per 项目 on their own sheets. Every export is in the audit log.
 */
export async function exportEntries(ctx: AppContext, user: CurrentUser, orgId: number | undefined, year: number, ip?: string) {
  const org = await targetOrg(ctx.db, user, orgId);
  const entries = await repo.entries(ctx.db, org.id, year);
  const money = (fen: number) => Math.round(fen) / 100;
  const catLabel = (c: string) => FUND_CATEGORIES[c as keyof typeof FUND_CATEGORIES] ?? c;
  const rows: unknown[][] = entries.map((e) => [
    e.entry_date,
    e.voucher_no,
    e.project_name,
    catLabel(e.category),
    money(e.amount_fen),
    e.recorded_by_name ?? '',
    e.reverses !== null
      ? `冲销第 ${e.reverses} 号支出：${e.reason ?? ''}`
      : e.reversed_by !== null
        ? `${e.note}（已由第 ${e.reversed_by} 号冲销）`.trim()
        : e.note,
    e.id,
  ]);
  const total = entries.reduce((s, e) => s + e.amount_fen, 0);
  rows.push(['合计', '', '', '', money(total), '', `共 ${entries.length} 笔（含冲销 ${entries.filter((e) => e.reverses !== null).length} 笔）`, '']);
  const byCat = new Map<string, { plus: number; minus: number }>();
  const byProject = new Map<string, { plus: number; minus: number }>();
  for (const e of entries) {
    for (const [m, k] of [
      [byCat, catLabel(e.category)],
      [byProject, e.project_name],
    ] as const) {
      const x = m.get(k) ?? { plus: 0, minus: 0 };
      if (e.amount_fen > 0) x.plus += e.amount_fen;
      else x.minus += e.amount_fen;
      m.set(k, x);
    }
  }
  const sumRows = (m: Map<string, { plus: number; minus: number }>) => [
    ...[...m.entries()].map(([k, x]) => [k, money(x.plus), money(x.minus), money(x.plus + x.minus)]),
    ['合计', money([...m.values()].reduce((s, x) => s + x.plus, 0)), money([...m.values()].reduce((s, x) => s + x.minus, 0)), money(total)],
  ];
  const buf = await writeXlsx([
    {
      name: '支出明细',
      columns: [
        { header: '日期', width: 12 },
        { header: '凭证号', width: 14, text: true },
        { header: '项目', width: 36 },
        { header: '科目', width: 12 },
        { header: '金额（元）', width: 14 },
        { header: '经办人', width: 12 },
        { header: '备注', width: 40 },
        { header: '记录号', width: 8 },
      ],
      rows,
    },
    {
      name: '按科目汇总',
      columns: [
        { header: '科目', width: 14 },
        { header: '支出（元）', width: 14 },
        { header: '冲销（元）', width: 14 },
        { header: '净额（元）', width: 14 },
      ],
      rows: sumRows(byCat),
    },
    {
      name: '按项目汇总',
      columns: [
        { header: '项目', width: 36 },
        { header: '支出（元）', width: 14 },
        { header: '冲销（元）', width: 14 },
        { header: '净额（元）', width: 14 },
      ],
      rows: sumRows(byProject),
    },
  ]);
  await audit(ctx.db, user, 'funds.export', 'fund_entry', null, { org: org.name, orgId: org.id, year, rows: entries.length, totalYuan: yuanOf(total) }, ip);
  return { buf, fileName: `${org.name}-${year}年培训经费支出明细.xlsx` };
}
