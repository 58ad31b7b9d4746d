/**
 * 骨干教师 三级三类 (issue 13 item 2): selection rounds (bureau opens with quotas → nominations within quota, each
 * checked for eligibility, all-or-nothing → review → 公示 with objections → designation through teacher-facts
 * `designate`), then the term (yearly assessment, renewal, exit). Every step is a row; nothing is rewritten.
 */
import type { Queryable } from '../../db/db.js';
import { todayInChina } from '../../platform/china-time.js';
import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { addDays } from '../policies/policy.windows.js';
import { tierLabel } from '../policies/policy.keyteachers.js';
import { designate } from '../teachers/teacher-facts.service.js';
import { notify, usersAt } from '../notifications/notifications.service.js';
import { usersOfTeachers } from '../projects/workflow.repository.js';
import { eligibilityOf, keyTeacherRulesAt, type EligibilityReason } from './eligibility.js';
import type { CreateRoundBody, NominateBody } from './key-teachers.schema.js';

export const ROUND_STATUS_LABELS = { nominating: '推荐中', reviewing: '评审中', publicizing: '公示中', designated: '已认定', cancelled: '已撤销' } as const;
type RoundStatus = keyof typeof ROUND_STATUS_LABELS;

interface RoundRow {
  id: number;
  orgId: number;
  orgName: string;
  orgPath: string;
  title: string;
  tier: string;
  categories: string[];
  asOf: string;
  nominateUntil: string;
  status: RoundStatus;
  publicityFrom: string | null;
  publicityUntil: string | null;
  termFrom: string | null;
  termUntil: string | null;
}

const ROUND_SQL = `SELECT r.id, r.org_id AS "orgId", o.name AS "orgName", o.path AS "orgPath", r.title, r.tier, r.categories,
         r.as_of::text AS "asOf", r.nominate_until::text AS "nominateUntil", r.status,
         r.publicity_from::text AS "publicityFrom", r.publicity_until::text AS "publicityUntil",
         r.term_from::text AS "termFrom", r.term_until::text AS "termUntil"
    FROM key_teacher_rounds r JOIN orgs o ON o.id = r.org_id`;

/** A round the caller manages (opened by its org subtree). */
async function managedRound(q: Queryable, user: CurrentUser, id: number, lock = false): Promise<RoundRow> {
  requirePermission(user, 'keyTeachers.manage');
  const r = (await q.query<RoundRow>(`${ROUND_SQL} WHERE r.id = $1 AND o.path LIKE $2 || '%'${lock ? ' FOR UPDATE OF r' : ''}`, [id, user.scopePath])).rows[0];
  if (!r) throw notFound('评选');
  return r;
}

/** A round the caller sees: opened in its subtree (manager) or above its org (a nominator). */
async function visibleRound(q: Queryable, user: CurrentUser, id: number): Promise<RoundRow> {
  if (!canManage(user) && !canNominate(user)) throw forbidden();
  const r = (await q.query<RoundRow>(`${ROUND_SQL} WHERE r.id = $1 AND (o.path LIKE $2 || '%' OR $3 LIKE o.path || '%')`, [id, user.scopePath, user.orgPath]))
    .rows[0];
  if (!r || !(r.orgPath.startsWith(user.scopePath) ? canManage(user) || canNominate(user) : canNominate(user))) throw notFound('评选');
  return r;
}
const canManage = (u: CurrentUser) => hasPerm(u, 'keyTeachers.manage');
const canNominate = (u: CurrentUser) => hasPerm(u, 'keyTeachers.nominate');
import { can as hasPerm } from '../../platform/access.js';

const refuse = (r: RoundRow, want: RoundStatus[], what: string) => {
  if (!want.includes(r.status)) throw conflict(`评选${ROUND_STATUS_LABELS[r.status]}，不能${what}`);
};

export async function rulesFor(ctx: AppContext, user: CurrentUser, date: string) {
  return keyTeacherRulesAt(ctx.db, user.orgPath, date);
}

