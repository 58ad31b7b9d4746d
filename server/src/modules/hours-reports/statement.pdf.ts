import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { AppError } from '../../platform/errors.js';
import { CERTIFICATE_FONT, loadFont } from '../certificates/certificates.pdf.js';

export interface StatementContent {
  statementNo: string;
  teacherName: string;
  schoolName: string;
  fromYear: number;
  toYear: number;
  totalHours: number;
  /** [category label, hours], in the vocabulary's order. */
  byCategory: [string, number][];
  byYear: [number, number][];
  entries: { date: string; text: string; category: string; hours: number }[];
  issuer: string;
  issuedOn: string;
  verifyUrl: string;
}

const zhDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
const periodText = (a: number, b: number) => (a === b ? `${a}年度` : `${a}年至${b}年`);

/**
 * 学时证明: one A4 portrait document — the statement, hours by category and by year with totals, every entry
 * that counts, the issuing bureau and the date, and the QR code of the public verification page. Long lists
 * continue on further pages; the QR code and the issuer sit on the first page.
 */
export async function renderStatement(c: StatementContent, font = CERTIFICATE_FONT): Promise<Buffer> {
  const fontData = await loadFont(font.path);
  const qr = await QRCode.toBuffer(c.verifyUrl, { type: 'png', margin: 1, width: 240, errorCorrectionLevel: 'M' });
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 64, right: 64 },
    info: { Title: `学时证明 ${c.statementNo}`, Author: c.issuer, Subject: `${c.teacherName} ${periodText(c.fromYear, c.toYear)}`, Creator: '强师 Qiangshi' },
  });
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
    throw new AppError('UNAVAILABLE', '服务器上的中文字体无法读取，暂时无法生成学时证明，请联系系统管理员');
  }
  const L = 64;
  const W = doc.page.width - 128;
  doc.fillColor('#111').fontSize(26).text('学 时 证 明', L, 60, { width: W, align: 'center', characterSpacing: 4 });
  doc.fontSize(10).fillColor('#444').text(`编号：${c.statementNo}`, L, 100, { width: W, align: 'right' });
  doc
    .fillColor('#111')
    .fontSize(13)
    .text(
      `　　兹证明 ${c.teacherName} 同志（工作单位：${c.schoolName}）${periodText(c.fromYear, c.toYear)}参加教师培训，经认定共计 ${c.totalHours} 学时。分类别及分年度学时如下：`,
      L,
      128,
      { width: W, lineGap: 6 },
    );

  // Two small tables side by side: by category, by year; each with its total.
  const table = (x: number, y: number, w: number, head: [string, string], rows: [string, string][]) => {
    const rh = 20;
    const all: [string, string][] = [head, ...rows];
    all.forEach(([a, b], i) => {
      const yy = y + i * rh;
      if (i === 0) doc.rect(x, yy, w, rh).fillAndStroke('#eef2f8', '#888');
      else doc.rect(x, yy, w, rh).stroke('#888');
      doc
        .moveTo(x + w * 0.62, yy)
        .lineTo(x + w * 0.62, yy + rh)
        .stroke('#888');
      doc.fillColor('#111').fontSize(10.5);
      doc.text(a, x + 6, yy + 5, { width: w * 0.62 - 12, lineBreak: false, ellipsis: true });
      doc.text(b, x + w * 0.62 + 6, yy + 5, { width: w * 0.38 - 12, align: 'right', lineBreak: false });
    });
    return y + all.length * rh;
  };
  const top = doc.y + 14;
  const h1 = table(L, top, W * 0.56, ['培训类别', '学时'], [...c.byCategory.map(([k, h]): [string, string] => [k, String(h)]), ['合计', String(c.totalHours)]]);
  const h2 = table(
    L + W * 0.62,
    top,
    W * 0.38,
    ['年度', '学时'],
    [...c.byYear.map(([y, h]): [string, string] => [`${y}年`, String(h)]), ['合计', String(c.totalHours)]],
  );
  let y = Math.max(h1, h2) + 24;

  // Issuer, date and QR on the first page, under the tables.
  doc.image(qr, L, y, { width: 96, height: 96 });
  doc.link(L, y, 96, 96, c.verifyUrl);
  doc
    .fontSize(9)
    .fillColor('#555')
    .text('扫码验证本证明', L, y + 100, { width: 96, align: 'center' });
  doc
    .fillColor('#111')
    .fontSize(14)
    .text(c.issuer, L + 120, y + 24, { width: W - 120, align: 'right' });
  doc.fontSize(12).text(zhDate(c.issuedOn), L + 120, y + 50, { width: W - 120, align: 'right' });
  y += 130;

  // The entries behind the figures.
  doc.fontSize(12).fillColor('#111').text('学时明细', L, y);
  y = doc.y + 6;
  const cols = [
    { t: '日期', w: 0.16 },
    { t: '培训内容', w: 0.56 },
    { t: '类别', w: 0.16 },
    { t: '学时', w: 0.12 },
  ];
  const row = (cells: string[], head: boolean) => {
    doc.fontSize(9.5);
    const heights = cells.map((s, i) => doc.heightOfString(s, { width: W * cols[i].w - 8 }));
    const rh = Math.max(16, ...heights.map((h) => h + 6));
    if (y + rh > doc.page.height - 56) {
      doc.addPage();
      y = 56;
      // The column headings again at the top of every continued page.
      if (!head)
        row(
          cols.map((c) => c.t),
          true,
        );
    }
    let x = L;
    if (head) doc.rect(L, y, W, rh).fill('#eef2f8');
    doc.fillColor('#111');
    cells.forEach((s, i) => {
      doc.text(s, x + 4, y + 3, { width: W * cols[i].w - 8, align: i === 3 ? 'right' : 'left' });
      x += W * cols[i].w;
    });
    doc
      .moveTo(L, y + rh)
      .lineTo(L + W, y + rh)
      .stroke('#bbb');
    y += rh;
  };
  row(
    cols.map((c) => c.t),
    true,
  );
  if (!c.entries.length) row(['', '（本期间暂无学时记录）', '', ''], false);
  for (const e of c.entries) row([e.date, e.text, e.category, String(e.hours)], false);
  doc.end();
  return done;
}
