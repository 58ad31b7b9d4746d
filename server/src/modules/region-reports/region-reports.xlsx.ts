/** The report's 附表 as a workbook (and the 正文 on a first sheet), for offices that fill their own templates. */
import { writeXlsx } from '../../platform/excel.js';
import type { RegionReport } from './region-reports.service.js';
import { annexTables } from './region-reports.tables.js';

export function renderReportXlsx(r: RegionReport): Promise<Buffer> {
  const text: string[][] = [[r.issuer], [r.docNo], [r.title], [`${r.recipient}：`]];
  for (const s of r.sections) {
    text.push([s.heading]);
    for (const p of s.paragraphs) text.push([p]);
  }
  text.push([r.issuer], [r.dateText]);
  return writeXlsx([
    { name: '报告正文', columns: [{ header: '实施情况报告', width: 120 }], rows: text },
    ...annexTables(r).map((t) => ({ name: t.sheet, columns: t.columns.map((c) => ({ header: c.header, width: c.width + 4 })), rows: [[t.title], ...t.rows] })),
  ]);
}
