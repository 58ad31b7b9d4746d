/**
 * 诚信档案 (issue 12 item 3): per teacher, the sanctions (whole history, terms, superseded and revoked shown as
 * such), 师德考核 results per year, 承诺书 / 入职宣誓 records and honours (先进典型). Nothing is edited: a
 * corrected 师德考核 result supersedes the one before.
 *
 * Who sees what:
 *   the teacher          their own record, all of it (/my/integrity)
 *   the bureau           (ethics.integrity: 教育局管理员, 师德专干) a teacher of its subtree, all of it; audited
 *   the school           (teachers.write without ethics.integrity) the 考核/承诺/honours recorded by its subtree; no
 *                        sanctions at all (minimum necessary)
 *   a receiving bureau   of a pending 调动 (moves): the teacher's sanctions in force — kind, term, deciding org, not
 *                        the reason; audited (GET /moves/:id/integrity)
 */
import type { Queryable } from '../../db/db.js';
import { can, requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { getFiles, ownerOrInScope } from '../../platform/files.js';
import { getMove } from '../moves/moves.repository.js';
import { getTeacher } from '../teachers/teachers.service.js';
import {
  APPRAISAL_LABELS,
  type AppraisalInput,
  type AppraisalResult,
  HONOUR_LEVEL_LABELS,
  type HonourInput,
  PLEDGE_LABELS,
  type PledgeInput,
} from './integrity.schema.js';
import { SANCTION_LABELS, sanctionsInForce, type SanctionKind } from './sanctions.repository.js';
import { vetoFor, vetoMessage } from './veto.service.js';
import type { VetoPurpose } from '../policies/policy.veto.js';
import { todayInChina } from '../../platform/china-time.js';

interface SanctionHistoryRow {
  id: number;
  kind: SanctionKind;
  decided_on: string;
  valid_from: string;
  valid_until: string | null;
  decision_no: string | null;
  reason: string;
  org_name: string;
  superseded_by: number | null;
  corrects: number | null;
  revoked_on: string | null;
  revoked_reason: string | null;
}

function sanctionState(s: Pick<SanctionHistoryRow, 'superseded_by' | 'revoked_on' | 'valid_from' | 'valid_until'>, today: string) {
  if (s.superseded_by) return { state: 'superseded', stateLabel: '已变更（被新决定取代）' };
  if (s.revoked_on && s.revoked_on <= today) return { state: 'revoked', stateLabel: '已撤销' };
  if (s.valid_from > today) return { state: 'future', stateLabel: '尚未开始' };
  if (s.valid_until && s.valid_until < today) return { state: 'ended', stateLabel: '已期满' };
  return { state: 'inForce', stateLabel: '执行中' };
}

async function sanctionHistory(q: Queryable, teacherId: number, today: string) {
  const rows = (
    await q.query<SanctionHistoryRow>(
      `SELECT s.id, s.kind, s.decided_on::text, s.valid_from::text, s.valid_until::text, s.decision_no, s.reason, o.name AS org_name,
              s.superseded_by, s.corrects, s.revoked_on::text, s.revoked_reason
         FROM ethics_sanctions s JOIN orgs o ON o.id = s.decided_by_org_id WHERE s.teacher_id = $1 ORDER BY s.valid_from DESC, s.id DESC`,
      [teacherId],
    )
  ).rows;
  return rows.map((s) => ({
    id: s.id,
    kind: s.kind,
    kindLabel: SANCTION_LABELS[s.kind],
    decidedOn: s.decided_on,
    validFrom: s.valid_from,
    validUntil: s.valid_until,
    decisionNo: s.decision_no,
    reason: s.reason,
    decidedByOrgName: s.org_name,
    supersededBy: s.superseded_by,
    corrects: s.corrects,
    revokedOn: s.revoked_on,
    revokedReason: s.revoked_reason,
    ...sanctionState(s, today),
  }));
}

async function appraisals(q: Queryable, teacherId: number, orgScope: string | null) {
  const rows = (
    await q.query<{
      id: number;
      year: number;
      result: AppraisalResult;
      note: string | null;
      org_name: string;
      recorded_at: string;
      corrects: number | null;
      superseded_by: number | null;
    }>(
      `SELECT a.id, a.year, a.result, a.note, o.name AS org_name, a.recorded_at, a.corrects, a.superseded_by
         FROM ethics_appraisals a JOIN orgs o ON o.id = a.recorded_by_org_id
        WHERE a.teacher_id = $1 AND ($2::text IS NULL OR o.path LIKE $2 || '%') ORDER BY a.year DESC, a.id DESC`,
      [teacherId, orgScope],
    )
  ).rows;
  return rows.map((a) => ({
    id: a.id,
    year: a.year,
    result: a.result,
    resultLabel: APPRAISAL_LABELS[a.result],
    note: a.note,
    recordedByOrgName: a.org_name,
    recordedAt: a.recorded_at,
    corrects: a.corrects,
    superseded: a.superseded_by !== null,
  }));
}

async function pledges(q: Queryable, teacherId: number, orgScope: string | null) {
  const rows = (
    await q.query<{
      id: number;
      kind: 'pledge' | 'oath';
      signed_on: string;
      file_id: string | null;
      note: string | null;
      org_name: string;
      voided_at: string | null;
    }>(
      `SELECT p.id, p.kind, p.signed_on::text, p.file_id::text, p.note, o.name AS org_name, p.voided_at
         FROM ethics_pledges p JOIN orgs o ON o.id = p.recorded_by_org_id
        WHERE p.teacher_id = $1 AND ($2::text IS NULL OR o.path LIKE $2 || '%') ORDER BY p.signed_on DESC, p.id DESC`,
      [teacherId, orgScope],
    )
  ).rows;
  return rows.map((p) => ({
    id: p.id,
    kind: p.kind,
    kindLabel: PLEDGE_LABELS[p.kind],
    signedOn: p.signed_on,
    fileId: p.file_id === null ? null : Number(p.file_id),
    note: p.note,
    recordedByOrgName: p.org_name,
    voided: p.voided_at !== null,
  }));
}

async function honours(q: Queryable, teacherId: number, orgScope: string | null) {
  const rows = (
    await q.query<{
      id: number;
      title: string;
      level: keyof typeof HONOUR_LEVEL_LABELS;
      awarded_on: string;
      awarding_org: string;
      org_name: string;
      voided_at: string | null;
    }>(
      `SELECT h.id, h.title, h.level, h.awarded_on::text, h.awarding_org, o.name AS org_name, h.voided_at
         FROM teacher_honours h JOIN orgs o ON o.id = h.recorded_by_org_id
        WHERE h.teacher_id = $1 AND ($2::text IS NULL OR o.path LIKE $2 || '%') ORDER BY h.awarded_on DESC, h.id DESC`,
      [teacherId, orgScope],
    )
  ).rows;
  return rows.map((h) => ({
    id: h.id,
    title: h.title,
    level: h.level,
    levelLabel: HONOUR_LEVEL_LABELS[h.level],
    awardedOn: h.awarded_on,
    awardingOrg: h.awarding_org,
    recordedByOrgName: h.org_name,
    voided: h.voided_at !== null,
  }));
}

/**
 * One teacher's 诚信档案 as this caller may see it. The bureau's reads are audited (a 诚信档案 lookup); the
 * school gets what its subtree recorded and `sanctions: null`.
 */
export async function integrityRecord(ctx: AppContext, user: CurrentUser, teacherId: number, ip?: string, self = false) {
  const own = self && user.role === 'teacher' && user.teacherId === teacherId;
  const bureau = can(user, 'ethics.integrity');
  if (!own && !bureau) requirePermission(user, 'teachers.write');
  const t = await getTeacher(ctx, user, teacherId);
  const today = todayInChina();
  const scope = own || bureau ? null : user.scopePath;
  const [sanctions, a, p, h] = await Promise.all([
    own || bureau ? sanctionHistory(ctx.db, t.id, today) : Promise.resolve(null),
    appraisals(ctx.db, t.id, scope),
    pledges(ctx.db, t.id, scope),
    honours(ctx.db, t.id, scope),
  ]);
  if (bureau) await audit(ctx.db, user, 'integrity.read', 'teacher', t.id, { sanctions: sanctions?.length ?? 0 }, ip);
  return {
    teacher: { id: t.id, name: t.name, orgName: t.org_name },
    sanctions,
    sanctionsNote: sanctions === null ? '处理/处分信息仅教育局（师德专干）可见' : null,
    appraisals: a,
    pledges: p,
    honours: h,
  };
}

/** The teacher's own record (教师：我的诚信档案). */
export async function myIntegrity(ctx: AppContext, user: CurrentUser) {
  if (user.role !== 'teacher' || !user.teacherId) throw forbidden('仅教师本人可查看');
  return integrityRecord(ctx, user, user.teacherId, undefined, true);
}

// ---------------------------------------------------------------- recording (the school, or a bureau above it)

async function vetoCheck(q: Queryable, teacherId: number, purposes: VetoPurpose[], date: string, field: string) {
  for (const purpose of purposes) {
    const v = await vetoFor(q, teacherId, purpose, date);
    if (v.vetoed) throw new AppError('CONFLICT', vetoMessage(v, purpose), [{ field, message: vetoMessage(v, purpose) }]);
  }
}

/** Which vetoes a result needs to pass: 优秀 neither appraisalExcellent nor appraisalPass, 合格 / 基本合格 not appraisalPass. */
const APPRAISAL_VETOES: Record<AppraisalResult, VetoPurpose[]> = {
  excellent: ['appraisalExcellent', 'appraisalPass'],
  pass: ['appraisalPass'],
  basicPass: ['appraisalPass'],
  fail: [],
};

/**
 * Record a teacher's 师德考核 result for a year, the veto checked (as of 31 December of that year, or today while
 * the year runs). A year that has a result takes a new one only as a correction (with its reason): the new row
 * supersedes the old one.
 */
export async function recordAppraisal(ctx: AppContext, user: CurrentUser, teacherId: number, b: AppraisalInput, ip?: string) {
  requirePermission(user, 'teachers.write');
  const t = await getTeacher(ctx, user, teacherId);
  const today = todayInChina();
  if (String(b.year) > today.slice(0, 4)) throw badRequest('不能记录未来年度的考核结果', [{ field: 'year', message: '年度不能晚于今年' }]);
  const asOf = `${b.year}-12-31` < today ? `${b.year}-12-31` : today;
  return ctx.db.tx(async (q) => {
    await q.query('SELECT id FROM teachers WHERE id = $1 FOR UPDATE', [t.id]);
    const current = (
      await q.query<{ id: number; result: AppraisalResult }>(
        'SELECT id, result FROM ethics_appraisals WHERE teacher_id = $1 AND year = $2 AND superseded_at IS NULL',
        [t.id, b.year],
      )
    ).rows[0];
    if (current && !b.correctionReason)
      throw new AppError('CONFLICT', `该教师 ${b.year} 年度师德考核已记录为“${APPRAISAL_LABELS[current.result]}”；如需更正，请填写更正原因`, [
        { field: 'correctionReason', message: '请填写更正原因' },
      ]);
    await vetoCheck(q, t.id, APPRAISAL_VETOES[b.result], asOf, 'result');
    const note = [b.note, b.correctionReason ? `更正原因：${b.correctionReason}` : null].filter(Boolean).join('；') || null;
    // One current row per year: the old row is superseded (naming its successor, a deferred reference) first.
    const id = (await q.query<{ id: number }>("SELECT nextval(pg_get_serial_sequence('ethics_appraisals', 'id'))::int AS id")).rows[0].id;
    if (current) await q.query('UPDATE ethics_appraisals SET superseded_by = $2, superseded_at = now() WHERE id = $1', [current.id, id]);
    await q.query(
      `INSERT INTO ethics_appraisals (id, teacher_id, year, result, note, recorded_by_org_id, recorded_by, corrects)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [id, t.id, b.year, b.result, note, user.orgId, user.id, current?.id ?? null],
    );
    await audit(q, user, 'integrity.appraisal', 'teacher', t.id, { year: b.year, result: b.result, corrects: current?.id ?? null }, ip);
    return { id };
  });
}

/** Record a signed 师德承诺书 or an 入职宣誓 (optionally with the signed file, one the caller may read). */
export async function recordPledge(ctx: AppContext, user: CurrentUser, teacherId: number, b: PledgeInput, ip?: string) {
  requirePermission(user, 'teachers.write');
  const t = await getTeacher(ctx, user, teacherId);
  if (b.signedOn > todayInChina()) throw badRequest('签署日期不能晚于今天', [{ field: 'signedOn', message: '不能晚于今天' }]);
  if (b.fileId) {
    const [f] = await getFiles(ctx.db, [b.fileId]);
    if (!f || !ownerOrInScope(f, user)) throw badRequest('所选文件不存在或无权使用', [{ field: 'fileId', message: '文件不存在' }]);
  }
  const id = (
    await ctx.db.query<{ id: number }>(
      `INSERT INTO ethics_pledges (teacher_id, kind, signed_on, file_id, note, recorded_by_org_id, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
      [t.id, b.kind, b.signedOn, b.fileId ?? null, b.note ?? null, user.orgId, user.id],
    )
  ).rows[0].id;
  await audit(ctx.db, user, 'integrity.pledge', 'teacher', t.id, { kind: b.kind, signedOn: b.signedOn }, ip);
  return { id };
}

/** Record an honour (先进典型); refused while a sanction vetoes honours on the award date. */
export async function recordHonour(ctx: AppContext, user: CurrentUser, teacherId: number, b: HonourInput, ip?: string) {
  requirePermission(user, 'teachers.write');
  const t = await getTeacher(ctx, user, teacherId);
  if (b.awardedOn > todayInChina()) throw badRequest('授予日期不能晚于今天', [{ field: 'awardedOn', message: '不能晚于今天' }]);
  return ctx.db.tx(async (q) => ({ id: await insertHonour(q, user, t.id, b, ip) }));
}

/**
 * Record an honour inside the caller's transaction (the competitions module records awards this way when an
 * edition is published): the honour veto checked on the award date (409 with the reason), audited. The caller
 * has checked the teacher's existence and scope.
 */
export async function insertHonour(q: Queryable, user: CurrentUser, teacherId: number, b: HonourInput, ip?: string): Promise<number> {
  await vetoCheck(q, teacherId, ['honour'], b.awardedOn, 'awardedOn');
  const id = (
    await q.query<{ id: number }>(
      `INSERT INTO teacher_honours (teacher_id, title, level, awarded_on, awarding_org, recorded_by_org_id, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
      [teacherId, b.title, b.level, b.awardedOn, b.awardingOrg, user.orgId, user.id],
    )
  ).rows[0].id;
  await audit(q, user, 'integrity.honour', 'teacher', teacherId, { title: b.title, level: b.level, awardedOn: b.awardedOn }, ip);
  return id;
}

// ---------------------------------------------------------------- a receiving bureau at transfer

/**
 * The sanctions in force of the teacher of a pending 调动 (or 入职), for a bureau that approves it: kind, term and
 * deciding org — never the reason or the decision number. Audited.
 */
export async function moveIntegrity(ctx: AppContext, user: CurrentUser, moveId: number, ip?: string) {
  requirePermission(user, 'ethics.integrity');
  const m = await getMove(ctx.db, user.scopePath, moveId);
  if (!m) throw notFound('变动申请');
  if ((m.kind !== 'transfer' && m.kind !== 'hire') || (m.status !== 'pending' && m.status !== 'approved'))
    throw conflict('只有审批中的调动或入职申请可查看该教师的处分信息');
  const today = todayInChina();
  const rows = await sanctionsInForce(ctx.db, m.teacher_id, today);
  const orgs = new Map(
    (await ctx.db.query<{ id: number; name: string }>('SELECT id, name FROM orgs WHERE id = ANY($1::int[])', [rows.map((r) => r.decidedByOrgId)])).rows.map(
      (o) => [o.id, o.name],
    ),
  );
  await audit(ctx.db, user, 'integrity.moveRead', 'teacher_move', m.id, { teacherId: m.teacher_id, inForce: rows.length }, ip);
  return {
    moveId: m.id,
    teacherName: m.teacher_name,
    asOf: today,
    sanctions: rows.map((s) => ({
      kind: s.kind,
      kindLabel: SANCTION_LABELS[s.kind],
      validFrom: s.validFrom,
      validUntil: s.validUntil,
      decidedByOrgName: orgs.get(s.decidedByOrgId) ?? '',
    })),
  };
}
