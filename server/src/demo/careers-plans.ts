/**
 * Issue 14 item 5 demo data: the demo county's schools file their 年度计划 for the last plan year whose deadline has
 * passed, through the plans module's services as the demo accounts would (filed at instants in the past, so the
 * deadline, the late list and versions read true): most accepted — one after a return and a second version —, one
 * returned and waiting, one filed late, a few waiting for review, the rest missing; the county bureau files its own
 * with the city. Small: a handful of rows per school.
 */
import PDFDocument from 'pdfkit';
import type { Queryable } from '../db/db.js';
import type { CurrentUser } from '../platform/access.js';
import type { AppContext } from '../platform/context.js';
import { CERTIFICATE_FONT, loadFont } from '../modules/certificates/certificates.pdf.js';
import { decide, filePlan, uploadDocument } from '../modules/plans/plans.service.js';
import type { PlanItem } from '../modules/plans/plans.schema.js';
import { withActor } from '../modules/notifications/notifications.service.js';
import { dayOf, isoOf, yearOf } from './calendar.js';
import { actAs } from './growth.js';
import { insertUser } from '../modules/users/users.repository.js';
import type { OrgPlan } from './org-plan.js';

/** A one-page plan document (Chinese text when the server's font is there, else a plain PDF page). */
async function planPdf(title: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 72, info: { Title: title, Creator: '强师 Qiangshi 演示数据' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (b: Buffer) => chunks.push(b));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    doc.registerFont('zh', await loadFont(CERTIFICATE_FONT.path), CERTIFICATE_FONT.postscriptName);
    doc.font('zh').fontSize(20).text(title, { align: 'center' }).moveDown();
    doc.fontSize(12).text('一、指导思想\n二、年度目标：教师年度学时全员达标\n三、培训项目安排\n四、经费预算（按公用经费预算总额的 5% 安排）\n五、保障措施');
  } catch {
    doc.fontSize(16).text('Annual training plan (demo)');
  }
  doc.end();
  return done;
}

/** The school's (or bureau's) admin account; a school without one gets one (real schools have one), with the demo password. */
async function adminOf(q: Queryable, org: { id: number; code: string; name: string }, role: 'schoolAdmin' | 'bureauAdmin'): Promise<CurrentUser> {
  const found = await q.query<{ username: string }>(
    `SELECT u.username FROM active_user_roles a JOIN users u ON u.id = a.user_id WHERE a.org_id = $1 AND a.role = $2 AND u.active ORDER BY u.id LIMIT 1`,
    [org.id, role],
  );
  if (found.rows[0]) return actAs(q, found.rows[0].username, role);
  const hash = (await q.query<{ h: string }>(`SELECT password_hash AS h FROM users WHERE username = 'city.admin'`)).rows[0].h;
  const username = `admin.${org.code.toLowerCase()}`;
  await insertUser(q, { username, passwordHash: hash, displayName: `${org.name}管理员`, role, orgId: org.id });
  return actAs(q, username, role);
}

const ITEMS: PlanItem[] = [
  { kind: 'project', title: '新课标背景下的课堂教学能力提升', projectId: null },
  { kind: 'project', title: '班主任专业能力专题培训', projectId: null },
  { kind: 'budget', title: '校本研修与外出培训', category: '培训费', amount: 36000 },
  { kind: 'budget', title: '专家讲座', category: '专家费', amount: 8000 },
  { kind: 'hoursTarget', title: '教师年度学时达标', targetPercent: 95 },
];

const at = (iso: string, hh: number) => new Date(`${iso}T${String(hh - 8).padStart(2, '0')}:30:00Z`);

export async function seedDemoPlans(ctx: AppContext, o: { plan: OrgPlan; refDay: number; log: (m: string) => void }): Promise<Record<string, number>> {
  const { plan, refDay } = o;
  const county = plan.counties[plan.demoCounty];
  // The plan year: this year once its deadline (5-31) is well behind the demo day, else last year.
  const y = yearOf(refDay);
  const year = isoOf(refDay) >= `${y}-06-20` ? y : y - 1;
  const countyAdmin = await adminOf(ctx.db, county.bureau, 'bureauAdmin');
  const cityAdmin = await adminOf(ctx.db, plan.city, 'bureauAdmin');
  const pdf = await planPdf(`${year} 年度教师培训计划`);
  // The demo school first (its account files the plan the browser test and the demo show), then the others.
  const schools = [plan.demoSchool, ...county.schools.filter((s) => s !== plan.demoSchool)].slice(0, 12);
  const kinds = [
    'returned',
    'accepted',
    'resubmitted',
    'late',
    'accepted',
    'submitted',
    'accepted',
    'missing',
    'accepted',
    'submitted',
    'missing',
    'missing',
  ] as const;
  let filings = 0;
  const file = async (user: CurrentUser, when: Date, items = ITEMS) => {
    const doc = await uploadDocument(ctx, user, pdf, `${user.orgName}${year}年度培训计划.pdf`);
    filings++;
    return filePlan(ctx, user, { year, planFileId: doc.fileId, trainingFileId: null, note: null, items }, when);
  };
  const review = (id: number, when: Date, decision: 'returned' | 'accepted', reason: string | null = null) =>
    withActor(countyAdmin.id, () => decide(ctx, countyAdmin, id, { decision, reason }, undefined, when));
  for (const [i, s] of schools.entries()) {
    const kind = kinds[i];
    if (kind === 'missing') continue;
    const admin = await adminOf(ctx.db, s.org, 'schoolAdmin');
    await withActor(admin.id, async () => {
      const onTime = at(isoOf(dayOf(`${year}-05-10`) + i), 10);
      if (kind === 'late') {
        await file(admin, at(`${year}-06-06`, 15));
        return;
      }
      const v1 = await file(admin, onTime);
      if (kind === 'submitted') return;
      if (kind === 'accepted') return void (await review(v1.id, at(`${year}-05-31`, 16), 'accepted'));
      await review(v1.id, at(`${year}-05-28`, 16), 'returned', '经费预算未单列专家费和资料费，请按公用经费 5% 细化后重新报送');
      if (kind === 'resubmitted') {
        const v2 = await file(admin, at(`${year}-06-03`, 9), [...ITEMS, { kind: 'budget', title: '培训资料', category: '资料费', amount: 3000 }]);
        await review(v2.id, at(`${year}-06-05`, 10), 'accepted');
      }
    });
  }
  // The county bureau's own plan, filed with the city and accepted.
  await withActor(countyAdmin.id, async () => {
    const own = await file(countyAdmin, at(`${year}-05-26`, 11));
    await withActor(cityAdmin.id, () => decide(ctx, cityAdmin, own.id, { decision: 'accepted', reason: null }, undefined, at(`${year}-06-02`, 10)));
  });
  return { plan_filings: filings };
}
