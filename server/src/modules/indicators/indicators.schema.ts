import { z } from 'zod';
import type { FieldError } from '../../platform/errors.js';
import { Id, Page, PageSize, Text } from '../../platform/schemas.js';
import { TARGET_METRICS, type FundingMetric, type TargetMetric } from '../policies/policy.format.js';
import { yearInChina } from '../../platform/china-time.js';

/**
 * 目标与经费数据: region target counts (target_counts) and funding figures (funding_figures) that the
 * policy engine's `target` and `funding` rules read. `kind` picks the table in every path.
 */
export const INDICATOR_KINDS = { targets: '区域目标', funding: '经费数据' } as const;
export type IndicatorKind = keyof typeof INDICATOR_KINDS;

/** The funding figures an admin enters, with the labels the UI and the Excel files use. */
export const FUNDING_LABELS: Record<FundingMetric, string> = {
  trainingBudget: '培训经费预算',
  trainingSpent: '培训经费支出',
  publicFundBudget: '公用经费预算',
  salaryTotal: '工资总额',
};

/**
 * Target metrics a bureau may override by hand: the `records` ones, computed from the platform's records (studios,
 * key-teacher designations); a manual figure replaces the platform's for data from outside the platform, with a
 * reason. The `registry` ones are counted from Qiangshi's own data and never entered.
 */
export const TABLE_TARGET_METRICS = (Object.keys(TARGET_METRICS) as TargetMetric[]).filter((m) => TARGET_METRICS[m].source === 'records');

/** How a manual target figure is labelled everywhere it is shown. */
export const OVERRIDE_LABEL = '手工填报（覆盖平台记录）';
/** The reason given to the figures entered before the platform computed them (migration 0056). */
export const LEGACY_REASON = '平台上线前的手工数据';

export const MIN_YEAR = 2000;
/** Budgets are set a year ahead; anything later is a typo. */
export const maxYear = (today = new Date()) => yearInChina(today) + 1;
/** numeric(16,2) holds up to 10^14; no real budget comes near. */
export const MAX_AMOUNT = 1e13;
export const MAX_COUNT = 1e9;

export function metricLabel(kind: IndicatorKind, metric: string): string {
  if (kind === 'funding') return FUNDING_LABELS[metric as FundingMetric] ?? metric;
  return TARGET_METRICS[metric as TargetMetric]?.label ?? metric;
}

export const metricUnit = (kind: IndicatorKind, metric: string) => (kind === 'funding' ? '元' : metric.startsWith('studios.') ? '个' : '人');

/** A metric given as its code or its Chinese label (Excel), or null if unknown for this kind. */
export function resolveMetric(kind: IndicatorKind, raw: string): string | null {
  const s = raw.trim();
  if (kind === 'funding') {
    const all = Object.entries(FUNDING_LABELS);
    return all.find(([k, l]) => k === s || l === s)?.[0] ?? null;
  }
  if ((TABLE_TARGET_METRICS as string[]).includes(s)) return s;
  return TABLE_TARGET_METRICS.find((m) => TARGET_METRICS[m].label === s) ?? null;
}

export interface FigureFields {
  year: unknown;
  metric: unknown;
  value: unknown;
  source: unknown;
  /** targets only: why the platform's figure is overridden (required). */
  reason?: unknown;
}

export interface CheckedFigure {
  year: number;
  metric: string;
  value: number;
  source: string;
  /** targets: the override's reason; funding: null. */
  reason: string | null;
}

const twoDecimals = (n: number) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6;

/**
 * The checks shared by the form and the Excel import, with one Chinese message per field.
 * Org scope and who may record are the service's business.
 */
