/**
 * 行业禁入 register and 准入查询 (issue 12 item 4). A ban is found by the blind index of the 身份证号 only; the
 * number itself is sealed. A ban comes from a 行业禁入 sanction (sanctions.repository.ts insertSanction adds it in
 * the same step and it follows the sanction: superseded or revoked, it no longer blocks) or is registered by hand
 * by the 师德专干 from another region's decision. Lifting (a court ruling, an error) is recorded once with its
 * reason; nothing is deleted. banInForce is THE check: registering a teacher, the roster import, 新教师入职 and
 * 调动 call it and refuse with the decision named.
 */
import type { Queryable } from '../../db/db.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { maskNationalId, NATIONAL_ID_MESSAGES, parseNationalId } from '../../platform/national-id.js';
import { todayInChina } from '../../platform/china-time.js';

export interface BanInForce {
  id: number;
  source: string;
  decidedOn: string;
  validFrom: string;
  validUntil: string | null;
  sanctionId: number | null;
}

const IN_FORCE = `b.lifted_on IS NULL OR b.lifted_on > $2::date`;
const BAN_WHERE = `b.national_id_idx = $1 AND b.valid_from <= $2::date AND (b.valid_until IS NULL OR b.valid_until >= $2::date)
  AND (${IN_FORCE})
  AND (b.sanction_id IS NULL OR EXISTS (SELECT 1 FROM ethics_sanctions s WHERE s.id = b.sanction_id AND s.superseded_at IS NULL
       AND (s.revoked_on IS NULL OR s.revoked_on > $2::date)))`;
const BAN_COLUMNS = `b.id, b.source, b.decided_on::text AS "decidedOn", b.valid_from::text AS "validFrom", b.valid_until::text AS "validUntil",
  b.sanction_id AS "sanctionId"`;

/** Every ban of this 身份证号 (blind index) in force on `date`: in its term, not lifted, its sanction neither superseded nor revoked. */
export async function bansInForce(q: Queryable, nationalIdIdx: string, date: string): Promise<BanInForce[]> {
  return (await q.query<BanInForce>(`SELECT ${BAN_COLUMNS} FROM ethics_bans b WHERE ${BAN_WHERE} ORDER BY b.valid_from, b.id`, [nationalIdIdx, date])).rows;
}

/** THE 禁入 check: the first ban of this 身份证号 (blind index) in force on `date`, or null. */
export async function banInForce(q: Queryable, nationalIdIdx: string, date: string): Promise<BanInForce | null> {
  return (await bansInForce(q, nationalIdIdx, date))[0] ?? null;
}

/** 「行业禁入（决定：…，自 2025-03-01 起，长期）」: how every refusal names the decision. */
export function describeBan(b: Pick<BanInForce, 'source' | 'validFrom' | 'validUntil'>): string {
  return `行业禁入（决定：${b.source}，自 ${b.validFrom} 起${b.validUntil ? `至 ${b.validUntil}` : '，长期'}）`;
}

/** The message of a refusal: what is refused and the decision that refuses it. */
export function banMessage(b: BanInForce, what: string): string {
  return `该人员在行业禁入名单中，不能${what}：${describeBan(b)}`;
}

/** Refuse (409 with a field error) when the 身份证号 (blind index) is under a ban in force on `date`. */
export async function assertNotBanned(q: Queryable, nationalIdIdx: string, date: string, what: string, field = 'nationalId'): Promise<void> {
  const b = await banInForce(q, nationalIdIdx, date);
  if (b) throw new AppError('CONFLICT', banMessage(b, what), [{ field, message: describeBan(b) }]);
}

/** The same check for a registered teacher (入职, 调动): by the teacher's stored blind index. */
export async function assertTeacherNotBanned(q: Queryable, teacherId: number, date: string, what: string): Promise<void> {
  const t = (await q.query<{ idx: string }>('SELECT national_id_idx AS idx FROM teachers WHERE id = $1', [teacherId])).rows[0];
  if (t) await assertNotBanned(q, t.idx, date, what, 'teacherId');
}

/**
 * The roster import's commit (teachers.import.ts): staged rows that would create a teacher whose 身份证号 is
 * banned today become row errors ('banned'), so nothing else of the file is lost. Returns how many.
 */