export async function createRound(ctx: AppContext, user: CurrentUser, b: CreateRoundBody) {
  requirePermission(user, 'keyTeachers.manage');
  const { rules, source } = await keyTeacherRulesAt(ctx.db, user.orgPath, b.asOf);
  const fields: { field: string; message: string }[] = [];
  if (!rules.tiers.includes(b.tier)) fields.push({ field: 'tier', message: `本地区规则（${source}）不设${tierLabel(b.tier)}骨干` });
  b.categories.forEach((c, i) => {
    if (!rules.categories.some((x) => x.code === c)) fields.push({ field: `categories.${i}`, message: `类别 ${c} 不在本地区规则（${source}）中` });
  });
  if (b.nominateUntil < b.asOf) fields.push({ field: 'nominateUntil', message: '推荐截止日期不能早于评选基准日' });
  const seen = new Set<number>();
  for (const [i, qt] of b.quotas.entries()) {
    if (seen.has(qt.orgId)) fields.push({ field: `quotas.${i}.orgId`, message: '单位重复' });
    seen.add(qt.orgId);
  }
  if (seen.size) {
    const ok = await ctx.db.query<{ id: number }>(`SELECT id FROM orgs WHERE id = ANY($1::int[]) AND path LIKE $2 || '%'`, [[...seen], user.scopePath]);
    const found = new Set(ok.rows.map((r) => r.id));
    b.quotas.forEach((qt, i) => {
      if (!found.has(qt.orgId)) fields.push({ field: `quotas.${i}.orgId`, message: '单位不存在或不在本单位管辖范围内' });
    });
  }
  if (fields.length) throw badRequest(fields[0].message, fields);
  return ctx.db.tx(async (q) => {
    const r = await q.query<{ id: number }>(
      `INSERT INTO key_teacher_rounds (org_id, title, tier, categories, as_of, nominate_until, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [user.orgId, b.title, b.tier, b.categories, b.asOf, b.nominateUntil, user.id],
    );
    const id = r.rows[0].id;
    for (const qt of b.quotas) await q.query('INSERT INTO key_teacher_round_quotas (round_id, org_id, quota) VALUES ($1, $2, $3)', [id, qt.orgId, qt.quota]);
    await audit(q, user, 'keyTeachers.round.create', 'key_teacher_round', id, { tier: b.tier });
    return { id };
  });
}

export async function listRounds(ctx: AppContext, user: CurrentUser) {
  if (!canManage(user) && !canNominate(user)) requirePermission(user, 'keyTeachers.manage');
  const r = await ctx.db.query<RoundRow>(`${ROUND_SQL} WHERE (o.path LIKE $1 || '%' OR $2 LIKE o.path || '%') ORDER BY r.as_of DESC, r.id DESC LIMIT 500`, [
    user.scopePath,
    user.orgPath,
  ]);
  return r.rows.map((x) => ({ ...x, statusLabel: ROUND_STATUS_LABELS[x.status], tierLabel: tierLabel(x.tier) }));
}

export async function getRound(ctx: AppContext, user: CurrentUser, id: number) {
  const r = await visibleRound(ctx.db, user, id);
  const manager = canManage(user) && r.orgPath.startsWith(user.scopePath);
  // A nominator sees the quotas and nominations of its own subtree; the managing bureau sees all.
  const scope = manager ? '/' : user.scopePath;
  const quotas = await ctx.db.query<{ orgId: number; orgName: string; quota: number; used: number }>(
    `SELECT q.org_id AS "orgId", o.name AS "orgName", q.quota,
            (SELECT count(*)::int FROM key_teacher_nominations n WHERE n.round_id = q.round_id AND n.quota_org_id = q.org_id AND n.status <> 'withdrawn') AS used
       FROM key_teacher_round_quotas q JOIN orgs o ON o.id = q.org_id WHERE q.round_id = $1 AND o.path LIKE $2 || '%' ORDER BY o.path`,
    [id, scope],
  );
  const noms = await ctx.db.query(
    `SELECT n.id, n.teacher_id AS "teacherId", t.name AS "teacherName", so.name AS "schoolName", n.category, n.quota_org_id AS "quotaOrgId",
            n.eligibility, n.status, n.score::float AS score, n.review_comment AS "reviewComment", n.designation_id AS "designationId",
            (SELECT coalesce(json_agg(json_build_object('id', x.id, 'receivedOn', x.received_on::text, 'content', x.content, 'upheld', x.upheld) ORDER BY x.id), '[]')
               FROM key_teacher_objections x WHERE x.nomination_id = n.id) AS objections
       FROM key_teacher_nominations n JOIN teachers t ON t.id = n.teacher_id JOIN orgs so ON so.id = t.org_id JOIN orgs qo ON qo.id = n.quota_org_id
      WHERE n.round_id = $1 AND qo.path LIKE $2 || '%' ORDER BY n.id`,
    [id, scope],
  );
  return {
    ...r,
    statusLabel: ROUND_STATUS_LABELS[r.status],
    tierLabel: tierLabel(r.tier),
    manager,
    quotas: quotas.rows,
    nominations: noms.rows,
  };
}

/** The caller's quota org in the round: its own org, when the round gave it one. */
async function quotaOf(q: Queryable, roundId: number, user: CurrentUser) {
  return (
    await q.query<{ quota: number; used: number }>(
      `SELECT q.quota, (SELECT count(*)::int FROM key_teacher_nominations n WHERE n.round_id = q.round_id AND n.quota_org_id = q.org_id AND n.status <> 'withdrawn') AS used
         FROM key_teacher_round_quotas q WHERE q.round_id = $1 AND q.org_id = $2`,
      [roundId, user.orgId],
    )
  ).rows[0];
}

async function teachersInScope(q: Queryable, user: CurrentUser, ids: number[]): Promise<Map<number, string>> {
  const r = await q.query<{ id: number; name: string }>(
    `SELECT t.id, t.name FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = ANY($1::int[]) AND o.path LIKE $2 || '%'`,
    [ids, user.scopePath],
  );
  return new Map(r.rows.map((x) => [x.id, x.name]));
}

/** The eligibility of the given teachers for the round, shown before nominating (nothing is written). */
export async function checkEligibility(ctx: AppContext, user: CurrentUser, roundId: number, b: NominateBody) {
  requirePermission(user, 'keyTeachers.nominate');
  const r = await visibleRound(ctx.db, user, roundId);
  const names = await teachersInScope(ctx.db, user, b.teacherIds);
  const { rules, source } = await keyTeacherRulesAt(ctx.db, r.orgPath, r.asOf);
  const out = [];
  for (const id of b.teacherIds) {
    if (!names.has(id)) throw notFound('教师');
    const reasons = await eligibilityOf(ctx, user, id, r.asOf, rules);
    out.push({ teacherId: id, teacherName: names.get(id), eligible: reasons.length === 0, reasons });
  }
  return { asOf: r.asOf, source, teachers: out };
}

/** Nominate teachers of the caller's subtree within its quota: all or nothing; any ineligible teacher refuses the whole request. */
export async function nominate(ctx: AppContext, user: CurrentUser, roundId: number, b: NominateBody) {
  requirePermission(user, 'keyTeachers.nominate');
  const r = await visibleRound(ctx.db, user, roundId);
  refuse(r, ['nominating'], '推荐');
  if (todayInChina() > r.nominateUntil) throw conflict(`推荐已于 ${r.nominateUntil} 截止`);
  if (!r.categories.includes(b.category)) throw badRequest('本轮评选不含该类别', [{ field: 'category', message: '本轮评选不含该类别' }]);
  if (new Set(b.teacherIds).size !== b.teacherIds.length) throw badRequest('教师重复', [{ field: 'teacherIds', message: '同一教师只能推荐一次' }]);
  const names = await teachersInScope(ctx.db, user, b.teacherIds);
  for (const id of b.teacherIds) if (!names.has(id)) throw notFound('教师');
  const { rules } = await keyTeacherRulesAt(ctx.db, r.orgPath, r.asOf);
  const failing: { teacherId: number; teacherName: string; reasons: EligibilityReason[] }[] = [];
  const checks = new Map<number, EligibilityReason[]>();
  for (const id of b.teacherIds) {
    const reasons = await eligibilityOf(ctx, user, id, r.asOf, rules);
    checks.set(id, reasons);
    if (reasons.length) failing.push({ teacherId: id, teacherName: names.get(id)!, reasons });
  }
  if (failing.length)
    throw badRequest(
      `${failing.map((f) => f.teacherName).join('、')} 不符合推荐条件：${failing.flatMap((f) => f.reasons.map((x) => x.message)).join('；')}`,
      failing.flatMap((f) => f.reasons.map((x) => ({ field: `teacherIds.${b.teacherIds.indexOf(f.teacherId)}`, message: `${f.teacherName}：${x.message}` }))),
    );
  return ctx.db.tx(async (q) => {
    await q.query('SELECT id FROM key_teacher_rounds WHERE id = $1 FOR UPDATE', [roundId]);
    const quota = await quotaOf(q, roundId, user);
    if (!quota) throw conflict('本轮评选未给本单位分配名额');
    if (quota.used + b.teacherIds.length > quota.quota)
      throw conflict(`超出名额：本单位名额 ${quota.quota} 人，已推荐 ${quota.used} 人，本次 ${b.teacherIds.length} 人`);
    const dup = await q.query<{ name: string }>(
      `SELECT t.name FROM key_teacher_nominations n JOIN teachers t ON t.id = n.teacher_id WHERE n.round_id = $1 AND n.teacher_id = ANY($2::int[]) AND n.status <> 'withdrawn'`,
      [roundId, b.teacherIds],
    );
    if (dup.rows.length) throw conflict(`${dup.rows.map((x) => x.name).join('、')} 已被推荐`);
    const ids: number[] = [];
    for (const id of b.teacherIds) {
      const n = await q.query<{ id: number }>(
        `INSERT INTO key_teacher_nominations (round_id, teacher_id, category, quota_org_id, eligibility, nominated_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [roundId, id, b.category, user.orgId, JSON.stringify(checks.get(id)), user.id],
      );
      ids.push(n.rows[0].id);
    }
    await audit(q, user, 'keyTeachers.nominate', 'key_teacher_round', roundId, { count: ids.length });
    return { ids };
  });
}