export function checkFigure(
  kind: IndicatorKind,
  f: FigureFields,
  today = new Date(),
): { ok: true; value: CheckedFigure } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const hi = maxYear(today);
  const year = typeof f.year === 'string' && /^\s*\d{4}\s*$/.test(f.year) ? Number(f.year) : f.year;
  if (typeof year !== 'number' || !Number.isInteger(year)) errors.push({ field: 'year', message: '年度应为四位数字，例如 2025' });
  else if (year < MIN_YEAR || year > hi) errors.push({ field: 'year', message: `年度应在 ${MIN_YEAR}—${hi} 之间` });

  let metric: string | null = null;
  if (typeof f.metric !== 'string' || !f.metric.trim()) errors.push({ field: 'metric', message: '请选择指标' });
  else {
    metric = resolveMetric(kind, f.metric);
    if (!metric) {
      const registry = kind === 'targets' && f.metric.trim() in TARGET_METRICS;
      errors.push({
        field: 'metric',
        message: registry
          ? `指标「${metricLabel(kind, f.metric.trim())}」由系统根据教师名册和报名数据自动统计，无需填报`
          : `未知的指标「${f.metric.trim()}」，应为：${(kind === 'funding' ? Object.values(FUNDING_LABELS) : TABLE_TARGET_METRICS.map((m) => TARGET_METRICS[m].label)).join('、')}`,
      });
    }
  }

  const what = kind === 'funding' ? '金额' : '数值';
  const raw = typeof f.value === 'string' ? f.value.replace(/[,，\s]/g, '') : f.value;
  const value = typeof raw === 'string' && raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) errors.push({ field: 'value', message: `请填写${what}（数字）` });
  else if (value < 0) errors.push({ field: 'value', message: `${what}不能为负数` });
  else if (kind === 'targets' && !Number.isInteger(value)) errors.push({ field: 'value', message: '数值应为整数（个数、人数）' });
  else if (kind === 'funding' && !twoDecimals(value)) errors.push({ field: 'value', message: '金额最多保留两位小数（单位：元）' });
  else if (value > (kind === 'funding' ? MAX_AMOUNT : MAX_COUNT)) errors.push({ field: 'value', message: `${what}过大，请检查单位（金额以“元”为单位）` });

  const source = typeof f.source === 'string' ? f.source.trim() : typeof f.source === 'number' ? String(f.source) : '';
  if (source.length < 2) errors.push({ field: 'source', message: '请填写来源/依据（如文件号、预算批复文号），至少 2 个字' });
  else if (source.length > 200) errors.push({ field: 'source', message: '来源/依据不能超过 200 字' });

  const reason = kind === 'targets' ? checkReason(f.reason, errors) : null;

  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { year: year as number, metric: metric!, value: value as number, source, reason } };
}

/** A target override's reason: 4–200 characters, saying why the platform's records do not hold the figure. */
export function checkReason(raw: unknown, errors: FieldError[]): string | null {
  const reason = typeof raw === 'string' ? raw.trim() : '';
  if (reason.length < 4)
    errors.push({ field: 'reason', message: '手工填报会覆盖平台根据记录统计的数值，请填写覆盖原因（至少 4 个字），例如“平台上线前命名的工作室未在平台登记”' });
  else if (reason.length > 200) errors.push({ field: 'reason', message: '覆盖原因不能超过 200 字' });
  return reason.length >= 4 && reason.length <= 200 ? reason : null;
}

const id = Id;

export const KindParam = z.object({
  kind: z.enum(['targets', 'funding'], { error: '数据类别应为 targets（区域目标）或 funding（经费数据）' }),
});
export const BatchParam = KindParam.extend({ batchId: id });

export const ListQuery = z.object({
  orgId: id.optional(),
  year: z.coerce.number({ error: '年度应为数字' }).int('年度应为整数').min(MIN_YEAR, `年度不能早于 ${MIN_YEAR}`).max(2100, '年度不能晚于 2100').optional(),
  metric: Text(100, '指标').optional(),
  page: Page,
  pageSize: PageSize(500, 100),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const ExportQuery = ListQuery.omit({ page: true, pageSize: true });
export type ExportQuery = z.infer<typeof ExportQuery>;

export const HistoryQuery = z.object({
  orgId: id,
  metric: Text(100, '指标').refine((s) => s.length > 0, '请选择指标'),
  year: z.coerce.number({ error: '年度应为数字' }).int('年度应为整数').min(MIN_YEAR).max(2100),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

/** Loose on purpose: checkFigure gives the field messages (the same ones the import shows). */
export const RecordBody = z.object({
  orgId: id,
  year: z.union([z.number(), z.string().max(10, '年度应为四位数字')], { error: '请填写年度' }),
  metric: Text(100, '指标'),
  value: z.union([z.number(), z.string().max(50, '数值过长')], { error: '请填写数值' }),
  source: Text(200, '来源/依据'),
  /** targets: why the platform's figure is overridden (required there). */
  reason: Text(200, '覆盖原因').optional(),
});
export type RecordBody = z.infer<typeof RecordBody>;

/** 撤销覆盖: the platform's figure counts again for this region, metric and year. */
export const ClearOverrideBody = z.object({
  orgId: id,
  year: z.coerce.number({ error: '年度应为数字' }).int('年度应为整数').min(MIN_YEAR).max(2100),
  metric: Text(100, '指标'),
  reason: Text(200, '撤销原因'),
});
export type ClearOverrideBody = z.infer<typeof ClearOverrideBody>;

export const CommitBody = z.object({
  mode: z.enum(['all', 'validOnly'], { error: '导入方式应为 all（全部导入，有错误则不导入）或 validOnly（仅导入无误的行）' }),
});
