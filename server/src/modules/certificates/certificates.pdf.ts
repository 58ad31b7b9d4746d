import { readFile } from 'node:fs/promises';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { AppError } from '../../platform/errors.js';

/** Debian's fonts-wqy-microhei; a TTC, so the face is chosen by its PostScript name. */
export const CERTIFICATE_FONT = { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', postscriptName: 'WenQuanYiMicroHei' };

const fontCache = new Map<string, Promise<Buffer>>();

/** The font file, read once per path; a clear Chinese 503 when the server has no Chinese font. */
export async function loadFont(path: string): Promise<Buffer> {
  let p = fontCache.get(path);
  if (!p) {
    p = readFile(path);
    fontCache.set(path, p);
    p.catch(() => fontCache.delete(path));
  }
  try {
    return await p;
  } catch {
    throw new AppError('UNAVAILABLE', `服务器缺少中文字体（文泉驿微米黑，${path}），暂时无法生成证书，请联系系统管理员安装 fonts-wqy-microhei`);
  }
}

export interface CertificateContent {
  certNo: string;
  teacherName: string;
  projectName: string;
  levelLabel: string;
  formLabel: string;
  startDate: string | null;
  endDate: string | null;
  hours: number;
  issuer: string;
  issuedOn: string;
  verifyUrl: string;
}

const zhDate = (d: string | null) => (d ? `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日` : '');

/**
 * A one-page A4 landscape completion certificate. pdfkit embeds only the glyphs used (a font subset),
 * so the file stays small although the font is 5 MB. The QR code opens the public verification page.
 */
export async function renderCertificate(c: CertificateContent, font = CERTIFICATE_FONT): Promise<Buffer> {
  const fontData = await loadFont(font.path);
  const qr = await QRCode.toBuffer(c.verifyUrl, { type: 'png', margin: 1, width: 300, errorCorrectionLevel: 'M' });
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    info: { Title: `结业证书 ${c.certNo}`, Author: c.issuer, Subject: c.projectName, Creator: '强师 Qiangshi' },
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
    throw new AppError('UNAVAILABLE', '服务器上的中文字体无法读取，暂时无法生成证书，请联系系统管理员');
  }
  const W = doc.page.width;
  const H = doc.page.height;
  const red = '#b22222';
  doc
    .lineWidth(6)
    .strokeColor(red)
    .rect(24, 24, W - 48, H - 48)
    .stroke();
  doc
    .lineWidth(1.5)
    .rect(36, 36, W - 72, H - 72)
    .stroke();

  doc.fillColor(red).fontSize(44).text('结 业 证 书', 0, 80, { width: W, align: 'center', characterSpacing: 6 });
  doc
    .fillColor('#222')
    .fontSize(12)
    .text(`证书编号：${c.certNo}`, 0, 145, { width: W - 80, align: 'right' });

  const period = c.startDate && c.endDate ? `于 ${zhDate(c.startDate)} 至 ${zhDate(c.endDate)} ` : '';
  doc.fontSize(22).text(`${c.teacherName} 同志：`, 90, 190);
  doc
    .fontSize(18)
    .text(`　　${period}参加「${c.projectName}」（${c.levelLabel}·${c.formLabel}），完成规定的培训内容，经考核合格，认定培训学时 ${c.hours} 学时。`, 90, 240, {
      width: W - 180,
      lineGap: 12,
    });
  doc.fontSize(18).text('特发此证。', 90, doc.y + 12);

  doc.fontSize(18).text(c.issuer, W - 420, H - 170, { width: 330, align: 'right' });
  doc.fontSize(16).text(zhDate(c.issuedOn), W - 420, H - 135, { width: 330, align: 'right' });

  doc.image(qr, 80, H - 200, { width: 110, height: 110 });
  // The QR area is also a link, so the verification address can be clicked in a PDF viewer.
  doc.link(80, H - 200, 110, 110, c.verifyUrl);
  doc
    .fontSize(10)
    .fillColor('#555')
    .text('扫码验证证书真伪', 80, H - 84, { width: 110, align: 'center' });
  doc.end();
  return done;
}
