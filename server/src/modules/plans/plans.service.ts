/**
 * 计划报备 (issue 14 item 5): a school (or a sub-bureau, for its own plan) files its 年度计划 and 培训年度计划 for a
 * year with the nearest bureau above it — uploaded documents plus structured items — by the policy's deadline (004:
 * 5 月 31 日前). The bureau returns (with a reason) or accepts the latest version; a returned plan is filed again as
 * the next version. Nothing is rewritten: versions, items and decisions are rows of their own.
 */
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { todayInChina, yearInChina } from '../../platform/china-time.js';
import type { AppContext } from '../../platform/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { getFiles, openDownload, saveUpload, type UploadPart } from '../../platform/files.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { deadlineOf, isLate, planRulesAt, daysBetween } from './plans.rules.js';
import * as repo from './plans.repository.js';
import type { DecideBody, FileBody } from './plans.schema.js';

export const PLAN_STATUS_LABELS = { missing: '未报送', submitted: '待审核', returned: '已退回', accepted: '已通过' } as const;
export type PlanStatus = keyof typeof PLAN_STATUS_LABELS;
export const PLAN_FILE_PURPOSE = 'planDocument';

const statusOfRow = (s: repo.UnitStatusRow | undefined): PlanStatus => (!s ? 'missing' : (s.decision ?? 'submitted'));

async function ownUnit(ctx: AppContext, user: CurrentUser) {
  requirePermission(user, 'plans.file');
  const unit = await repo.orgById(ctx.db, user.orgId);
  if (!unit || !['school', 'bureau'].includes(unit.kind)) throw forbidden('只有学校或教育局报送年度计划');
  const reviewer = await repo.reviewerOf(ctx.db, unit);
  return { unit, reviewer };
}

/** The caller's unit's plans of a year: every version with items and decision, the deadline, whether it may file now. */
export async function myPlans(ctx: AppContext, user: CurrentUser, year = yearInChina()) {
  const { unit, reviewer } = await ownUnit(ctx, user);
  const { rules, source } = await planRulesAt(ctx.db, reviewer?.path ?? unit.path, todayInChina());
  const versions = await withItems(ctx, await repo.filingsOf(ctx.db, unit.id, year));
  const latest = versions[0];
  const status: PlanStatus = !latest ? 'missing' : (latest.decision ?? 'submitted');
  const deadline = deadlineOf(rules, year);
  const first = versions[versions.length - 1];
  return {
    unit: { id: unit.id, name: unit.name },
    reviewer: reviewer ? { id: reviewer.id, name: reviewer.name } : null,
    year,
    deadline,
    rulesSource: source,
    cite: rules.cite ?? [],
    status,
    statusLabel: PLAN_STATUS_LABELS[status],
    late: first ? isLate(rules, year, first.submittedOn) : todayInChina() > deadline,
    daysLeft: daysBetween(todayInChina(), deadline),
    canFile: !!reviewer && (status === 'missing' || status === 'returned'),
    versions,
  };
}

async function withItems(ctx: AppContext, rows: repo.FilingRow[]) {
  const items = await repo.itemsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, items: items.filter((i) => i.filingId === r.id) }));
}

/** Upload one plan document (PDF/PNG/JPEG) owned by the caller's unit; a filing then names it. */
export async function uploadDocument(ctx: AppContext, user: CurrentUser, part: UploadPart | Buffer, fileName?: string) {
  const { unit } = await ownUnit(ctx, user);
  const saved = await saveUpload(ctx, part, {
    allowed: ['pdf', 'png', 'jpeg'],
    owner: { userId: user.id, orgId: unit.id },
    purpose: PLAN_FILE_PURPOSE,
    originalName: fileName,
  });
  return { fileId: saved.fileId, originalName: saved.originalName, size: saved.size };
}

/**
 * File the plan of a year: version 1, or the next version after a returned one. `now` is the instant of filing (tests
 * pass one to file on a given China date); lateness is the China date of the first filing against the deadline.
 */
