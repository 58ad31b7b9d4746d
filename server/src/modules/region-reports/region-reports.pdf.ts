/**
 * The report as a PDF in the layout of an official report (党政机关公文格式, simplified): the issuing organ in red
 * over a red rule with the 文号, the title, 主送, the 正文 in numbered sections, the issuer and date, then the
 * trend chart (drawn with pdfkit's vector primitives) and the 附表. The Chinese font is the one certificates use.
 */
import PDFDocument from 'pdfkit';
import { AppError } from '../../platform/errors.js';
import { CERTIFICATE_FONT, loadFont } from '../certificates/certificates.pdf.js';
import { pct, type RegionReport } from './region-reports.service.js';
import { annexTables, chartSeries } from './region-reports.tables.js';

const RED = '#c00000';
const M = 64; // page margin
const PALETTE = ['#1f4e79', '#c55a11', '#548235', '#7030a0', '#bf9000'];

type Doc = PDFKit.PDFDocument;

function ensureRoom(doc: Doc, h: number): void {
  if (doc.y + h > doc.page.height - M) doc.addPage();
}

/** A bar chart: per plan year one group of bars (one per series, 0–100 %), axis, grid and legend. */
function drawChart(doc: Doc, title: string, years: number[], series: { name: string; values: (number | null)[] }[]): void {
  const W = doc.page.width - 2 * M;
  const H = 210;
  ensureRoom(doc, H + 60);
  const top = doc.y + 4;
  doc.fontSize(12).fillColor('#000').text(title, M, top, { width: W, align: 'center' });
  const x0 = M + 36;
  const y0 = top + 24;
  const plotW = W - 44;
  const plotH = H - 60;
  doc.lineWidth(0.5).strokeColor('#bbbbbb');
  for (let i = 0; i <= 4; i++) {
    const y = y0 + plotH - (plotH * i) / 4;
    doc
      .moveTo(x0, y)
      .lineTo(x0 + plotW, y)
      .stroke();
    doc
      .fontSize(8)
      .fillColor('#555')
      .text(`${i * 25}%`, M, y - 4, { width: 32, align: 'right' });
  }
  doc
    .lineWidth(1)
    .strokeColor('#333')
    .moveTo(x0, y0)
    .lineTo(x0, y0 + plotH)
    .lineTo(x0 + plotW, y0 + plotH)
    .stroke();
  const groupW = plotW / Math.max(1, years.length);
  const n = Math.max(1, series.length);
  const barW = Math.min(28, (groupW * 0.7) / n);
  years.forEach((y, gi) => {
    const gx = x0 + gi * groupW + (groupW - barW * n) / 2;
    series.forEach((s, si) => {
      const v = s.values[gi];
      if (v === null) return;
      const h = Math.max(0.5, plotH * v);
      doc
        .rect(gx + si * barW, y0 + plotH - h, barW - 2, h)
        .fillColor(PALETTE[si % PALETTE.length])
        .fill();
      doc
        .fontSize(7)
        .fillColor('#333')
        .text(pct(v), gx + si * barW - 6, y0 + plotH - h - 10, { width: barW + 10, align: 'center' });
    });
    doc
      .fontSize(9)
      .fillColor('#000')
      .text(`${y}年`, x0 + gi * groupW, y0 + plotH + 4, { width: groupW, align: 'center' });
  });
  let lx = M;
  const ly = y0 + plotH + 22;
  series.forEach((s, si) => {
    const label = s.name.length > 14 ? `${s.name.slice(0, 14)}…` : s.name;
    const w = doc.fontSize(8).widthOfString(label) + 22;
    if (lx + w > M + W) return;
    doc
      .rect(lx, ly + 1, 10, 8)
      .fillColor(PALETTE[si % PALETTE.length])
      .fill();
    doc.fillColor('#000').text(label, lx + 13, ly, { lineBreak: false });
    lx += w;
  });
  doc.x = M;
  doc.y = ly + 20;
}

