/** The report's 附表 and chart series, shared by the PDF, the workbook and the web preview's data. */
import { STATUS_LABELS } from '../policies/policy.status.js';
import { pct, type RegionReport } from './region-reports.service.js';

export interface AnnexTable {
  title: string;
  sheet: string;
  columns: { header: string; width: number }[];
  rows: string[][];
}

const n1 = (x: number) => String(Math.round(x * 10) / 10);

export function annexTables(r: RegionReport): AnnexTable[] {
  const years = r.trend.map((y) => y.year);
  const trendRules = r.rules.filter((x) => x.status !== 'notApplicable');
  return [
    {
      title: '附表1  各下级单位未完成情况',
      sheet: '附表1 下级单位未完成情况',
      columns: [
        { header: '单位', width: 16 },
        { header: '要求', width: 24 },
        { header: '评估对象', width: 8 },
        { header: '已达标', width: 8 },
        { header: '已逾期', width: 8 },
        { header: '临期', width: 7 },
        { header: '进行中', width: 8 },
        { header: '达标率', width: 9 },
        { header: '尚缺合计', width: 12 },
      ],
      rows: r.shortfalls.map((s) => [
        s.orgName,
        s.verdict ? `${s.ruleTitle}（${s.verdict}）` : s.ruleTitle,
        String(s.subjects),
        String(s.compliant),
        String(s.overdue),
        String(s.dueSoon),
        String(s.inProgress),
        pct(s.share),
        s.lacking === null ? '—' : `${n1(s.lacking)} ${s.unit}`,
      ]),
    },
    {
      title: '附表2  实施期各年指标情况（各年 12 月 31 日，当年为报告日）',
      sheet: '附表2 各年指标',
      columns: [{ header: '要求', width: 28 }, ...years.map((y) => ({ header: `${y}年`, width: 12 }))],
      rows: [
        ['教师全部达标比例', ...r.trend.map((y) => pct(y.teachersShare))],
        ...trendRules.map((x) => [
          x.title,
          ...r.trend.map((y) => {
            const p = y.rules[x.id];
            if (!p) return '—';
            if (p.share !== null) return pct(p.share);
            if (p.done !== null) return `${n1(p.done)} ${x.unit}（${STATUS_LABELS[p.status]}）`;
            return STATUS_LABELS[p.status];
          }),
        ]),
      ],
    },
    {
      title: '附表3  已采取的措施（平台记录）',
      sheet: '附表3 已采取的措施',
      columns: [
        { header: '措施', width: 14 },
        { header: '内容', width: 30 },
        { header: '数量', width: 10 },
        { header: '涉及人数', width: 10 },
      ],
      rows: [
        ...r.actions.reminders.map((a) => ['截止提醒', a.ruleTitle, `${a.reminders} 条`, `${a.recipients} 人`]),
        ...r.actions.projects.map((p) => ['培训项目', `${p.label}类`, `${p.projects} 个`, `${p.teachers} 人`]),
      ],
    },
    {
      title: '附表4  各项要求完成情况',
      sheet: '附表4 各项要求',
      columns: [
        { header: '要求', width: 22 },
        { header: '类型', width: 8 },
        { header: '标准', width: 12 },
        { header: '完成情况', width: 34 },
        { header: '状态', width: 8 },
        { header: '依据', width: 18 },
      ],
      rows: r.rules.map((x) => [x.title, x.kindLabel, x.requirement, x.figure, x.statusLabel, x.cite]),
    },
  ];
}

/** The chart: per plan year, the share of teachers meeting every rule and of up to four rules with a share. */
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