export async function filePlan(ctx: AppContext, user: CurrentUser, b: FileBody, now: Date = new Date(), ip?: string) {
  const { unit, reviewer } = await ownUnit(ctx, user);
  if (!reviewer) throw conflict('本单位没有上级教育局，无需报送年度计划');
  const today = todayInChina(now);
  if (b.year < Number(today.slice(0, 4)) - 1 || b.year > Number(today.slice(0, 4)) + 1)
    throw badRequest('只能报送上一年、本年或下一年的计划', [{ field: 'year', message: '年份超出范围' }]);
  const fileIds = [b.planFileId, ...(b.trainingFileId ? [b.trainingFileId] : [])];
  const files = await getFiles(ctx.db, fileIds);
  const own = (id: number) => files.find((f) => f.id === id && f.ownerOrgId === unit.id && f.purpose === PLAN_FILE_PURPOSE);
  if (!own(b.planFileId)) throw badRequest('请先上传年度计划文件', [{ field: 'planFileId', message: '文件不存在或不是本单位上传的计划文件' }]);
  if (b.trainingFileId && !own(b.trainingFileId))
    throw badRequest('培训年度计划文件不存在或不是本单位上传的', [{ field: 'trainingFileId', message: '文件不存在或不是本单位上传的计划文件' }]);
  const projectIds = b.items.flatMap((i) => (i.kind === 'project' && i.projectId ? [i.projectId] : []));
  if (projectIds.length) {
    const ok = await ctx.db.query<{ id: number }>(`SELECT p.id FROM projects p JOIN orgs o ON o.id = p.org_id WHERE p.id = ANY($1::int[])`, [projectIds]);
    const found = new Set(ok.rows.map((r) => r.id));
    const bad = b.items.findIndex((i) => i.kind === 'project' && i.projectId && !found.has(i.projectId));
    if (bad >= 0) throw badRequest(`第 ${bad + 1} 条：关联的培训项目不存在`, [{ field: `items.${bad}.projectId`, message: '培训项目不存在' }]);
  }
  return ctx.db.tx(async (q) => {
    // Serialise filings of one unit: the unit's org row is the lock.
    await q.query('SELECT id FROM orgs WHERE id = $1 FOR UPDATE', [unit.id]);
    const versions = await repo.filingsOf(q, unit.id, b.year);
    const latest = versions[0];
    if (latest && latest.decision === null) throw conflict('本年度计划已报送，正在审核中，不能重复报送');
    if (latest && latest.decision === 'accepted') throw conflict('本年度计划已通过审核，不能再报送');
    const version = (latest?.version ?? 0) + 1;
    const r = await q.query<{ id: number }>(
      `INSERT INTO plan_filings (org_id, year, version, previous_id, plan_file_id, training_file_id, note, submitted_by, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [unit.id, b.year, version, latest?.id ?? null, b.planFileId, b.trainingFileId, b.note, user.id, now],
    );
    const id = r.rows[0].id;
    for (const [i, it] of b.items.entries()) {
      await q.query(
        `INSERT INTO plan_items (filing_id, position, kind, title, project_id, category, amount, target_percent) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
        [
          id,
          i + 1,
          it.kind,
          it.title,
          it.kind === 'project' ? it.projectId : null,
          it.kind === 'budget' ? it.category : null,
          it.kind === 'budget' ? it.amount : null,
          it.kind === 'hoursTarget' ? it.targetPercent : null,
        ],
      );
    }
    await notify(q, await usersAt(q, [reviewer.id], ['bureauAdmin']), {
      kind: 'approval',
      title: `${unit.name}报送了 ${b.year} 年度计划${version > 1 ? `（第 ${version} 版，退回后重新报送）` : ''}`,
      link: `/plans/review?year=${b.year}`,
    });
    await audit(q, user, 'plans.file', 'plan_filing', id, { year: b.year, version }, ip);
    return { id, version };
  });
}

/** A filing the caller may see: its own unit's (plans.file), or a unit in its subtree other than itself (plans.review). */
async function visibleFiling(ctx: AppContext, user: CurrentUser, id: number) {
  const f = await repo.filingById(ctx.db, id);
  const own = f && can(user, 'plans.file') && f.orgId === user.orgId;
  const reviews = f && can(user, 'plans.review') && f.orgId !== user.orgId && f.orgPath.startsWith(user.scopePath);
  if (!f || !(own || reviews)) {
    if (!can(user, 'plans.file') && !can(user, 'plans.review')) throw forbidden();
    throw notFound('计划');
  }
  return f;
}

export async function getFiling(ctx: AppContext, user: CurrentUser, id: number) {
  const f = await visibleFiling(ctx, user, id);
  const [withI] = await withItems(ctx, [f]);
  return withI;
}

