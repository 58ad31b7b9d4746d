import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { DataZoomComponentOption, GridComponentOption, LegendComponentOption, MarkLineComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComplianceTrend } from '../../api/types';
import { EmptyState } from '../../components/Status';
import { shareColor } from './parts';

// This chunk loads with the dashboard only; it registers the line chart the shared Chart does not.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, DataZoomComponent, MarkLineComponent, CanvasRenderer]);

type Option = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | DataZoomComponentOption | MarkLineComponentOption
>;

const asPct = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

export interface ShareBar {
  name: string;
  share: number | null;
  /** Shown in the tooltip: '已达标 115 · 未达标 6 · 临期 3 · 进行中 27'. */
  detail: string;
}

/** Share compliant per bar (child orgs for one rule, or rules for one school); a click picks the bar. */
export function ShareBarChart({
  bars,
  height = 320,
  onPick,
  horizontal,
  testId,
}: {
  bars: ShareBar[];
  height?: number;
  onPick?: (index: number) => void;
  horizontal?: boolean;
  testId?: string;
}) {
  if (!bars.some((b) => b.share !== null)) return <EmptyState text="所选规则在下级单位暂无可比较的达标率" />;
  const cat = {
    type: 'category' as const,
    data: bars.map((b) => b.name),
    axisLabel: horizontal
      ? { width: 220, overflow: 'truncate' as const }
      : { interval: 0, rotate: bars.length > 6 ? 30 : 0, width: 96, overflow: 'truncate' as const },
  };
  const val = { type: 'value' as const, min: 0, max: 100, name: horizontal ? undefined : '达标率', axisLabel: { formatter: '{value}%' } };
  const option: Option = {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: unknown) => {
        const p = (ps as { dataIndex: number }[])[0];
        const b = bars[p.dataIndex];
        return `${b.name}<br/>达标率 ${b.share === null ? '暂无' : `${asPct(b.share)}%`}<br/>${b.detail}`;
      },
    },
    grid: { left: 8, right: horizontal ? 48 : 24, bottom: 8, top: horizontal ? 8 : 32, containLabel: true },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? { ...cat, inverse: true } : val,
    dataZoom: !horizontal && bars.length > 15 ? [{ type: 'slider', start: 0, end: Math.round((15 / bars.length) * 100), height: 16, bottom: 0 }] : undefined,
    series: [
      {
        type: 'bar',
        barMaxWidth: horizontal ? 18 : 56,
        data: bars.map((b) => ({ value: asPct(b.share) ?? 0, itemStyle: { color: shareColor(b.share) } })),
        label: {
          show: true,
          position: horizontal ? 'right' : 'top',
          formatter: (p: unknown) => {
            const b = bars[(p as { dataIndex: number }).dataIndex];
            return b.share === null ? '暂无' : `${asPct(b.share)}%`;
          },
        },
      },
    ],
  };
  return (
    <div data-testid={testId}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge
        style={{ height, width: '100%' }}
        onEvents={onPick ? { click: (p: { dataIndex: number }) => onPick(p.dataIndex) } : undefined}
      />
    </div>
  );
}

/** Share compliant over time: the selected rule, and the share of teachers meeting every rule. */
export function TrendChart({ trend, ruleId, ruleTitle, height = 280 }: { trend: ComplianceTrend; ruleId?: string; ruleTitle?: string; height?: number }) {
  if (!trend.points.length) return <EmptyState text="暂无趋势数据" />;
  const series: LineSeriesOption[] = [];
  if (ruleId)
    series.push({
      type: 'line',
      name: ruleTitle ?? ruleId,
      smooth: false,
      connectNulls: false,
      symbolSize: 8,
      data: trend.points.map((p) => asPct(p.rules[ruleId]?.share ?? null)),
    });
  series.push({ type: 'line', name: '各项均达标的教师', lineStyle: { type: 'dashed' }, symbolSize: 6, data: trend.points.map((p) => asPct(p.teachers.share)) });
  const option: Option = {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === null || v === undefined ? '暂无' : `${v as number}%`) },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 24, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: 'category', data: trend.points.map((p) => p.asOf), boundaryGap: false },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series,
  };
  return (
    <div data-testid="trend-chart">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height, width: '100%' }} />
    </div>
  );
}