/** A grid table with wrapped cells; repeats the header on a new page. */
function drawTable(doc: Doc, title: string, columns: { header: string; width: number }[], rows: string[][]): void {
  const W = doc.page.width - 2 * M;
  const total = columns.reduce((a, c) => a + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * W);
  ensureRoom(doc, 60);
  doc
    .fontSize(12)
    .fillColor('#000')
    .text(title, M, doc.y + 6, { width: W, align: 'center' });
  doc.moveDown(0.3);
  const drawRow = (cells: string[], header: boolean) => {
    doc.fontSize(header ? 9 : 8.5);
    const h = Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i] - 6 }))) + 6;
    if (doc.y + h > doc.page.height - M) {
      doc.addPage();
      if (!header)
        drawRow(
          columns.map((c) => c.header),
          true,
        );
    }
    const y = doc.y;
    let x = M;
    cells.forEach((c, i) => {
      if (header) doc.rect(x, y, widths[i], h).fillColor('#e8eef7').fill();
      doc.lineWidth(0.5).strokeColor('#666').rect(x, y, widths[i], h).stroke();
      doc.fillColor('#000').text(c, x + 3, y + 3, { width: widths[i] - 6 });
      x += widths[i];
    });
    doc.x = M;
    doc.y = y + h;
  };
  drawRow(
    columns.map((c) => c.header),
    true,
  );
  if (!rows.length) drawRow([`（无）${' '.repeat(0)}`, ...columns.slice(1).map(() => '')], false);
  for (const r of rows) drawRow(r, false);
  doc.moveDown(0.8);
}

export async function renderReportPdf(r: RegionReport, font = CERTIFICATE_FONT): Promise<Buffer> {
  const fontData = await loadFont(font.path);
  const doc = new PDFDocument({ size: 'A4', margin: M, info: { Title: r.title, Author: r.issuer, Creator: '强师 Qiangshi' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (b: Buffer) => chunks.push(b));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    doc.registerFont('zh', fontData, font.postscriptName);
    doc.font('zh');
  } catch {
    throw new AppError('UNAVAILABLE', '服务器上的中文字体无法读取，暂时无法生成报告，请联系系统管理员');
  }
  const W = doc.page.width - 2 * M;
  // 版头: the issuing organ in red, the 文号, the red rule.
  doc.fillColor(RED).fontSize(26).text(`${r.issuer}`, M, 70, { width: W, align: 'center', characterSpacing: 2 });
  doc.fillColor('#000').fontSize(12).text(r.docNo, M, 122, { width: W, align: 'center' });
  doc
    .lineWidth(2)
    .strokeColor(RED)
    .moveTo(M, 144)
    .lineTo(M + W, 144)
    .stroke();
  // Title and 主送.
  doc.fillColor('#000').fontSize(18).text(r.title, M, 168, { width: W, align: 'center', lineGap: 4 });
  doc.moveDown(1);
  doc.fontSize(12).text(`${r.recipient}：`, M, doc.y, { width: W });
  doc.moveDown(0.4);
  const para = (t: string) => {
    ensureRoom(doc, 30);
    doc.fontSize(11.5).fillColor('#000').text(t, M, doc.y, { width: W, indent: 23, lineGap: 5, align: 'left' });
    doc.moveDown(0.3);
  };
  para(`现将${r.org.name}${r.year}年度落实《${r.policy.title.replace(/^《|》$/g, '')}》情况报告如下（数据来源：强师平台，统计截至${r.dateText}）。`);
  for (const s of r.sections) {
    ensureRoom(doc, 50);
    doc.moveDown(0.3);
    doc.fontSize(13).fillColor('#000').text(s.heading, M, doc.y, { width: W, indent: 23 });
    doc.moveDown(0.3);
    for (const p of s.paragraphs) para(p);
    if (s.key === 'indicators') {
      const c = chartSeries(r);
      if (c.series.length) drawChart(doc, '图1 实施期各年达标率', c.years, c.series);
    }
  }
  ensureRoom(doc, 90);
  doc.moveDown(0.5);
  para('附表：1. 各下级单位未完成情况；2. 实施期各年指标情况；3. 已采取的措施；4. 各项要求完成情况。');
  doc.moveDown(1.5);
  doc.fontSize(12).text(r.issuer, M, doc.y, { width: W - 20, align: 'right' });
  doc.text(r.dateText, M, doc.y + 4, { width: W - 20, align: 'right' });
  // 附表
  doc.addPage();
  for (const t of annexTables(r)) drawTable(doc, t.title, t.columns, t.rows);
  doc.end();
  return done;
}
