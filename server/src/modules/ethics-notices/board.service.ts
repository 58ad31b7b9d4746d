import type { AppContext } from '../../platform/context.js';
import { requirePermission, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest } from '../../platform/errors.js';
import { writeXlsx } from '../../platform/excel.js';
import { SANCTION_KINDS, SANCTION_LABELS, type SanctionKind } from '../integrity/sanctions.repository.js';
import * as repo from './board.repository.js';
import { CASE_STAGE_LABELS, CASE_STAGES } from '../ethics-cases/cases.vocab.js';
import { categoryLabelsAt } from '../ethics-reports/ethics-deadlines.js';
import type { BoardInput } from './notices.schema.js';
import { todayInChina } from '../../platform/china-time.js';

/**
 * The ethics board (issue 12 item 7; the 师德专干's start page): open reports by age, overdue, cases by stage and
 * category, sanctions in force by kind, 诚信档案 lookups and 准入查询 (audit lines), and 件件有回音 per handling
 * bureau with its numerator and denominator (definition in board.repository.ts answerRate). Current-state figures
 * (open, overdue, stages, in force) are as of today; the others cover the chosen period (default: this year).
 */

/** Tracking codes as the reporter sees them: XXXX-XXXX. */
const formatCode = (c: string) => (c.length === 8 ? `${c.slice(0, 4)}-${c.slice(4)}` : c);

export const ANSWER_RATE_DEFINITION =
  '件件有回音：统计期内收到的举报中，首次回应（受理或不予受理答复）不晚于受理期限、且答复不晚于办结期限的件数 ÷ 已有结论的件数（已答复，或期限已过仍未回应/答复）；仍在期限内未答复的不计入。';

