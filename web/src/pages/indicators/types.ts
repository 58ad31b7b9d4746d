/**
 * Shapes of /api/indicators/* as the server module returns them (type-only imports, erased at build).
 */
import type { Returned, Wire } from '../../api/wire';
import type { IndicatorKind as ServerIndicatorKind } from '../../../../server/src/modules/indicators/indicators.schema';
import type {
  FigureDto as ServerFigureDto,
  RuleRef as ServerRuleRef,
  commitImport,
  historyOf,
  list,
  metrics,
  previewImport,
} from '../../../../server/src/modules/indicators/indicators.service';

export type IndicatorKind = ServerIndicatorKind;
export type RuleRef = Wire<ServerRuleRef>;

export type MetricsDto = Returned<typeof metrics>;
/** A metric some policy here uses, with the rules it feeds. */
export type RuledMetric = MetricsDto['targets' | 'funding'][number];
/** One entry of any of the three metric lists (otherTargets carry no rules). */
export type MetricInfo = RuledMetric | MetricsDto['otherTargets'][number];

export type FigureDto = Wire<ServerFigureDto>;
export type FigurePage = Returned<typeof list>;
export type HistoryDto = Returned<typeof historyOf>;
/** A history entry: a figure marked whether it is the one that counts. */
export type HistoryItem = HistoryDto['items'][number];

export type IndicatorPreview = Returned<typeof previewImport>;
export type IndicatorPreviewRow = IndicatorPreview['rows'][number];
export type IndicatorImportResult = Returned<typeof commitImport>;