async function nominationOf(q: Queryable, user: CurrentUser, id: number) {
  requirePermission(user, 'keyTeachers.manage');
  const n = (
    await q.query<{ id: number; roundId: number; teacherId: number; teacherName: string; quotaOrgId: number; category: string; status: string }>(
      `SELECT n.id, n.round_id AS "roundId", n.teacher_id AS "teacherId", t.name AS "teacherName", n.quota_org_id AS "quotaOrgId", n.category, n.status
         FROM key_teacher_nominations n JOIN teachers t ON t.id = n.teacher_id
         JOIN key_teacher_rounds r ON r.id = n.round_id JOIN orgs o ON o.id = r.org_id WHERE n.id = $1 AND o.path LIKE $2 || '%' FOR UPDATE OF n`,
      [id, user.scopePath],
    )
  ).rows[0];
  if (!n) throw notFound('推荐');
  return n;
}

export async function closeNominations(ctx: AppContext, user: CurrentUser, id: number) {
  return ctx.db.tx(async (q) => {
    const r = await managedRound(q, user, id, true);
    refuse(r, ['nominating'], '结束推荐');
    await q.query(`UPDATE key_teacher_rounds SET status = 'reviewing' WHERE id = $1`, [id]);
    await audit(q, user, 'keyTeachers.round.review', 'key_teacher_round', id);
  });
}

