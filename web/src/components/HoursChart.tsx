import { lazy, Suspense } from 'react';
import type { HoursSummaryRow, HoursYear } from '../api/types';
import { CATEGORIES, label } from '../vocab';
import type { ChartOption } from './Chart';
import { EmptyState, PageLoading } from './Status';
import { useIsMobile } from '../hooks';

// echarts is big: it loads with the first chart, not with the app.
const Chart = lazy(() => import('./Chart'));

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Categories that actually occur, in the vocabulary's order, then any unknown ones. */
export function usedCategories(maps: Record<string, number>[]): string[] {
  const seen = new Set(maps.flatMap((m) => Object.keys(m).filter((k) => m[k])));
  return [...Object.keys(CATEGORIES).filter((c) => seen.has(c)), ...[...seen].filter((c) => !(c in CATEGORIES))];
}

/** Average hours per teacher of each child row, stacked by training category. */
export function SummaryChart({ rows, height = 340, onPick }: { rows: HoursSummaryRow[]; height?: number; onPick?: (row: HoursSummaryRow) => void }) {
  const mobile = useIsMobile();
  if (!rows.some((r) => r.totalHours)) return <EmptyState text="该年度暂无学时数据" />;
  const cats = usedCategories(rows.map((r) => r.byCategory));
  // On a phone the bars lie down: names on the left, one per line, instead of overlapping under narrow columns.
  const names = { type: 'category' as const, data: rows.map((r) => r.name) };
  const value = { type: 'value' as const, name: '人均学时' };
  const option: ChartOption = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, type: 'scroll' },
    // top leaves room for the legend above the y-axis name
    grid: { left: 8, right: mobile ? 24 : 16, bottom: 8, top: mobile ? 40 : 64, containLabel: true },
    xAxis: mobile
      ? { ...value, nameLocation: 'middle', nameGap: 24, axisLabel: { hideOverlap: true } }
      : { ...names, axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0, width: 90, overflow: 'truncate' } },
    yAxis: mobile ? { ...names, inverse: true, axisLabel: { interval: 0, width: 96, overflow: 'truncate' } } : value,
    dataZoom: !mobile && rows.length > 15 ? [{ type: 'slider', start: 0, end: Math.round((15 / rows.length) * 100), height: 16, bottom: 0 }] : undefined,
    series: cats.length
      ? cats.map((c) => ({
          type: 'bar' as const,
          name: label(CATEGORIES, c),
          stack: 'avg',
          emphasis: { focus: 'series' as const },
          barMaxWidth: 64,
          data: rows.map((r) => (r.teachers ? round1((r.byCategory[c] ?? 0) / r.teachers) : 0)),
        }))
      : [{ type: 'bar' as const, name: '人均学时', barMaxWidth: 64, data: rows.map((r) => round1(r.avgHours)) }],
  };
  return (
    <Suspense fallback={<PageLoading />}>
      <Chart
        option={option}
        height={mobile ? Math.max(height, 80 + rows.length * 26) : height}
        testId="hours-chart"
        onBarClick={onPick ? (i) => rows[i] && onPick(rows[i]) : undefined}
      />
    </Suspense>
  );
}

/** One teacher's hours per year, stacked by category. */
export function YearsChart({ years, height = 240 }: { years: HoursYear[]; height?: number }) {
  if (!years.length) return <EmptyState text="暂无学时记录" />;
  const sorted = [...years].sort((a, b) => a.year - b.year);
  const cats = usedCategories(sorted.map((y) => y.byCategory));
  const option: ChartOption = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 8, bottom: 8, top: 60, containLabel: true },
    xAxis: { type: 'category', data: sorted.map((y) => `${y.year}年`) },
    yAxis: { type: 'value', name: '学时' },
    series: cats.map((c) => ({
      type: 'bar' as const,
      name: label(CATEGORIES, c),
      stack: 'h',
      barMaxWidth: 48,
      data: sorted.map((y) => round1(y.byCategory[c] ?? 0)),
    })),
  };
  return (
    <Suspense fallback={<PageLoading />}>
      <Chart option={option} height={height} testId="years-chart" />
    </Suspense>
  );
}