export async function markBannedImportRows(q: Queryable, date: string): Promise<number> {
  const r = await q.query(
    `UPDATE import_rows i SET action = 'banned' WHERE i.action = 'create' AND EXISTS (
       SELECT 1 FROM ethics_bans b WHERE ${BAN_WHERE.replaceAll('$1', 'i.national_id_idx').replaceAll('$2', '$1')})`,
    [date],
  );
  return r.rowCount ?? 0;
}

/** The import's preview: which of these blind indexes are banned on `date`, with their first ban. */
export async function bannedAmong(q: Queryable, idxs: string[], date: string): Promise<Map<string, BanInForce>> {
  if (!idxs.length) return new Map();
  const r = await q.query<BanInForce & { idx: string }>(
    `SELECT DISTINCT ON (b.national_id_idx) b.national_id_idx AS idx, ${BAN_COLUMNS} FROM ethics_bans b
      WHERE ${BAN_WHERE.replace('b.national_id_idx = $1', 'b.national_id_idx = ANY($1::text[])')}
      ORDER BY b.national_id_idx, b.valid_from, b.id`,
    [idxs, date],
  );
  return new Map(r.rows.map((x) => [x.idx, x]));
}

// ---------------------------------------------------------------- the register (师德专干)

export interface BanInput {
  nationalId: string;
  name: string;
  source: string;
  decidedOn: string;
  validFrom: string;
  validUntil?: string | null;
}

function parseId(raw: string) {
  const id = parseNationalId(raw);
  if (!id.ok) throw badRequest(NATIONAL_ID_MESSAGES[id.problem], [{ field: 'nationalId', message: NATIONAL_ID_MESSAGES[id.problem] }]);
  return id.info.value;
}