export async function review(ctx: AppContext, user: CurrentUser, nominationId: number, b: { passed: boolean; score: number | null; comment: string | null }) {
  return ctx.db.tx(async (q) => {
    const n = await nominationOf(q, user, nominationId);
    const r = await managedRound(q, user, n.roundId);
    refuse(r, ['reviewing'], '评审');
    if (n.status !== 'nominated' && n.status !== 'passed' && n.status !== 'failed') throw conflict('该推荐已撤回或已处理，不能评审');
    await q.query(`UPDATE key_teacher_nominations SET status = $2, score = $3, review_comment = $4, reviewed_by = $5, reviewed_at = now() WHERE id = $1`, [
      nominationId,
      b.passed ? 'passed' : 'failed',
      b.score,
      b.comment,
      user.id,
    ]);
    await audit(q, user, 'keyTeachers.review', 'key_teacher_nomination', nominationId, { passed: b.passed, score: b.score });
    // The nominating school (or sub-bureau) learns of a refusal, once per change to 未通过 (a re-review to 通过 is silent).
    if (!b.passed && n.status !== 'failed')
      await notify(q, await usersAt(q, [n.quotaOrgId], ['schoolAdmin', 'bureauAdmin']), {
        kind: 'result',
        title: `${r.title}：推荐的${n.teacherName}未通过评审`,
        body: b.comment ? `评审意见：${b.comment}` : '',
        link: '/key-teachers',
      });
  });
}

export async function publicize(ctx: AppContext, user: CurrentUser, id: number, b: { from: string; until: string }) {
  if (b.until < b.from) throw badRequest('公示结束日期不能早于开始日期', [{ field: 'until', message: '公示结束日期不能早于开始日期' }]);
  return ctx.db.tx(async (q) => {
    const r = await managedRound(q, user, id, true);
    refuse(r, ['reviewing'], '公示');
    const pending = await q.query(`SELECT 1 FROM key_teacher_nominations WHERE round_id = $1 AND status = 'nominated'`, [id]);
    if (pending.rows.length) throw conflict(`还有 ${pending.rows.length} 名被推荐教师未评审，不能公示`);
    await q.query(`UPDATE key_teacher_rounds SET status = 'publicizing', publicity_from = $2, publicity_until = $3 WHERE id = $1`, [id, b.from, b.until]);
    await audit(q, user, 'keyTeachers.round.publicize', 'key_teacher_round', id, b);
  });
}

