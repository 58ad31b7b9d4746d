import { writeXlsx } from '../../platform/excel.js';
import { citeLabel } from '../policies/policy.cite.js';
import { STATUS_LABELS, type Status } from '../policies/policy.status.js';
import type { SummaryDto } from './compliance.service.js';
import type { Totals } from './compliance.summary.js';

const pct = (x: number | null) => (x === null ? '' : `${Math.round(x * 1000) / 10}%`);

/** A teacher's unmet requirement, for the third sheet. */
export interface OpenRow {
  teacher: string;
  mask: string;
  org: string;
  rule: string;
  status: Status;
  text: string;
  deadline: string | null;
}

/**
 * Three sheets: 规则汇总, 下级单位 (or 教师 for a school), 待完成教师 (every unmet teacher requirement with its
 * outcome — 未达标, 临期 or 进行中 — most urgent first; masked 身份证号 only).
 */
export async function buildSummaryWorkbook(s: SummaryDto, open: OpenRow[]): Promise<Buffer> {
  const head = `${s.org.name}｜${s.policy.title}（第 ${s.policy.version} 版）｜截至 ${s.asOf}`;
  // Rules by their title and source (《plan》§section): no rule codes or seed file names in a sheet people read.
  const ruleRows = s.rules.map((r) => [
    r.title,
    r.kindLabel,
    r.atLeast === null ? `原文未定：${r.openFigure ?? ''}` : r.unit === '%' ? pct(r.atLeast) : `${r.atLeast} ${r.unit}`,
    r.totals.subjects,
    r.totals.compliant,
    r.totals.overdue,
    r.totals.dueSoon,
    r.totals.inProgress,
    r.totals.behindPace,
    r.totals.noData,
    pct(r.totals.share),
    r.result?.explanation ?? '',
    citeLabel(r.cite),
    r.cite.text,
  ]);
  const childSheet =
    s.children[0]?.type === 'teacher'
      ? {
          name: '教师',
          columns: [{ header: '姓名' }, { header: '身份证号（脱敏）', width: 24, text: true }, ...s.rules.map((r) => ({ header: r.title, width: 30 }))],
          rows: s.children.map((c) =>
            c.type === 'teacher'
              ? [
                  c.name,
                  c.nationalIdMask,
                  ...s.rules.map((r) => (c.results[r.id] ? `${STATUS_LABELS[c.results[r.id].status]}：${c.results[r.id].explanation}` : '')),
                ]
              : [],
          ),
        }
      : {
          name: '下级单位',
          columns: [{ header: '单位', width: 24 }, ...s.rules.map((r) => ({ header: `${r.title}（达标率）`, width: 22 }))],
          rows: s.children.map((c) =>
            c.type === 'org' ? [c.name, ...s.rules.map((r) => (c.totals[r.id] ? cell(c.totals[r.id], c.results[r.id]?.explanation) : ''))] : [],
          ),
        };
  return writeXlsx([
    {
      name: '规则汇总',
      columns: [
        { header: '规则', width: 36 },
        { header: '类型' },
        { header: '要求', width: 18 },
        { header: '评估对象数' },
        { header: STATUS_LABELS.compliant },
        { header: `${STATUS_LABELS.overdue}（已逾期）`, width: 14 },
        { header: STATUS_LABELS.dueSoon },
        { header: STATUS_LABELS.inProgress },
        { header: '其中落后进度', width: 12 },
        { header: STATUS_LABELS.noData },
        { header: '达标率（已到期）', width: 16 },
        { header: '说明', width: 50 },
        { header: '出处', width: 40 },
        { header: '原文', width: 60 },
      ],
      rows: [[head], ...ruleRows],
    },
    childSheet,
    {
      name: '待完成教师',
      columns: [
        { header: '姓名' },
        { header: '身份证号（脱敏）', width: 24, text: true },
        { header: '单位', width: 24 },
        { header: '规则', width: 36 },
        { header: '状态', width: 10 },
        { header: '说明', width: 60 },
        { header: '截止日期', width: 14 },
      ],
      rows: open.map((x) => [x.teacher, x.mask, x.org, x.rule, STATUS_LABELS[x.status], x.text, x.deadline ?? '']),
    },
  ]);
}

function cell(t: Totals, explanation?: string): string {
  if (explanation) return explanation;
  const open = t.dueSoon + t.inProgress ? `；${STATUS_LABELS.dueSoon} ${t.dueSoon}，${STATUS_LABELS.inProgress} ${t.inProgress}` : '';
  if (t.share === null) return t.noData && !open ? STATUS_LABELS.noData : `—（尚无到期${open}）`;
  return `${pct(t.share)}（${t.compliantDue}/${t.due}${open}）`;
}
