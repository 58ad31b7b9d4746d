import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { can, type CurrentUser } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { readSpreadsheet, writeXlsx, type CellValue, type SheetRow, type XlsxColumn } from '../../platform/excel.js';
import { TARGET_METRICS, type FundingRule, type Rule, type TargetRule } from '../policies/policy.format.js';
import { listPolicies, policyForEvaluation } from '../policies/policies.service.js';
import * as repo from './indicators.repository.js';
import { platformTargetValues, targetFigures } from '../compliance/target-figures.js';
import { todayInChina } from '../../platform/china-time.js';
import type { TargetMetric } from '../policies/policy.format.js';
import {
  checkFigure,
  checkReason,
  OVERRIDE_LABEL,
  type ClearOverrideBody,
  FUNDING_LABELS,
  INDICATOR_KINDS,
  maxYear,
  metricLabel,
  metricUnit,
  MIN_YEAR,
  TABLE_TARGET_METRICS,
  type ExportQuery,
  type HistoryQuery,
  type IndicatorKind,
  type ListQuery,
  type RecordBody,
} from './indicators.schema.js';

/**
 * 目标与经费数据: the funding figures the policy engine's `funding` rules read, and the manual **overrides** of the
 * region targets the platform computes from its records (studios named, key-teacher designations): an override is
 * for data from outside the platform, needs a reason, is audited and is shown as 手工填报（覆盖平台记录） beside the
 * platform's figure. Append-only: recording a value adds a row that supersedes the previous one for the same org,
 * metric and year (a 撤销覆盖 row gives the figure back to the platform); history is kept.
 */

function requireReader(user: CurrentUser): void {
  if (!can(user, 'hours.readOthers')) throw forbidden('无权查看目标与经费数据');
}

/** Why this user may not record this kind of figure for this org, or null if they may. */
function recordRefusal(user: CurrentUser, kind: IndicatorKind, org: repo.OrgRef): { status: 'forbidden' | 'invalid'; message: string } | null {
  if (kind === 'targets') {
    if (user.role !== 'bureauAdmin') return { status: 'forbidden', message: '只有教育局管理员可以填报区域目标数据' };
    if (org.kind !== 'bureau') return { status: 'invalid', message: `区域目标应填报到教育局（区域），「${org.name}」不是教育局` };
    return null;
  }
  if (user.role === 'schoolAdmin') return org.id === user.orgId ? null : { status: 'forbidden', message: '学校管理员只能填报本校的经费数据' };
  if (user.role !== 'bureauAdmin') return { status: 'forbidden', message: '无权填报经费数据' };
  if (org.kind !== 'school' && org.kind !== 'bureau') return { status: 'invalid', message: `经费数据应填报到学校或教育局，「${org.name}」不是学校或教育局` };
  return null;
}

const canRecordKind = (user: CurrentUser, kind: IndicatorKind) => user.role === 'bureauAdmin' || (kind === 'funding' && user.role === 'schoolAdmin');

function presentFigure(kind: IndicatorKind, r: repo.FigureRow & { versions?: number }) {
  return {
    id: r.id,
    orgId: r.org_id,
    orgCode: r.org_code,
    orgName: r.org_name,
    orgKind: r.org_kind,
    metric: r.metric,
    metricLabel: metricLabel(kind, r.metric),
    unit: metricUnit(kind, r.metric),
    year: r.year,
    value: r.value === null ? null : Number(r.value),
    source: r.source,
    recordedAt: new Date(r.recorded_at).toISOString(),
    recordedBy: r.recorded_by_name,
    ...(r.versions !== undefined ? { versions: r.versions } : {}),
    ...(kind === 'targets'
      ? {
          reason: r.reason ?? null,
          cleared: r.cleared ?? false,
          /** What the figure is: 手工填报（覆盖平台记录）, or 已撤销覆盖（采用平台记录）. */
          sourceLabel: r.cleared ? '已撤销覆盖（采用平台记录）' : OVERRIDE_LABEL,
          /** The platform's own figure for the same org, metric and year (filled by withPlatform). */
          platformValue: null as number | null,
        }
      : {}),
  };
}
export type FigureDto = ReturnType<typeof presentFigure>;