export async function recordObjection(ctx: AppContext, user: CurrentUser, nominationId: number, b: { receivedOn: string; content: string; upheld: boolean }) {
  return ctx.db.tx(async (q) => {
    const n = await nominationOf(q, user, nominationId);
    const r = await managedRound(q, user, n.roundId);
    refuse(r, ['publicizing'], '登记公示异议');
    if (n.status !== 'passed') throw conflict('只能对公示中的评审通过人选登记异议');
    if (r.publicityFrom && b.receivedOn < r.publicityFrom)
      throw badRequest('异议收到日期早于公示开始', [{ field: 'receivedOn', message: '异议收到日期早于公示开始' }]);
    const x = await q.query<{ id: number }>(
      'INSERT INTO key_teacher_objections (nomination_id, received_on, content, upheld, recorded_by) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [nominationId, b.receivedOn, b.content, b.upheld, user.id],
    );
    if (b.upheld) await q.query(`UPDATE key_teacher_nominations SET status = 'objected' WHERE id = $1`, [nominationId]);
    await audit(q, user, 'keyTeachers.objection', 'key_teacher_nomination', nominationId, { upheld: b.upheld });
    return { id: x.rows[0].id };
  });
}

/**
 * Designate the passed nominees whose 公示 had no upheld objection: a designation of the round's tier and the
 * nominee's category, valid from termFrom for the region's term (termYears), through teacher-facts `designate`.
 * Refused before the 公示 has ended.
 */
export async function designateRound(ctx: AppContext, user: CurrentUser, id: number, b: { termFrom: string }) {
  return ctx.db.tx(async (q) => {
    const r = await managedRound(q, user, id, true);
    refuse(r, ['publicizing'], '认定');
    if (r.publicityUntil && todayInChina() <= r.publicityUntil) throw conflict(`公示期至 ${r.publicityUntil}，公示结束后才能认定`);
    if (r.publicityUntil && b.termFrom <= r.publicityUntil) throw conflict(`公示期至 ${r.publicityUntil}，任期须从公示结束之后开始`);
    const { rules } = await keyTeacherRulesAt(q, r.orgPath, r.asOf);
    const termUntil = addDays(addYears(b.termFrom, rules.termYears), -1);
    const passed = await q.query<{ id: number; teacherId: number; category: string }>(
      `SELECT id, teacher_id AS "teacherId", category FROM key_teacher_nominations WHERE round_id = $1 AND status = 'passed' ORDER BY id`,
      [id],
    );
    for (const n of passed.rows) {
      const did = await designate(q, user.id, n.teacherId, { level: r.tier, category: n.category, from: b.termFrom, until: termUntil }).catch((e: unknown) => {
        if ((e as { code?: string }).code === '23514') throw conflict('该教师在任期内已有骨干认定，不能重叠认定');
        throw e;
      });
      await q.query(`UPDATE key_teacher_nominations SET status = 'designated', designation_id = $2 WHERE id = $1`, [n.id, did]);
      await q.query(
        `INSERT INTO key_teacher_term_events (teacher_id, designation_id, kind, on_date, round_id, org_id, recorded_by) VALUES ($1, $2, 'designated', $3, $4, $5, $6)`,
        [n.teacherId, did, b.termFrom, id, r.orgId, user.id],
      );
      await notify(q, await usersOfTeachers(q, [n.teacherId]), {
        kind: 'result',
        title: `您已被认定为${tierLabel(r.tier)}${rules.categories.find((c) => c.code === n.category)?.label ?? '骨干教师'}，任期 ${b.termFrom} 至 ${termUntil}`,
        body: r.title,
        link: '/my/key-teacher',
      });
    }
    await q.query(`UPDATE key_teacher_rounds SET status = 'designated', term_from = $2, term_until = $3 WHERE id = $1`, [id, b.termFrom, termUntil]);
    await audit(q, user, 'keyTeachers.round.designate', 'key_teacher_round', id, { count: passed.rows.length });
    return { designated: passed.rows.length, termFrom: b.termFrom, termUntil };
  });
}

export async function cancelRound(ctx: AppContext, user: CurrentUser, id: number) {
  return ctx.db.tx(async (q) => {
    const r = await managedRound(q, user, id, true);
    refuse(r, ['nominating', 'reviewing', 'publicizing'], '撤销');
    await q.query(`UPDATE key_teacher_rounds SET status = 'cancelled' WHERE id = $1`, [id]);
    await audit(q, user, 'keyTeachers.round.cancel', 'key_teacher_round', id);
  });
}

export function addYears(d: string, n: number): string {
  const [y, m, day] = d.split('-').map(Number);
  const t = new Date(Date.UTC(y + n, m - 1, day));
  if (t.getUTCMonth() !== m - 1) t.setUTCDate(0); // 29 Feb → 28 Feb
  return t.toISOString().slice(0, 10);
}