/** Register a ban decided elsewhere (another region's 行业禁入 decision, a court's 从业禁止). */
export async function registerBan(ctx: AppContext, user: CurrentUser, b: BanInput, ip?: string): Promise<{ id: number }> {
  requirePermission(user, 'ethics.handle');
  const nid = parseId(b.nationalId);
  if (b.validFrom < b.decidedOn) throw badRequest('禁入起始日期不能早于决定日期', [{ field: 'validFrom', message: '不能早于决定日期' }]);
  if (b.validUntil && b.validUntil < b.validFrom) throw badRequest('禁入截止日期不能早于起始日期', [{ field: 'validUntil', message: '不能早于起始日期' }]);
  return ctx.db.tx(async (q) => {
    const id = (
      await q.query<{ id: number }>(
        `INSERT INTO ethics_bans (national_id_idx, national_id_enc, name_enc, source, decided_on, valid_from, valid_until, registered_by_org_id, registered_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
        [ctx.pii.blindIndex(nid), ctx.pii.encrypt(nid), ctx.pii.encrypt(b.name), b.source, b.decidedOn, b.validFrom, b.validUntil ?? null, user.orgId, user.id],
      )
    ).rows[0].id;
    await audit(q, user, 'ethics.ban.register', 'ethics_ban', id, { nationalIdMasked: maskNationalId(nid), source: b.source }, ip);
    return { id };
  });
}

interface BanListRow {
  total: number;
  id: number;
  name_enc: string | null;
  teacher_name: string | null;
  national_id_enc: string;
  source: string;
  decided_on: string;
  valid_from: string;
  valid_until: string | null;
  sanction_id: number | null;
  sanction_gone: boolean;
  org_name: string;
  registered_at: string;
  lifted_on: string | null;
  lifted_reason: string | null;
}

/** The bans registered by the caller's subtree (by hand or from its sanctions), newest first, IDs masked. */
export async function listBans(ctx: AppContext, user: CurrentUser, f: { page: number; pageSize: number }) {
  requirePermission(user, 'ethics.handle');
  const today = todayInChina();
  const rows = (
    await ctx.db.query<BanListRow>(
      `SELECT count(*) OVER ()::int AS total, b.id, b.name_enc, t.name AS teacher_name, b.national_id_enc, b.source, b.decided_on::text, b.valid_from::text, b.valid_until::text,
              b.sanction_id, (s.superseded_at IS NOT NULL OR s.revoked_on IS NOT NULL) AS sanction_gone, o.name AS org_name, b.registered_at,
              b.lifted_on::text, b.lifted_reason
         FROM ethics_bans b JOIN orgs o ON o.id = b.registered_by_org_id
         LEFT JOIN ethics_sanctions s ON s.id = b.sanction_id LEFT JOIN teachers t ON t.id = s.teacher_id
        WHERE o.path LIKE $1 || '%' ORDER BY b.registered_at DESC, b.id DESC LIMIT $2 OFFSET $3`,
      [user.scopePath, f.pageSize, (f.page - 1) * f.pageSize],
    )
  ).rows;
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => {
      const ended = r.valid_until !== null && r.valid_until < today;
      const state = r.lifted_on ? 'lifted' : r.sanction_gone ? 'sanctionEnded' : ended ? 'ended' : r.valid_from > today ? 'future' : 'inForce';
      return {
        id: r.id,
        name: r.name_enc ? ctx.pii.decrypt(r.name_enc) : (r.teacher_name ?? ''),
        nationalIdMasked: maskNationalId(ctx.pii.decrypt(r.national_id_enc)),
        source: r.source,
        decidedOn: r.decided_on,
        validFrom: r.valid_from,
        validUntil: r.valid_until,
        fromSanction: r.sanction_id !== null,
        registeredByOrgName: r.org_name,
        registeredAt: r.registered_at,
        liftedOn: r.lifted_on,
        liftedReason: r.lifted_reason,
        state,
        stateLabel: BAN_STATE_LABELS[state],
      };
    }),
  };
}

const BAN_STATE_LABELS: Record<string, string> = {
  inForce: '禁入中',
  future: '尚未开始',
  ended: '已期满',
  lifted: '已解除',
  sanctionEnded: '处理决定已撤销或变更',
};

/** Lift a ban (解除) with its reason, once; a ban of the caller's subtree, else 404. */
export async function liftBan(ctx: AppContext, user: CurrentUser, id: number, b: { reason: string; liftedOn?: string | null }, ip?: string) {
  requirePermission(user, 'ethics.handle');
  const on = b.liftedOn ?? todayInChina();
  return ctx.db.tx(async (q) => {
    const row = (
      await q.query<{ id: number; lifted_on: string | null; valid_from: string }>(
        `SELECT b.id, b.lifted_on::text, b.valid_from::text FROM ethics_bans b JOIN orgs o ON o.id = b.registered_by_org_id
          WHERE b.id = $1 AND o.path LIKE $2 || '%' FOR UPDATE OF b`,
        [id, user.scopePath],
      )
    ).rows[0];
    if (!row) throw notFound('禁入记录');
    if (row.lifted_on) throw conflict(`该禁入记录已于 ${row.lifted_on} 解除`);
    await q.query('UPDATE ethics_bans SET lifted_on = $2, lifted_reason = $3, lifted_by = $4 WHERE id = $1', [id, on, b.reason, user.id]);
    await audit(q, user, 'ethics.ban.lift', 'ethics_ban', id, { liftedOn: on, reason: b.reason }, ip);
    return { id, liftedOn: on };
  });
}

/**
 * 准入查询: one 身份证号 against the register, on today's date. Audited with the masked ID and how many bans
 * were found; rate-limited per caller (the route). The answer names the decision(s) in force, never who else.
 */
export async function entryCheck(ctx: AppContext, user: CurrentUser, raw: string, ip?: string) {
  requirePermission(user, 'ethics.entryCheck');
  const nid = parseId(raw);
  const today = todayInChina();
  const bans = await bansInForce(ctx.db, ctx.pii.blindIndex(nid), today);
  await audit(ctx.db, user, 'ethics.entryCheck', 'ethics_ban', null, { nationalIdMasked: maskNationalId(nid), found: bans.length, on: today }, ip);
  return {
    nationalIdMasked: maskNationalId(nid),
    checkedOn: today,
    barred: bans.length > 0,
    message: bans.length ? `该人员在行业禁入名单中：${bans.map(describeBan).join('；')}` : '未查询到禁入记录',
    decisions: bans.map((b) => ({ source: b.source, decidedOn: b.decidedOn, validFrom: b.validFrom, validUntil: b.validUntil })),
  };
}
