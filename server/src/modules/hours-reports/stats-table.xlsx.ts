import '../../platform/exceljs-utf8.js';
import ExcelJS from 'exceljs';
import { neutraliseCell } from '../../platform/excel.js';

export interface StatsTable {
  /** 甲区2026年度教师培训学时统计表 */
  title: string;
  unit: string;
  date: string;
  /** 按学校 / 按学科 */
  groupHeader: string;
  target: number;
  targetBasis: string;
  categories: { key: string; label: string }[];
  rows: { name: string; teachers: number; reached: number; totalHours: number; byCategory: Record<string, number> }[];
}

const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 1000) / 10}%` : '—');
const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The table in the layout a bureau sends upward: a title merged across all columns, the unit and date row,
 * two header rows (类别学时 grouped over the category columns), one row per school or subject, the 合计 row,
 * and the signature row 填表人 / 审核人 / 单位（盖章）. Borders on the table, fit to one A4 landscape page wide.
 */
export async function buildStatsWorkbook(t: StatsTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '强师';
  const ws = wb.addWorksheet('学时统计表', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:4' },
  });
  const fixed = ['序号', t.groupHeader, '教师数', '达标人数', '达标率', '总学时', '人均学时'];
  const n = fixed.length + t.categories.length;
  const border: Partial<ExcelJS.Borders> = {
    top: { style: 'thin' },
    left: { style: 'thin' },
    bottom: { style: 'thin' },
    right: { style: 'thin' },
  };
  const center: Partial<ExcelJS.Alignment> = { horizontal: 'center', vertical: 'middle', wrapText: true };

  ws.mergeCells(1, 1, 1, n);
  const title = ws.getCell(1, 1);
  title.value = neutraliseCell(t.title);
  title.font = { bold: true, size: 16 };
  title.alignment = center;
  ws.getRow(1).height = 30;

  const half = Math.max(2, Math.floor(n / 2));
  ws.mergeCells(2, 1, 2, half);
  ws.getCell(2, 1).value = neutraliseCell(`填报单位：${t.unit}`);
  ws.mergeCells(2, half + 1, 2, n);
  ws.getCell(2, half + 1).value = `统计日期：${t.date}　　年度达标标准：${t.target} 学时（${t.targetBasis}）`;
  ws.getCell(2, half + 1).alignment = { horizontal: 'right' };

  // Two header rows: the fixed columns span both; 分类别学时 spans the category columns.
  fixed.forEach((h, i) => {
    ws.mergeCells(3, i + 1, 4, i + 1);
    ws.getCell(3, i + 1).value = h;
  });
  if (t.categories.length) {
    ws.mergeCells(3, fixed.length + 1, 3, n);
    ws.getCell(3, fixed.length + 1).value = '分类别学时';
    t.categories.forEach((c, i) => {
      ws.getCell(4, fixed.length + 1 + i).value = c.label;
    });
  }
  for (const r of [3, 4])
    for (let c = 1; c <= n; c++) {
      const cell = ws.getCell(r, c);
      cell.font = { bold: true };
      cell.alignment = center;
      cell.border = border;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    }

  const line = (cells: (string | number)[], bold = false) => {
    const row = ws.addRow(cells.map(neutraliseCell));
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cell.border = border;
      if (col !== 2) cell.alignment = { horizontal: 'center', vertical: 'middle' };
      if (bold) cell.font = { bold: true };
    });
    return row;
  };
  for (const [i, r] of t.rows.entries())
    line([
      i + 1,
      r.name,
      r.teachers,
      r.reached,
      pct(r.reached, r.teachers),
      r1(r.totalHours),
      r.teachers ? r1(r.totalHours / r.teachers) : 0,
      ...t.categories.map((c) => r1(r.byCategory[c.key] ?? 0)),
    ]);
  const sum = (f: (r: StatsTable['rows'][number]) => number) => r1(t.rows.reduce((s, r) => s + f(r), 0));
  const teachers = sum((r) => r.teachers);
  const reached = sum((r) => r.reached);
  const total = sum((r) => r.totalHours);
  line(
    [
      '合计',
      '',
      teachers,
      reached,
      pct(reached, teachers),
      total,
      teachers ? r1(total / teachers) : 0,
      ...t.categories.map((c) => sum((r) => r.byCategory[c.key] ?? 0)),
    ],
    true,
  );
  ws.mergeCells(ws.rowCount, 1, ws.rowCount, 2);

  ws.addRow([]);
  const sign = ws.rowCount + 1;
  const third = Math.max(1, Math.floor(n / 3));
  ws.mergeCells(sign, 1, sign, third);
  ws.getCell(sign, 1).value = '填表人：';
  ws.mergeCells(sign, third + 1, sign, Math.min(n, 2 * third));
  ws.getCell(sign, third + 1).value = '审核人：';
  if (2 * third + 1 <= n) {
    ws.mergeCells(sign, 2 * third + 1, sign, n);
    ws.getCell(sign, 2 * third + 1).value = '单位（盖章）：';
  }
  ws.getRow(sign).height = 28;

  ws.getColumn(1).width = 6;
  ws.getColumn(2).width = 26;
  for (let c = 3; c <= n; c++) ws.getColumn(c).width = c <= fixed.length ? 10 : 11;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