/** Download a plan document: the unit's own, or one of a sub-unit's filings (reviewers). */
export async function downloadDocument(ctx: AppContext, user: CurrentUser, fileId: number, ip?: string) {
  if (!can(user, 'plans.file') && !can(user, 'plans.review')) throw forbidden();
  const d = await openDownload(ctx, user, fileId, (f, u) => {
    if (f.purpose !== PLAN_FILE_PURPOSE) return false;
    if (can(u, 'plans.file') && f.ownerOrgId === u.orgId) return true;
    return can(u, 'plans.review') && f.ownerOrgId !== u.orgId && f.ownerOrgPath.startsWith(u.scopePath);
  });
  await audit(ctx.db, user, 'plans.download', 'file', fileId, {}, ip);
  return d;
}

/** 退回 (with a reason the unit sees) or 通过 the latest version of a sub-unit's plan. */
export async function decide(ctx: AppContext, user: CurrentUser, id: number, b: DecideBody, ip?: string, now: Date = new Date()) {
  requirePermission(user, 'plans.review');
  await visibleFiling(ctx, user, id);
  return ctx.db.tx(async (q) => {
    const f = await repo.filingById(q, id, true);
    if (!f) throw notFound('计划');
    if (f.orgId === user.orgId) throw conflict('本单位自己的计划由上级教育局审核');
    if (f.decision) throw conflict(`该版本计划${f.decision === 'accepted' ? '已通过' : '已退回'}，不能重复审核`);
    const latest = (await repo.filingsOf(q, f.orgId, f.year))[0];
    if (latest.id !== f.id) throw conflict('该版本已被新版本取代，请审核最新版本');
    const reason = b.decision === 'returned' ? (b.reason ?? '').trim() : b.reason?.trim() || null;
    if (now < new Date(f.submittedAt)) throw conflict('审核时间不能早于报送时间');
    await q.query('INSERT INTO plan_decisions (filing_id, decision, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5)', [
      id,
      b.decision,
      reason,
      user.id,
      now,
    ]);
    await notify(q, await usersAt(q, [f.orgId], ['schoolAdmin', 'bureauAdmin']), {
      kind: 'result',
      title: b.decision === 'accepted' ? `${f.year} 年度计划已通过审核` : `${f.year} 年度计划被退回，请修改后重新报送`,
      body: b.decision === 'returned' ? `退回原因：${reason}` : (reason ?? ''),
      link: `/plans/mine?year=${f.year}`,
    });
    await audit(q, user, `plans.${b.decision === 'accepted' ? 'accept' : 'return'}`, 'plan_filing', id, { orgId: f.orgId, year: f.year }, ip);
    return { id, decision: b.decision };
  });
}

/**
 * The reviewer's list for a year: every unit filing with the caller's bureau, its status, the first filing's China
 * date and whether it was late (filed after the deadline), whether a missing plan is overdue, the 年度考核 total.
 */
export async function reviewList(ctx: AppContext, user: CurrentUser, year = yearInChina()) {
  requirePermission(user, 'plans.review');
  const bureau = await repo.orgById(ctx.db, user.orgId);
  if (bureau?.kind !== 'bureau') throw forbidden('只有教育局审核下级单位的年度计划');
  const { rules, source } = await planRulesAt(ctx.db, bureau.path, todayInChina());
  const deadline = deadlineOf(rules, year);
  const today = todayInChina();
  const units = await repo.unitsOf(ctx.db, bureau);
  const ids = units.map((u) => u.id);
  const status = await repo.statusOf(ctx.db, ids, year);
  const totals = await repo.reviewTotals(ctx.db, ids, year);
  const rows = units.map((u) => {
    const s = status.get(u.id);
    const st = statusOfRow(s);
    return {
      orgId: u.id,
      orgName: u.name,
      orgKind: u.kind,
      status: st,
      statusLabel: PLAN_STATUS_LABELS[st],
      latestId: s?.latestId ?? null,
      version: s?.version ?? null,
      reason: s?.decision === 'returned' ? s.reason : null,
      firstOn: s?.firstOn ?? null,
      latestOn: s?.latestOn ?? null,
      late: s?.firstOn ? isLate(rules, year, s.firstOn) : false,
      overdue: !s && today > deadline,
      reviewTotal: totals.get(u.id) ?? null,
    };
  });
  const count = (st: PlanStatus) => rows.filter((r) => r.status === st).length;
  return {
    year,
    deadline,
    rulesSource: source,
    cite: rules.cite ?? [],
    counts: {
      units: rows.length,
      missing: count('missing'),
      submitted: count('submitted'),
      returned: count('returned'),
      accepted: count('accepted'),
      late: rows.filter((r) => r.late).length,
    },
    units: rows,
  };
}
