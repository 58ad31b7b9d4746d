import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { RegionReport } from './report-api';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** The same series the PDF's 图1 draws: per plan year, teachers meeting every rule and up to four rules' 达标率. */
export function chartSeries(r: RegionReport): { years: number[]; series: { name: string; values: (number | null)[] }[] } {
  const years = r.trend.map((y) => y.year);
  const series: { name: string; values: (number | null)[] }[] = [];
  if (r.trend.some((y) => y.teachersShare !== null)) series.push({ name: '教师全部达标', values: r.trend.map((y) => y.teachersShare) });
  for (const x of r.rules) {
    if (series.length >= 5) break;
    const values = r.trend.map((y) => y.rules[x.id]?.share ?? null);
    if (values.some((v) => v !== null)) series.push({ name: x.title, values });
  }
  return { years, series };
}

export default function ReportTrendChart({ report }: { report: RegionReport }) {
  const { years, series } = chartSeries(report);
  if (!series.length) return null;
  return (
    <div data-testid="report-chart">
      <div style={{ textAlign: 'center', fontWeight: 500 }}>图1 实施期各年达标率</div>
      <ReactEChartsCore
        echarts={echarts}
        style={{ height: 300 }}
        option={{
          animation: false,
          tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : `${String(v)}%`) },
          legend: { bottom: 0, type: 'scroll' },
          grid: { left: 48, right: 16, top: 16, bottom: 56 },
          xAxis: { type: 'category', data: years.map((y) => `${y}年`) },
          yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
          series: series.map((s) => ({ type: 'bar', name: s.name, data: s.values.map((v) => (v === null ? null : Math.round(v * 1000) / 10)) })),
        }}
      />
    </div>
  );
}
