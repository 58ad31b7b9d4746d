import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { Signer } from '../../platform/crypto.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { CATEGORIES } from '../../platform/vocab.js';
import { CERTIFICATE_FONT, loadFont } from '../certificates/certificates.pdf.js';
import { maskName } from '../certificates/certificates.service.js';
import * as repo from './statement.repository.js';
import { renderStatement } from './statement.pdf.js';
import { todayInChina, yearInChina } from '../../platform/china-time.js';

/** A statement's period: one year, or up to five (a 5-year training cycle). */
export interface StatementPeriod {
  /** Default: this year. */
  fromYear?: number;
  toYear?: number;
}

const signers = new WeakMap<AppContext, Signer>();
/** Own signing purpose: a certificate code never verifies as a statement code, nor the other way round. */
function signer(ctx: AppContext): Signer {
  let s = signers.get(ctx);
  if (!s) {
    s = new Signer(ctx.config.secret, 'hours-statement');
    signers.set(ctx, s);
  }
  return s;
}

export function statementCode(ctx: AppContext, id: number): string {
  return signer(ctx).sign(`s${id}`);
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const categoryLabel = (c: string) => CATEGORIES[c as keyof typeof CATEGORIES] ?? c;
const CATEGORY_ORDER = Object.keys(CATEGORIES);
const byVocab = (a: string, b: string) => (CATEGORY_ORDER.indexOf(a) + 1 || 99) - (CATEGORY_ORDER.indexOf(b) + 1 || 99);

function periodOf(p: StatementPeriod, now = new Date()): { fromYear: number; toYear: number } {
  const fromYear = p.fromYear ?? (p.toYear !== undefined ? p.toYear : yearInChina(now));
  const toYear = p.toYear ?? fromYear;
  if (toYear < fromYear) throw badRequest('结束年度不能早于开始年度', [{ field: 'toYear', message: '结束年度不能早于开始年度' }]);
  if (toYear - fromYear > 4) throw badRequest('一份学时证明最多包含 5 个年度', [{ field: 'toYear', message: '最多 5 个年度（一个培训周期）' }]);
  return { fromYear, toYear };
}

/** Net hours of the period: per category, per year and in total (fully reversed categories left out). */
async function figures(ctx: AppContext, teacherId: number, fromYear: number, toYear: number) {
  const rows = await repo.hoursByYearCategory(ctx.db, teacherId, fromYear, toYear);
  const byCategory: Record<string, number> = {};
  const byYear: Record<string, number> = {};
  for (let y = fromYear; y <= toYear; y++) byYear[y] = 0;
  for (const r of rows) {
    byCategory[r.category] = round1((byCategory[r.category] ?? 0) + r.hours);
    byYear[r.year] = round1((byYear[r.year] ?? 0) + r.hours);
  }
  for (const [k, v] of Object.entries(byCategory)) if (v === 0) delete byCategory[k];
  const total = round1(Object.values(byYear).reduce((s, h) => s + h, 0));
  return { byCategory, byYear, total };
}

const sameFigures = (a: Record<string, number>, b: Record<string, number>) => {
  const ka = Object.keys(a).filter((k) => a[k] !== 0);
  const kb = Object.keys(b).filter((k) => b[k] !== 0);
  return ka.length === kb.length && ka.every((k) => round1(a[k]) === round1(b[k] ?? 0));
};

/**
 * Issue a 学时证明 for a teacher (already checked to be the caller or in the caller's scope): the hours of the
 * period as the ledger holds them now, stored as a numbered row (what is printed is what verifies), rendered
 * as a PDF with the verification QR, and audited.
 */
async function issueStatement(ctx: AppContext, user: CurrentUser, t: repo.StatementTeacher, p: StatementPeriod, baseUrl: string, ip?: string) {
  const { fromYear, toYear } = periodOf(p);
  const bureau = await repo.issuingBureau(ctx.db, t.school_path);
  if (!bureau) throw conflict('该教师所在单位没有上级教育局，无法开具学时证明');
  // No Chinese font, no PDF: refuse (503) before a number is taken.
  await loadFont(CERTIFICATE_FONT.path);
  const f = await figures(ctx, t.id, fromYear, toYear);
  const [row, entries] = await ctx.db.tx(async (q) => {
    const s = await repo.insertStatement(q, {
      teacherId: t.id,
      fromYear,
      toYear,
      totalHours: f.total,
      byCategory: f.byCategory,
      byYear: f.byYear,
      schoolName: t.school_name,
      issuerOrgId: bureau.id,
      issuedBy: user.id,
    });
    await audit(
      q,
      user,
      'hoursStatement.issue',
      'teacher',
      t.id,
      { statementNo: s.statement_no, fromYear, toYear, totalHours: f.total, self: user.teacherId === t.id },
      ip,
    );
    return [s, await repo.netEntries(q, t.id, fromYear, toYear)] as const;
  });
  const buffer = await renderStatement(
    {
      statementNo: row.statement_no,
      teacherName: row.teacher_name,
      schoolName: row.school_name,
      fromYear,
      toYear,
      totalHours: f.total,
      byCategory: Object.keys(f.byCategory)
        .sort(byVocab)
        .map((k): [string, number] => [categoryLabel(k), f.byCategory[k]]),
      byYear: Object.entries(f.byYear).map(([y, h]): [number, number] => [Number(y), h]),
      entries: entries.map((e) => ({ date: e.occurred_on, text: e.description, category: categoryLabel(e.category), hours: e.hours })),
      issuer: row.issuer,
      issuedOn: todayInChina(new Date(row.issued_at)),
      verifyUrl: `${baseUrl}/verify/hours/${statementCode(ctx, row.id)}`,
    },
    CERTIFICATE_FONT,
  );
  const period = fromYear === toYear ? `${fromYear}年度` : `${fromYear}-${toYear}年`;
  return { buffer, fileName: `学时证明-${row.teacher_name}-${period}.pdf`, statementNo: row.statement_no };
}

/** The caller's own 学时证明 (我的学时 → 打印学时证明). */
export async function myStatement(ctx: AppContext, user: CurrentUser, p: StatementPeriod, baseUrl: string, ip?: string) {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可以下载自己的学时证明');
  const t = await repo.teacherInScope(ctx.db, '/', user.teacherId);
  if (!t) throw notFound('教师');
  return issueStatement(ctx, user, t, p, baseUrl, ip);
}

/** An admin (a school for its teachers, a bureau for its subtree) prints a teacher's 学时证明; outside the scope: 404. */
export async function teacherStatement(ctx: AppContext, user: CurrentUser, teacherId: number, p: StatementPeriod, baseUrl: string, ip?: string) {
  if (user.role === 'teacher') {
    if (user.teacherId !== teacherId) throw notFound('教师');
    return myStatement(ctx, user, p, baseUrl, ip);
  }
  requirePermission(user, 'hours.readOthers');
  const t = await repo.teacherInScope(ctx.db, user.scopePath, teacherId);
  if (!t) throw notFound('教师');
  return issueStatement(ctx, user, t, p, baseUrl, ip);
}

/**
 * Public verification of a statement's QR code: the figures as printed, the name masked. A bad, tampered or
 * unknown code gets one "invalid" answer. When the ledger has changed since (a correction), it says so: the
 * printed figures are what was issued, and no longer current.
 */
export async function verifyStatement(ctx: AppContext, code: string) {
  const invalid = { valid: false as const, message: '学时证明无效：未找到该证明，或验证码已被篡改' };
  const payload = code.length <= 200 ? signer(ctx).verify(code) : null;
  const m = payload ? /^s(\d{1,10})$/.exec(payload) : null;
  if (!m) return invalid;
  const s = await repo.findStatement(ctx.db, Number(m[1]));
  if (!s) return invalid;
  const now = await figures(ctx, s.teacher_id, s.from_year, s.to_year);
  const current = sameFigures(now.byCategory, s.by_category) && sameFigures(now.byYear, s.by_year);
  return {
    valid: true as const,
    statementNo: s.statement_no,
    name: maskName(s.teacher_name),
    schoolName: s.school_name,
    fromYear: s.from_year,
    toYear: s.to_year,
    totalHours: s.total_hours,
    byCategory: Object.keys(s.by_category)
      .sort(byVocab)
      .map((k) => ({ category: categoryLabel(k), hours: s.by_category[k] })),
    byYear: Object.entries(s.by_year).map(([y, h]) => ({ year: Number(y), hours: h })),
    issuer: s.issuer,
    issuedOn: todayInChina(new Date(s.issued_at)),
    current,
    notice: current ? null : '该证明开具后，此期间的学时已有更正；以上为开具时的数据，请以最新开具的学时证明为准',
  };
}