// ---------------------------------------------------------------- which metrics, and why

export interface RuleRef {
  policyId: number;
  policyTitle: string;
  ruleId: string;
  title: string;
  cite: { file: string; section: string; text: string };
  atLeast: number | null;
  openFigure: string | null;
  /** targets: perYear / cumulative / average, with years; funding: per school / county / region and the ratio's side. */
  aggregate: TargetRule['aggregate'] | null;
  years: { from: number; to: number } | null;
  per: FundingRule['per'] | null;
  role: 'numerator' | 'denominator' | null;
  /** Where the rule is judged: the orgs the policy is attached to (targets are recorded there). */
  regions: { orgId: number; orgName: string }[];
  /** The first year of the policy's period (a perYear target counts each year of it). */
  periodFrom: number;
}

/**
 * The metrics an admin can record, each with the policy rules it feeds (title, citation) so the admin
 * knows why it is asked: for targets the `table` metrics used by the policies that apply here or below,
 * for funding the four figures. Also the year range and whether the caller may record.
 */
export async function metrics(ctx: AppContext, user: CurrentUser) {
  requireReader(user);
  const { items } = await listPolicies(ctx, user);
  const refs = new Map<string, RuleRef[]>();
  const add = (key: string, ref: RuleRef) => refs.set(key, [...(refs.get(key) ?? []), ref]);
  for (const item of items) {
    if (item.relation === 'unattached') continue;
    const lp = await policyForEvaluation(ctx, user, item.id);
    const regions = lp.attachments.map((a) => ({ orgId: a.org_id, orgName: a.org_name }));
    const base = (r: Rule) => ({
      policyId: lp.id,
      policyTitle: lp.policy.title,
      ruleId: r.id,
      title: r.title,
      cite: { file: r.cite.file ?? lp.policy.source.file, section: r.cite.section, text: r.cite.text },
      atLeast: 'atLeast' in r ? r.atLeast : null,
      openFigure: r.openFigure ?? null,
      regions,
      periodFrom: Number(lp.policy.period.from.slice(0, 4)),
    });
    for (const r of lp.policy.rules) {
      if (r.kind === 'target' && TARGET_METRICS[r.metric].source === 'records')
        add(`targets|${r.metric}`, { ...base(r), aggregate: r.aggregate, years: r.years ?? null, per: null, role: null });
      if (r.kind === 'funding') {
        add(`funding|${r.numerator}`, { ...base(r), aggregate: null, years: null, per: r.per, role: 'numerator' });
        if (r.denominator !== r.numerator) add(`funding|${r.denominator}`, { ...base(r), aggregate: null, years: null, per: r.per, role: 'denominator' });
      }
    }
  }
  const targetMetrics = TABLE_TARGET_METRICS.filter((m) => refs.has(`targets|${m}`));
  const targets = [];
  for (const m of targetMetrics) {
    const rules = refs.get(`targets|${m}`) ?? [];
    targets.push({ metric: m, label: metricLabel('targets', m), unit: metricUnit('targets', m), rules, figures: await regionFigures(ctx, user, m, rules) });
  }
  return {
    targets,
    funding: (Object.keys(FUNDING_LABELS) as (keyof typeof FUNDING_LABELS)[]).map((m) => ({
      metric: m,
      label: FUNDING_LABELS[m],
      unit: '元',
      rules: refs.get(`funding|${m}`) ?? [],
    })),
    /** Target metrics no policy here uses yet: still accepted, listed apart. */
    otherTargets: TABLE_TARGET_METRICS.filter((m) => !refs.has(`targets|${m}`)).map((m) => ({
      metric: m,
      label: metricLabel('targets', m),
      unit: metricUnit('targets', m),
    })),
    years: { min: MIN_YEAR, max: maxYear() },
    canRecord: { targets: canRecordKind(user, 'targets'), funding: canRecordKind(user, 'funding') },
  };
}

/**
 * Per region of the rules and per year they count (their years, else this year), up to this year: the platform's
 * figure, the override if any (who, when, why) and the figure that counts — what the page shows as 平台记录 vs 手工覆盖.
 */
