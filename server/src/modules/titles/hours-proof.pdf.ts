/**
 * 学时证明 / 继续教育证明 (issue 14 item 3): the one-page A4 document a title committee asks for — title, the teacher
 * (masked ID), the cycle's hours by year and category, the total against the requirement, the issuing org and date.
 * Fonts as the certificates (Debian fonts-wqy-microhei).
 */
import PDFDocument from 'pdfkit';
import { AppError } from '../../platform/errors.js';
import { CATEGORIES } from '../../platform/vocab.js';
import { CERTIFICATE_FONT, loadFont } from '../certificates/certificates.pdf.js';

export interface HoursProofContent {
  teacherName: string;
  nationalIdMask: string;
  orgName: string;
  titleLabel: string;
  /** The cycle the proof covers. */
  from: string;
  to: string;
  cycleLabel: string;
  required: number | null;
  rows: { year: number; category: string; hours: number }[];
  issuer: string;
  issuedOn: string;
  proofNo: string;
}

const zhDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
const categoryLabel = (c: string) => CATEGORIES[c as keyof typeof CATEGORIES] ?? c;
const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

export async function renderHoursProof(c: HoursProofContent, font = CERTIFICATE_FONT): Promise<Buffer> {
  const fontData = await loadFont(font.path);
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `继续教育学时证明 ${c.proofNo}`, Author: c.issuer, Creator: '强师 Qiangshi' } });
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
  const W = doc.page.width;
  const left = 56;
  const width = W - 112;
  doc.fontSize(22).text('继续教育学时证明', left, 64, { width, align: 'center', characterSpacing: 4 });
  doc.fontSize(10).fillColor('#555').text(`编号：${c.proofNo}`, left, 100, { width, align: 'right' });
  doc.fillColor('#000').fontSize(12);
  let y = 128;
  const line = (label: string, value: string) => {
    doc.text(`${label}：${value}`, left, y, { width });
    y += 22;
  };
  line('姓名', c.teacherName);
  line('身份证号', c.nationalIdMask);
  line('工作单位', c.orgName);
  line('现职称', c.titleLabel);
  line('统计周期', `${c.cycleLabel}（${zhDate(c.from)}至${zhDate(c.to)}）`);
  y += 8;
  // The table: 年度 | 类别 | 学时, a subtotal per year, the total.
  const cols = [left, left + 110, left + width - 110];
  const header = (yy: number) => {
    doc.rect(left, yy, width, 22).fillAndStroke('#e8edf5', '#888');
    doc.fillColor('#000').fontSize(11);
    doc.text('年度', cols[0] + 8, yy + 6);
    doc.text('培训类别', cols[1] + 8, yy + 6);
    doc.text('学时', cols[2] + 8, yy + 6, { width: 94, align: 'right' });
  };
  header(y);
  y += 22;
  const row = (a: string, b: string, h: string, bold = false) => {
    if (y > doc.page.height - 160) {
      doc.addPage();
      y = 64;
      header(y);
      y += 22;
    }
    doc.rect(left, y, width, 20).strokeColor('#888').stroke();
    doc.fillColor(bold ? '#000' : '#222').fontSize(bold ? 11 : 10.5);
    doc.text(a, cols[0] + 8, y + 5);
    doc.text(b, cols[1] + 8, y + 5);
    doc.text(h, cols[2] + 8, y + 5, { width: 94, align: 'right' });
    y += 20;
  };
  const years = [...new Set(c.rows.map((r) => r.year))].sort();
  let total = 0;
  if (!years.length) row('—', '周期内无学时记录', '0');
  for (const yr of years) {
    const rs = c.rows.filter((r) => r.year === yr);
    let sub = 0;
    for (const r of rs) {
      row(String(yr), categoryLabel(r.category), fmt(r.hours));
      sub += r.hours;
    }
    row('', `${yr} 年度小计`, fmt(sub), true);
    total += sub;
  }
  row('合计', c.required !== null ? `周期要求 ${fmt(c.required)} 学时` : '', fmt(total), true);
  y += 16;
  doc.fontSize(12).fillColor('#000');
  const verdict =
    c.required === null
      ? `该教师在上述周期内累计完成继续教育 ${fmt(total)} 学时。`
      : total >= c.required
        ? `该教师在上述周期内累计完成继续教育 ${fmt(total)} 学时，达到周期 ${fmt(c.required)} 学时的要求。`
        : `该教师在上述周期内累计完成继续教育 ${fmt(total)} 学时，距周期 ${fmt(c.required)} 学时的要求还差 ${fmt(c.required - total)} 学时。`;
  doc.text(`特此证明。${verdict}`, left, y, { width });
  y = doc.y + 40;
  doc.text(`出具单位：${c.issuer}（盖章）`, left, y, { width, align: 'right' });
  doc.text(`出具日期：${zhDate(c.issuedOn)}`, left, y + 24, { width, align: 'right' });
  doc
    .fontSize(9)
    .fillColor('#666')
    .text('学时数据取自强师平台学时台账（含认定、申报、导入与更正记录的净值）。本证明由平台生成，编号可向出具单位核验。', left, doc.page.height - 96, {
      width,
    });
  doc.end();
  return done;
}
