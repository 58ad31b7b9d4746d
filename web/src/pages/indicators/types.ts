/** Shapes of /api/indicators/* (server/src/modules/indicators). */
export type IndicatorKind = 'targets' | 'funding';

export interface RuleRef {
  policyId: number;
  policyTitle: string;
  ruleId: string;
  title: string;
  cite: { file: string; section: string; text: string };
  atLeast: number | null;
  openFigure: string | null;
  aggregate: 'perYear' | 'cumulative' | 'average' | null;
  years: { from: number; to: number } | null;
  per: 'school' | 'county' | 'region' | null;
  role: 'numerator' | 'denominator' | null;
  regions: { orgId: number; orgName: string }[];
}

export interface MetricInfo {
  metric: string;
  label: string;
  unit: string;
  rules?: RuleRef[];
}

export interface MetricsDto {
  targets: (MetricInfo & { rules: RuleRef[] })[];
  funding: (MetricInfo & { rules: RuleRef[] })[];
  otherTargets: MetricInfo[];
  years: { min: number; max: number };
  canRecord: Record<IndicatorKind, boolean>;
}

export interface FigureDto {
  id: number;
  orgId: number;
  orgCode: string;
  orgName: string;
  orgKind: string;
  metric: string;
  metricLabel: string;
  unit: string;
  year: number;
  value: number;
  source: string;
  recordedAt: string;
  recordedBy: string | null;
  versions?: number;
  current?: boolean;
}

export interface FigurePage {
  items: FigureDto[];
  total: number;
  page: number;
  pageSize: number;
}

export interface HistoryDto {
  org: { id: number; code: string; name: string };
  metric: string;
  metricLabel: string;
  year: number;
  items: FigureDto[];
}

export interface IndicatorPreviewRow {
  row: number;
  orgCode: string;
  orgName: string;
  year: number | null;
  metric: string | null;
  metricLabel: string;
  value: number | null;
  previous: number | null;
  source: string;
  action: 'new' | 'change' | 'unchanged' | 'error';
  messages: string[];
}

export interface IndicatorPreview {
  batchId: number;
  fileName: string;
  total: number;
  counts: Record<IndicatorPreviewRow['action'], number>;
  errors: { row: number; column: string; message: string }[];
  rows: IndicatorPreviewRow[];
}

export interface IndicatorImportResult {
  recorded: number;
  unchanged: number;
  skipped: number;
}