async function regionFigures(ctx: AppContext, user: CurrentUser, metric: TargetMetric, rules: RuleRef[]) {
  const today = todayInChina();
  const thisYear = Number(today.slice(0, 4));
  const regions = new Map<number, string>();
  let from = thisYear;
  for (const r of rules) {
    for (const g of r.regions) regions.set(g.orgId, g.orgName);
    from = Math.min(from, r.years?.from ?? r.periodFrom);
  }
  const out: {
    orgId: number;
    orgName: string;
    year: number;
    platform: number;
    override: { value: number; reason: string; recordedBy: string | null; recordedAt: string; label: string } | null;
    value: number;
  }[] = [];
  for (const [orgId, orgName] of regions) {
    const org = await repo.orgInScope(ctx.db, user.scopePath, orgId);
    if (!org) continue; // a region above the caller: its figures are its own bureau's business
    const f = await targetFigures(ctx.db, metric, org, Math.max(from, thisYear - 9), thisYear, today);
    for (const [year, platform] of [...f.platform].sort((a, b) => b[0] - a[0])) {
      const o = f.overrides.get(year);
      out.push({
        orgId,
        orgName,
        year,
        platform,
        override: o ? { value: o.value, reason: o.reason, recordedBy: o.recordedBy, recordedAt: o.recordedAt, label: OVERRIDE_LABEL } : null,
        value: f.values.get(year) ?? platform,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- list, record, history

/** Current figures (latest per org, metric and year) of the caller's subtree; an org outside it is 404. */
export async function list(ctx: AppContext, user: CurrentUser, kind: IndicatorKind, query: ListQuery) {
  requireReader(user);
  if (query.orgId !== undefined && !(await repo.orgInScope(ctx.db, user.scopePath, query.orgId))) throw notFound('单位');
  const r = await repo.listCurrent(ctx.db, kind, user.scopePath, query, query.pageSize, (query.page - 1) * query.pageSize);
  const items = r.rows.map((x) => presentFigure(kind, x));
  if (kind === 'targets') await withPlatform(ctx.db, r.rows, items);
  return { items, total: r.total, page: query.page, pageSize: query.pageSize };
}

/** Set each target row's platformValue: the platform's figure of its org, metric and year as of today. */
async function withPlatform(q: Queryable, rows: (repo.FigureRow & { org_path?: string })[], items: FigureDto[]): Promise<void> {
  const today = todayInChina();
  const cache = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!(TABLE_TARGET_METRICS as string[]).includes(r.metric) || !r.org_path) continue;
    const key = repo.figureKey(r.org_id, r.metric, r.year);
    if (!cache.has(key)) {
      const v = await platformTargetValues(q, r.metric as TargetMetric, r.org_path, r.year, r.year, today);
      cache.set(key, v.get(r.year) ?? 0);
    }
    items[i].platformValue = r.year > Number(today.slice(0, 4)) ? null : cache.get(key)!;
  }
}

/**
 * Record one value (bureau admins for their subtree; school admins only their own school's funding).
 * Adds a row: the previous value of the same org, metric and year stays in the history.
 */
export async function record(ctx: AppContext, user: CurrentUser, kind: IndicatorKind, body: RecordBody, ip?: string): Promise<FigureDto> {
  requireReader(user);
  if (!canRecordKind(user, kind)) throw forbidden(kind === 'targets' ? '只有教育局管理员可以填报区域目标数据' : '无权填报经费数据');
  const checked = checkFigure(kind, body);
  if (!checked.ok) throw badRequest(`输入有误：${checked.errors.map((e) => e.message).join('；')}`, checked.errors);
  return ctx.db.tx(async (q) => {
    const org = await repo.orgInScope(q, user.scopePath, body.orgId);
    if (!org) throw notFound('单位');
    const refusal = recordRefusal(user, kind, org);
    if (refusal?.status === 'forbidden') throw forbidden(refusal.message);
    if (refusal) throw badRequest(refusal.message, [{ field: 'orgId', message: refusal.message }]);
    const [id] = await repo.insertFigures(q, kind, user.id, [{ orgId: org.id, ...checked.value }]);
    const rows = await repo.history(q, kind, user.scopePath, org.id, checked.value.metric, checked.value.year);
    const row = rows.find((r) => Number(r.id) === id)!;
    const dto = presentFigure(kind, row);
    if (kind === 'targets') {
      await withPlatform(q, [{ ...row, org_path: org.path }], [dto]);
      const { year, metric, value, reason, source } = checked.value;
      await audit(
        q,
        user,
        'indicators.targets.override',
        'target_counts',
        id,
        {
          orgId: org.id,
          orgName: org.name,
          metric,
          year,
          value,
          platformValue: dto.platformValue,
          reason,
          source,
          previous: rows[1] ? Number(rows[1].value) : null,
        },
        ip,
      );
    }
    return dto;
  });
}

/**
 * 撤销覆盖: the platform's figure counts again for this org, metric and year. Adds a cleared row (the override stays
 * in the history), with the reason; audited. 409 when the current figure is not an override.
 */
export async function clearOverride(ctx: AppContext, user: CurrentUser, body: ClearOverrideBody, ip?: string) {
  requireReader(user);
  if (!canRecordKind(user, 'targets')) throw forbidden('只有教育局管理员可以填报区域目标数据');
  const errors: { field: string; message: string }[] = [];
  const reason = checkReason(body.reason, errors);
  if (!(TABLE_TARGET_METRICS as string[]).includes(body.metric)) errors.push({ field: 'metric', message: `未知的指标「${body.metric}」` });
  if (errors.length) throw badRequest(`输入有误：${errors.map((e) => e.message).join('；')}`, errors);
  return ctx.db.tx(async (q) => {
    const org = await repo.orgInScope(q, user.scopePath, body.orgId);
    if (!org) throw notFound('单位');
    const current = (await repo.history(q, 'targets', user.scopePath, org.id, body.metric, body.year))[0];
    if (!current || current.cleared) throw conflict(`${org.name} ${body.year} 年「${metricLabel('targets', body.metric)}」没有手工覆盖，已采用平台记录`);
    const [id] = await repo.insertFigures(q, 'targets', user.id, [
      { orgId: org.id, year: body.year, metric: body.metric, value: null, source: current.source, reason, cleared: true },
    ]);
    await audit(
      q,
      user,
      'indicators.targets.clearOverride',
      'target_counts',
      id,
      { orgId: org.id, orgName: org.name, metric: body.metric, year: body.year, previous: Number(current.value), reason },
      ip,
    );
    const rows = await repo.history(q, 'targets', user.scopePath, org.id, body.metric, body.year);
    const dto = presentFigure('targets', rows[0]);
    await withPlatform(q, [{ ...rows[0], org_path: org.path }], [dto]);
    return dto;
  });
}

/** Every value recorded for one org, metric and year, newest first (the first one counts). */
export async function historyOf(ctx: AppContext, user: CurrentUser, kind: IndicatorKind, query: HistoryQuery) {
  requireReader(user);
  const org = await repo.orgInScope(ctx.db, user.scopePath, query.orgId);
  if (!org) throw notFound('单位');
  const rows = await repo.history(ctx.db, kind, user.scopePath, org.id, query.metric, query.year);
  return {
    org: { id: org.id, code: org.code, name: org.name },
    metric: query.metric,
    metricLabel: metricLabel(kind, query.metric),
    year: query.year,
    items: rows.map((r, i) => ({ ...presentFigure(kind, r), current: i === 0 })),
  };
}

// ---------------------------------------------------------------- Excel

const COLUMNS = {
  orgCode: '单位代码',
  orgName: '单位名称',
  year: '年度',
  metric: '指标',
  value: { targets: '数值', funding: '金额（元）' },
  source: '来源/依据',
  reason: '覆盖原因',
} as const;

const valueHeader = (kind: IndicatorKind) => COLUMNS.value[kind];
const sheetName = (kind: IndicatorKind) => INDICATOR_KINDS[kind];
const GUIDE_SHEET = '填写说明';
const FIELD_COLUMN: Record<string, (kind: IndicatorKind) => string> = {
  orgCode: () => COLUMNS.orgCode,
  orgId: () => COLUMNS.orgCode,
  year: () => COLUMNS.year,
  metric: () => COLUMNS.metric,
  value: valueHeader,
  source: () => COLUMNS.source,
  reason: () => COLUMNS.reason,
};

/** The columns an import reads, in order; the export starts with the same ones so its file imports back. */
function importColumns(kind: IndicatorKind): XlsxColumn[] {
  return [
    { header: COLUMNS.orgCode, width: 16, text: true },
    { header: COLUMNS.orgName, width: 24 },
    { header: COLUMNS.year, width: 8 },
    { header: COLUMNS.metric, width: 26 },
    { header: valueHeader(kind), width: 16 },
    { header: COLUMNS.source, width: 36 },
    ...(kind === 'targets' ? [{ header: COLUMNS.reason, width: 36 }] : []),
  ];
}

function metricLabels(kind: IndicatorKind): string[] {
  return kind === 'funding' ? Object.values(FUNDING_LABELS) : TABLE_TARGET_METRICS.map((m) => TARGET_METRICS[m].label);
}

/** The import template: 单位代码, 单位名称 (for reading only), 年度, 指标 (drop-down), 数值/金额, 来源/依据. */
export async function template(user: CurrentUser, kind: IndicatorKind): Promise<{ buffer: Buffer; fileName: string }> {
  requireReader(user);
  if (!canRecordKind(user, kind)) throw forbidden('无权导入该类数据');
  const buffer = await writeXlsx([
    {
      name: sheetName(kind),
      columns: importColumns(kind),
      rows: [],
      lists: { 3: metricLabels(kind) },
      listRows: 1000,
    },
    {
      name: GUIDE_SHEET,
      columns: [
        { header: '列名', width: 14 },
        { header: '是否必填', width: 10 },
        { header: '填写说明', width: 80 },
      ],
      rows: [
        [COLUMNS.orgCode, '必填', kind === 'targets' ? '教育局（区域）的组织代码，见“组织机构”页面' : '学校或教育局的组织代码，见“组织机构”页面'],
        [COLUMNS.orgName, '选填', '仅便于核对，导入时不读取'],
        [COLUMNS.year, '必填', `四位年份，${MIN_YEAR}—${maxYear()}`],
        [COLUMNS.metric, '必填', `下拉选择：${metricLabels(kind).join('、')}`],
        [valueHeader(kind), '必填', kind === 'targets' ? '非负整数（个数、人数）' : '非负数，单位：元，最多两位小数'],
        [COLUMNS.source, '必填', '数据的来源或依据，例如文件号、预算批复文号'],
        ...(kind === 'targets'
          ? [[COLUMNS.reason, '必填', '区域目标由平台根据工作室命名、骨干教师认定记录自动统计；手工填报的数值会覆盖平台记录，请写明原因（至少 4 个字）']]
          : []),
        [],
        ['说明', '', '每行一个数值。新数值不会覆盖旧记录：同一单位、指标、年度以最近一次记录为准，历史记录保留。与当前数值和来源完全相同的行会跳过。'],
      ],
    },
  ]);
  return { buffer, fileName: `${INDICATOR_KINDS[kind]}导入模板.xlsx` };
}

const normaliseHeader = (c: CellValue) => (typeof c === 'string' ? c.replace(/[\s（）()*＊]/g, '') : '');

type Field = 'orgCode' | 'year' | 'metric' | 'value' | 'source' | 'reason';
const HEADER_MATCH: [Field, RegExp][] = [
  ['orgCode', /^(单位|组织)代码/],
  ['year', /^(年度|年份)/],
  ['metric', /^指标(名称)?$/],
  ['value', /^(数值|金额|数量)/],
  ['source', /^(来源|依据)/],
  ['reason', /^覆盖原因/],
];
/** The columns a file of this kind must have (覆盖原因 only for targets: an override needs a reason). */
const requiredFields = (kind: IndicatorKind) => HEADER_MATCH.filter(([f]) => f !== 'reason' || kind === 'targets');

function locateHeader(kind: IndicatorKind, rows: SheetRow[]): { headerRow: number; columns: Map<Field, number> } {
  for (const r of rows.slice(0, 10)) {
    const columns = new Map<Field, number>();
    r.cells.forEach((cell, i) => {
      const h = normaliseHeader(cell);
      const hit = HEADER_MATCH.find(([, re]) => re.test(h));
      if (hit && !columns.has(hit[0])) columns.set(hit[0], i);
    });
    if (columns.has('orgCode')) {
      const missing = requiredFields(kind)
        .filter(([f]) => !columns.has(f))
        .map(([f]) => `“${FIELD_COLUMN[f](kind)}”`);
      if (missing.length)
        throw badRequest(`表头缺少必填列：${missing.join('、')}。请使用导入模板`, [{ field: 'file', message: `缺少列 ${missing.join('、')}` }]);
      return { headerRow: r.rowNumber, columns };
    }
  }
  throw badRequest(`未找到表头：应包含“单位代码”“年度”“指标”“${valueHeader(kind)}”“来源/依据”列，请使用导入模板`, [{ field: 'file', message: '未找到表头' }]);
}

const cellText = (c: CellValue | undefined): string =>
  c === null || c === undefined ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c).trim();

/** A previewed row as stored in the batch. */
interface StagedRow {
  r: number;
  orgId: number | null;
  orgCode: string;
  orgName: string;
  year: number | null;
  metric: string | null;
  value: number | null;
  source: string;
  /** targets: the override's reason. */
  reason?: string | null;
  /** new: first value; change: supersedes a different value; unchanged: same value and source (skipped); error. */
  action: 'new' | 'change' | 'unchanged' | 'error';
  previous: number | null;
  errors: { column: string; message: string }[];
}

const MAX_ROWS = 5000;

/**
 * Read an uploaded .xlsx/.csv, check every row (org code in scope and allowed, year, metric, value,
 * source, duplicates within the file) and compare it with the current value. Stores the result as an
 * import batch for commitImport; nothing is recorded yet.
 */
export async function previewImport(ctx: AppContext, user: CurrentUser, kind: IndicatorKind, file: { buffer: Buffer; fileName: string }) {
  requireReader(user);
  if (!canRecordKind(user, kind)) throw forbidden('无权导入该类数据');
  if (!file.buffer.length) throw badRequest('上传的文件是空的', [{ field: 'file', message: '文件为空' }]);
  const fileName = (file.fileName.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f]/g, '').slice(0, 200) || '未命名文件';
  const sheet = await readSpreadsheet(file.buffer, fileName, { skipSheets: [GUIDE_SHEET], maxRows: MAX_ROWS });
  const { headerRow, columns } = locateHeader(kind, sheet);
  const data = sheet.filter((r) => r.rowNumber > headerRow && r.cells.some((c) => cellText(c) !== ''));
  if (!data.length) throw badRequest('文件中没有数据行', [{ field: 'file', message: '没有数据行' }]);
  const cell = (r: SheetRow, f: Field) => r.cells[columns.get(f)!] ?? null;

  const codes = [...new Set(data.map((r) => cellText(cell(r, 'orgCode'))).filter(Boolean))];
  const orgs = new Map((await repo.orgsByCode(ctx.db, user.scopePath, codes)).map((o) => [o.code, o]));
  const staged: StagedRow[] = [];
  for (const r of data) {
    const errors: StagedRow['errors'] = [];
    const code = cellText(cell(r, 'orgCode'));
    const org = code ? orgs.get(code) : undefined;
    if (!code) errors.push({ column: COLUMNS.orgCode, message: '请填写单位代码' });
    else if (!org) errors.push({ column: COLUMNS.orgCode, message: `单位代码 ${code} 不存在或不在您的管辖范围内` });
    else {
      const refusal = recordRefusal(user, kind, org);
      if (refusal) errors.push({ column: COLUMNS.orgCode, message: refusal.message });
    }
    const rawValue = cell(r, 'value');
    const checked = checkFigure(kind, {
      year: typeof cell(r, 'year') === 'number' ? cell(r, 'year') : cellText(cell(r, 'year')),
      metric: cellText(cell(r, 'metric')),
      value: typeof rawValue === 'number' ? rawValue : cellText(rawValue) === '' ? undefined : cellText(rawValue),
      source: cellText(cell(r, 'source')),
      reason: kind === 'targets' ? cellText(cell(r, 'reason')) : undefined,
    });
    if (!checked.ok) for (const e of checked.errors) errors.push({ column: FIELD_COLUMN[e.field](kind), message: e.message });
    const v = checked.ok ? checked.value : null;
    staged.push({
      r: r.rowNumber,
      orgId: org?.id ?? null,
      orgCode: code,
      orgName: org?.name ?? '',
      year: v?.year ?? null,
      metric: v?.metric ?? null,
      value: v?.value ?? null,
      source: v?.source ?? cellText(cell(r, 'source')),
      reason: v?.reason ?? null,
      action: errors.length ? 'error' : 'new',
      previous: null,
      errors,
    });
  }
  // The same org, metric and year twice in one file: which one is meant is unclear, so both are errors.
  const seen = new Map<string, number[]>();
  for (const s of staged)
    if (s.orgId && s.metric && s.year)
      seen.set(repo.figureKey(s.orgId, s.metric, s.year), [...(seen.get(repo.figureKey(s.orgId, s.metric, s.year)) ?? []), s.r]);
  for (const s of staged) {
    const rows = s.orgId && s.metric && s.year ? seen.get(repo.figureKey(s.orgId, s.metric, s.year))! : [];
    if (rows.length < 2) continue;
    s.errors.push({ column: COLUMNS.metric, message: `与第 ${rows.filter((x) => x !== s.r).join('、')} 行重复（同一单位、指标、年度）` });
    s.action = 'error';
  }
  await classify(ctx.db, kind, staged);

  const counts = { new: 0, change: 0, unchanged: 0, error: 0 };
  for (const s of staged) counts[s.action]++;
  const sha256 = createHash('sha256').update(file.buffer).digest('hex');
  const batchId = await repo.insertBatch(ctx.db, {
    kind,
    userId: user.id,
    orgId: user.orgId,
    fileName,
    sha256,
    rows: staged,
    summary: { counts, total: staged.length },
  });
  return {
    batchId,
    fileName,
    total: staged.length,
    counts,
    errors: staged.flatMap((s) => s.errors.map((e) => ({ row: s.r, column: e.column, message: e.message }))),
    rows: staged.map((s) => ({
      row: s.r,
      orgCode: s.orgCode,
      orgName: s.orgName,
      year: s.year,
      metric: s.metric,
      metricLabel: s.metric ? metricLabel(kind, s.metric) : '',
      value: s.value,
      previous: s.previous,
      source: s.source,
      action: s.action,
      messages: s.errors.map((e) => `${e.column}：${e.message}`),
    })),
  };
}

/** Mark valid rows new / change / unchanged against the current values. */
async function classify(q: Queryable, kind: IndicatorKind, staged: StagedRow[]): Promise<void> {
  const valid = staged.filter((s) => s.action !== 'error');
  const current = await repo.currentValues(
    q,
    kind,
    valid.map((s) => ({ orgId: s.orgId!, metric: s.metric!, year: s.year! })),
  );
  for (const s of valid) {
    const c = current.get(repo.figureKey(s.orgId!, s.metric!, s.year!));
    s.previous = c ? c.value : null;
    s.action = !c ? 'new' : c.value === s.value && c.source === s.source && (kind === 'funding' || c.reason === s.reason) ? 'unchanged' : 'change';
  }
}

/**
 * Record a previewed batch in one transaction. 'all' refuses when any row has an error; 'validOnly'
 * skips them. Rows are compared with the current values again (someone may have recorded since the
 * preview); unchanged rows add nothing, so the same file twice records nothing the second time.
 */
export async function commitImport(ctx: AppContext, user: CurrentUser, kind: IndicatorKind, batchId: number, mode: 'all' | 'validOnly', ip?: string) {
  requireReader(user);
  if (!canRecordKind(user, kind)) throw forbidden('无权导入该类数据');
  return ctx.db.tx(async (q) => {
    const batch = await repo.lockBatch(q, kind, batchId, user.id);
    if (!batch) throw notFound('导入批次');
    if (batch.status === 'committed') throw conflict('该批次已经导入，请勿重复提交');
    if (batch.status !== 'previewed') throw conflict('该批次已作废，请重新上传');
    const staged = batch.rows as StagedRow[];
    const errorRows = staged.filter((s) => s.action === 'error').length;
    if (mode === 'all' && errorRows) throw conflict(`有 ${errorRows} 行存在错误，未导入任何数据。请修正后重新上传，或选择“仅导入无误的行”`);
    // The orgs must still lie in the caller's subtree.
    const ids = new Set((await repo.orgsByCode(q, user.scopePath, [...new Set(staged.filter((s) => s.orgId).map((s) => s.orgCode))])).map((o) => o.id));
    const stale = staged.filter((s) => s.action !== 'error' && !ids.has(s.orgId!));
    if (stale.length) throw conflict(`预览之后有 ${stale.length} 行的单位已不在您的管辖范围内，未导入任何数据，请重新上传预览`);
    const valid = staged.filter((s) => s.action !== 'error');
    await classify(q, kind, valid);
    const toInsert = valid.filter((s) => s.action !== 'unchanged');
    await repo.insertFigures(
      q,
      kind,
      user.id,
      toInsert.map((s) => ({ orgId: s.orgId!, year: s.year!, metric: s.metric!, value: s.value!, source: s.source, reason: s.reason ?? null })),
    );
    const result = { recorded: toInsert.length, unchanged: valid.length - toInsert.length, skipped: errorRows };
    await repo.markBatchCommitted(q, batchId, { ...result, mode });
    await audit(q, user, `indicators.${kind}.import`, 'import_batch', batchId, { fileName: batch.file_name, mode, ...result }, ip);
    return result;
  });
}

const chinaTime = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * The current figures (filtered like the list, all pages) as .xlsx, in the import's columns so an
 * exported file can be corrected and imported back. Audited.
 */
export async function exportFigures(
  ctx: AppContext,
  user: CurrentUser,
  kind: IndicatorKind,
  query: ExportQuery,
  ip?: string,
): Promise<{ buffer: Buffer; fileName: string; count: number }> {
  requireReader(user);
  if (!can(user, 'teachers.export') && user.role !== 'devCenter') throw forbidden('无权导出');
  if (query.orgId !== undefined && !(await repo.orgInScope(ctx.db, user.scopePath, query.orgId))) throw notFound('单位');
  const { rows } = await repo.listCurrent(ctx.db, kind, user.scopePath, query, 100_000, 0);
  // Targets: each manual figure says what it is (手工填报（覆盖平台记录）) next to the platform's own figure.
  const items = rows.map((r) => presentFigure(kind, r));
  if (kind === 'targets') await withPlatform(ctx.db, rows, items);
  const targetCols: XlsxColumn[] =
    kind === 'targets'
      ? [
          { header: '说明', width: 26 },
          { header: '平台记录数值', width: 14 },
        ]
      : [];
  const buffer = await writeXlsx([
    {
      name: sheetName(kind),
      columns: [...importColumns(kind), ...targetCols, { header: '记录时间', width: 18 }, { header: '记录人', width: 14 }, { header: '记录次数', width: 10 }],
      rows: rows.map((r, i) => [
        r.org_code,
        r.org_name,
        r.year,
        metricLabel(kind, r.metric),
        r.value === null ? '' : Number(r.value),
        r.source,
        ...(kind === 'targets' ? [r.reason ?? '', items[i].sourceLabel ?? '', items[i].platformValue ?? ''] : []),
        chinaTime(new Date(r.recorded_at).toISOString()),
        r.recorded_by_name ?? '',
        r.versions,
      ]),
    },
  ]);
  await audit(
    ctx.db,
    user,
    `indicators.${kind}.export`,
    kind === 'targets' ? 'target_counts' : 'funding_figures',
    null,
    { filters: query, rows: rows.length },
    ip,
  );
  const year = query.year ? `-${query.year}` : '';
  return { buffer, fileName: `${INDICATOR_KINDS[kind]}${year}.xlsx`, count: rows.length };
}