export async function board(ctx: AppContext, user: CurrentUser, input: BoardInput) {
  requirePermission(user, 'ethics.handle');
  const today = todayInChina();
  const from = input.from ?? `${today.slice(0, 4)}-01-01`;
  const to = input.to ?? today;
  if (from > to) throw badRequest('结束日期不能早于开始日期', [{ field: 'to', message: '结束日期不能早于开始日期' }]);
  const p = user.orgPath;
  const [age, od, overdueList, stages, categories, inForce, lookups, rate, period] = await Promise.all([
    repo.openByAge(ctx.db, p, today),
    repo.overdue(ctx.db, p, today),
    repo.overdueList(ctx.db, p, today),
    repo.casesByStage(ctx.db, p),
    repo.casesByCategory(ctx.db, p, from, to),
    repo.sanctionsInForce(ctx.db, p, today),
    repo.lookups(ctx.db, p, from, to),
    repo.answerRate(ctx.db, p, from, to, today),
    repo.periodCounts(ctx.db, p, from, to),
  ]);
  // Categories are named by the region's vocabulary in force for the officer's bureau (policy data).
  const labels = await categoryLabelsAt(ctx.db, [p], today);
  const categoryLabel = (code: string) => labels.get(code) ?? code;
  const stageCount = new Map(stages.map((s) => [s.stage, s.n]));
  const kindCount = new Map(inForce.map((s) => [s.kind, s.n]));
  const rows = rate.map((r) => ({
    orgId: r.org_id,
    orgName: r.org_name,
    received: r.received,
    settled: r.settled,
    onTime: r.on_time,
    pending: r.pending,
    rate: r.settled ? r.on_time / r.settled : null,
  }));
  const settled = rows.reduce((n, r) => n + r.settled, 0);
  const onTime = rows.reduce((n, r) => n + r.onTime, 0);
  return {
    from,
    to,
    today,
    period,
    openByAge: age,
    overdue: {
      ...od,
      items: overdueList.map((r) => ({
        id: r.id,
        trackingCode: formatCode(r.tracking_code),
        category: r.category,
        categoryLabel: categoryLabel(r.category),
        responded: r.responded,
        escalated: r.escalated,
        orgName: r.org_name,
        receivedOn: r.received_on,
        respondBy: r.respond_by,
        concludeBy: r.conclude_by,
      })),
    },
    casesByStage: CASE_STAGES.map((s) => ({ stage: s, label: CASE_STAGE_LABELS[s], n: stageCount.get(s) ?? 0 })),
    casesByCategory: categories.map((c) => ({ ...c, label: categoryLabel(c.category) })),
    sanctionsInForce: {
      total: inForce.reduce((n, s) => n + s.n, 0),
      byKind: SANCTION_KINDS.map((k) => ({ kind: k, label: SANCTION_LABELS[k], n: kindCount.get(k) ?? 0 })).filter((k) => k.n > 0),
    },
    lookups: { integrity: lookups.integrity, entryChecks: lookups.entry_checks },
    answerRate: { definition: ANSWER_RATE_DEFINITION, settled, onTime, rate: settled ? onTime / settled : null, byOrg: rows },
  };
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** The board as .xlsx (figures only: no names, no report content); the export is audited. */
export async function boardXlsx(ctx: AppContext, user: CurrentUser, input: BoardInput, ip?: string): Promise<{ fileName: string; buffer: Buffer }> {
  const b = await board(ctx, user, input);
  await audit(ctx.db, user, 'ethics.board.export', 'ethicsBoard', null, { from: b.from, to: b.to }, ip);
  const buffer = await writeXlsx([
    {
      name: '概况',
      columns: [
        { header: '项目', width: 30 },
        { header: '数量', width: 12 },
      ],
      rows: [
        ['统计期', `${b.from} 至 ${b.to}`],
        ['统计期内收到举报', b.period.reports],
        ['其中匿名', b.period.anonymous],
        ['未办结举报（当前）', b.openByAge.total],
        ['  收到 7 天内', b.openByAge.d7],
        ['  8–30 天', b.openByAge.d30],
        ['  31–90 天', b.openByAge.d90],
        ['  90 天以上', b.openByAge.older],
        ['受理逾期', b.overdue.respond],
        ['办结逾期', b.overdue.conclude],
        ['已上报上级', b.overdue.escalated],
        ['诚信档案查阅（次）', b.lookups.integrity],
        ['准入查询（次）', b.lookups.entryChecks],
        ['发布典型问题通报', b.period.notices],
        ['警示教育会议', b.period.meetings],
      ],
    },
    {
      name: '件件有回音',
      columns: [
        { header: '单位', width: 24 },
        { header: '收到', width: 10 },
        { header: '按期回音', width: 10 },
        { header: '已有结论', width: 10 },
        { header: '尚在期限内', width: 12 },
        { header: '回音率', width: 10 },
      ],
      rows: [
        ...b.answerRate.byOrg.map((r) => [r.orgName, r.received, r.onTime, r.settled, r.pending, pct(r.rate)]),
        [
          '合计',
          b.answerRate.byOrg.reduce((n, r) => n + r.received, 0),
          b.answerRate.onTime,
          b.answerRate.settled,
          b.answerRate.byOrg.reduce((n, r) => n + r.pending, 0),
          pct(b.answerRate.rate),
        ],
        [b.answerRate.definition, null, null, null, null, null],
      ],
    },
    {
      name: '案件与处理',
      columns: [
        { header: '分类', width: 16 },
        { header: '项目', width: 24 },
        { header: '数量', width: 10 },
      ],
      rows: [
        ...b.casesByStage.map((s) => ['案件阶段（当前）', s.label, s.n]),
        ...b.casesByCategory.map((c) => ['统计期内立案类别', c.label, c.n]),
        ...b.sanctionsInForce.byKind.map((k) => ['在期处理', SANCTION_LABELS[k.kind as SanctionKind], k.n]),
      ],
    },
  ]);
  return { fileName: `师德工作看板-${b.from}至${b.to}.xlsx`, buffer };
}
