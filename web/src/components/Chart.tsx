import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, TitleComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption, TitleComponentOption, DataZoomComponentOption } from 'echarts/components';

// Register only what the pages draw, so the echarts chunk stays small.
echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, TitleComponent, DataZoomComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | TitleComponentOption | DataZoomComponentOption
>;

/** An echarts chart; `onBarClick` receives the clicked category index. */
export default function Chart({
  option,
  height = 320,
  onBarClick,
  testId,
}: {
  option: ChartOption;
  height?: number;
  onBarClick?: (index: number) => void;
  testId?: string;
}) {
  return (
    <div data-testid={testId}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge
        style={{ height, width: '100%' }}
        onEvents={onBarClick ? { click: (p: { dataIndex: number }) => onBarClick(p.dataIndex) } : undefined}
      />
    </div>
  );
}
