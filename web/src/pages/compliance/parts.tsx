import type { ReactNode } from 'react';
import { Progress, Space, Tag, Tooltip, Typography } from 'antd';
import {
  CheckCircleFilled,
  ClockCircleOutlined,
  ExclamationCircleFilled,
  FieldTimeOutlined,
  InfoCircleOutlined,
  MinusCircleOutlined,
  QuestionCircleOutlined,
} from '@ant-design/icons';
import type { ComplianceResult, ComplianceStatus, ComplianceTotals, ComplianceWorkItem, PolicyRule, RuleCite, RuleSubject } from '../../api/types';
import { STATUS_COLORS, STATUS_HEX, STATUS_HINTS, STATUS_LABELS } from '../../../../server/src/modules/policies/policy.status';
import { citeLabel } from '../../../../server/src/modules/policies/policy.cite';

export { STATUS_COLORS, STATUS_HEX, STATUS_LABELS };

/** 0.7616 → '76.2%'; null → '—'. */
export function pct(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined) return '—';
  const f = 10 ** digits;
  return `${Math.round(share * 100 * f) / f}%`;
}

/** Numbers as people write them: at most one decimal. */
export const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(Math.round(n * 10) / 10));

export const SUBJECT_LABELS: Record<RuleSubject, string> = { teacher: '教师', school: '学校', county: '区县', region: '全区域', project: '培训项目' };
/** Counting word for each kind of subject: 人 / 所 / 个 / 项. */
export const SUBJECT_UNITS: Record<RuleSubject, string> = { teacher: '人', school: '所', county: '个', region: '项', project: '个' };

/** The colour of a share: green from 90 %, amber from 60 %, red below. */
export function shareColor(share: number | null | undefined): string {
  if (share === null || share === undefined) return '#bfbfbf';
  return share >= 0.9 ? '#52c41a' : share >= 0.6 ? '#faad14' : '#ff4d4f';
}

/** The text shown in the citation tooltip: 《plan》§section (never the seed's file name), then the seed's own words. */
export function CiteText({ cite, source }: { cite: RuleCite; source?: string }) {
  return (
    <div style={{ maxWidth: 420 }} data-testid="cite-text">
      <div style={{ opacity: 0.85, marginBottom: 4 }}>
        出处：{cite.title || !source ? citeLabel(cite) : citeLabel({ title: source, section: cite.section })}
      </div>
      <div>“{cite.text}”</div>
    </div>
  );
}

/**
 * The rule's source, on hover (and on tap, for phones): which plan, which section, and the seed's words.
 * With children, those become the trigger; otherwise a small 出处 icon.
 */
export function Cite({ cite, source, children }: { cite: RuleCite; source?: string; children?: ReactNode }) {
  return (
    <Tooltip title={<CiteText cite={cite} source={source} />} trigger={['hover', 'click']} placement="topLeft">
      {children ?? (
        <Typography.Link style={{ fontSize: 12, whiteSpace: 'nowrap' }} data-testid="cite" onClick={(e) => e.stopPropagation()}>
          <InfoCircleOutlined /> 出处 {cite.section}
        </Typography.Link>
      )}
    </Tooltip>
  );
}

const STATUS_ICONS: Record<ComplianceStatus, ReactNode> = {
  compliant: <CheckCircleFilled />,
  inProgress: <ClockCircleOutlined />,
  dueSoon: <FieldTimeOutlined />,
  overdue: <ExclamationCircleFilled />,
  noData: <QuestionCircleOutlined />,
  notApplicable: <MinusCircleOutlined />,
};

/** One result's outcome as a tag: 已达标 green, 进行中 blue, 临期 orange, 未达标 red (labels and colours from policy.status). */
export function StatusTag({ status, behind }: { status: ComplianceStatus; behind?: boolean }) {
  return (
    <Tooltip title={STATUS_HINTS[status]}>
      <Tag color={STATUS_COLORS[status]} icon={STATUS_ICONS[status]} data-testid="status-tag" data-status={status} style={{ cursor: 'help' }}>
        {STATUS_LABELS[status]}
        {status === 'inProgress' && behind ? '·落后进度' : ''}
      </Tag>
    </Tooltip>
  );
}

/** Not met yet: 进行中, 临期 or 未达标. */
export const isOpen = (s: ComplianceStatus) => s === 'inProgress' || s === 'dueSoon' || s === 'overdue';

/** '已达标 3 人 · 未达标 1 人 · 临期 1 人 · 进行中 2 人（落后进度 1）', the non-zero ones. */
export function countsText(t: ComplianceTotals, unit = ''): string {
  const parts = [
    t.compliant && `${STATUS_LABELS.compliant} ${t.compliant}${unit}`,
    t.overdue && `${STATUS_LABELS.overdue} ${t.overdue}${unit}`,
    t.dueSoon && `${STATUS_LABELS.dueSoon} ${t.dueSoon}${unit}`,
    t.inProgress && `${STATUS_LABELS.inProgress} ${t.inProgress}${unit}${t.behindPace ? `（落后进度 ${t.behindPace}）` : ''}`,
    t.noData && `${STATUS_LABELS.noData} ${t.noData}${unit}`,
  ].filter(Boolean);
  return parts.join(' · ') || '—';
}

/** The four outcomes of a rule's subjects as one stacked bar (green / red / orange / blue), for where a rate alone would hide the 进行中. */
export function OutcomeBar({ totals }: { totals: ComplianceTotals }) {
  const segments = (['compliant', 'overdue', 'dueSoon', 'inProgress'] as const).map((k) => ({ k, n: totals[k] })).filter((x) => x.n > 0);
  const sum = segments.reduce((a, b) => a + b.n, 0);
  if (!sum) return null;
  return (
    <Tooltip title={countsText(totals)}>
      <div style={{ display: 'flex', height: 6, borderRadius: 3, overflow: 'hidden', background: '#f0f0f0', marginTop: 4 }} data-testid="outcome-bar">
        {segments.map((x) => (
          <div key={x.k} style={{ width: `${(x.n / sum) * 100}%`, background: STATUS_HEX[x.k] }} data-status={x.k} />
        ))}
      </div>
    </Tooltip>
  );
}

/**
 * Why a rule reports no data when the server gave no single verdict to quote: the figure the seed
 * leaves open, or what data the rule waits for.
 */
export function noDataReason(rule: Pick<PolicyRule, 'kind' | 'openFigure'>, result?: ComplianceResult | null): string {
  // The server's text starts with 暂无数据：, which the tag next to it already says.
  if (result && result.status === 'noData' && result.explanation) return result.explanation.replace(/^暂无数据[：:]\s*/, '');
  if (rule.openFigure) return `原文未给出具体数字：${rule.openFigure}`;
  switch (rule.kind) {
    case 'funding':
      return '尚未录入经费数据（录入后自动计算）';
    case 'target':
      return '相关模块尚未提供统计数据（上线或录入后自动计算）';
    case 'participation':
      return '暂无可判定的培训考勤记录';
    case 'planContent':
      return '暂无可判定的培训方案';
    default:
      return '暂无可用于判定的数据';
  }
}

/** The required figure as a person reads it: '≥ 40 学时', '≥ 70%', or the seed's open wording. */
export function requirementText(rule: Pick<PolicyRule, 'atLeast' | 'unit' | 'openFigure' | 'kind'>): ReactNode {
  if (rule.kind === 'credential') return '取得规定等级或证书';
  if (rule.kind === 'planContent') return '每个培训方案';
  if (rule.atLeast === null) {
    if (rule.openFigure)
      return (
        <Tooltip title={rule.openFigure}>
          <Tag color="default" style={{ cursor: 'help' }}>
            原文未给数字
          </Tag>
        </Tooltip>
      );
    return '—';
  }
  if (rule.unit === '%') return `≥ ${Math.round(rule.atLeast * 1000) / 10}%`;
  return `≥ ${num(rule.atLeast)} ${rule.unit}`.trim();
}

/** A numeric requirement shows a progress bar; credentials and the like only a status. */
export function hasProgress(item: Pick<ComplianceResult, 'required' | 'done'> & { unit: string }): boolean {
  return item.required !== null && item.required > 0 && item.done !== null && item.unit !== '';
}

/** One requirement of one teacher, in plain Chinese: what, how far, by when, and the seed's words on hover. */
export function RequirementItem({ item, compact }: { item: ComplianceWorkItem; compact?: boolean }) {
  const progress = hasProgress(item);
  const percent = progress ? Math.min(100, Math.round(((item.done ?? 0) / (item.required ?? 1)) * 100)) : 0;
  const status = item.status === 'compliant' ? 'success' : item.status === 'overdue' ? 'exception' : 'normal';
  // The pace a linear progress through the window would have reached by now, as a second marker.
  const expected = progress && item.pace ? Math.min(100, Math.round((item.pace.expected / (item.required ?? 1)) * 100)) : undefined;
  return (
    <div data-testid="requirement" data-status={item.status} style={{ padding: compact ? '6px 0' : '10px 0' }}>
      <div style={{ display: 'flex', alignItems: 'flex-start', gap: 8, justifyContent: 'space-between' }}>
        <Cite cite={item.cite} source={item.policyTitle}>
          <Typography.Text strong style={{ cursor: 'help', borderBottom: '1px dashed #bbb' }} data-testid="requirement-title">
            {item.ruleTitle}
          </Typography.Text>
        </Cite>
        <span style={{ flex: 'none' }}>
          <StatusTag status={item.status} behind={item.pace?.behind} />
        </span>
      </div>
      {progress && (
        <Progress
          percent={expected !== undefined ? Math.max(percent, expected) : percent}
          success={expected !== undefined ? { percent, strokeColor: STATUS_HEX[item.status] } : undefined}
          strokeColor={expected !== undefined ? '#d9d9d9' : item.status === 'compliant' ? undefined : STATUS_HEX[item.status]}
          status={status}
          size="small"
          showInfo={false}
          style={{ margin: '4px 0 0' }}
          data-testid="requirement-progress"
        />
      )}
      <div style={{ marginTop: 2, fontSize: 13 }} data-testid="requirement-text">
        {progress && (
          <Typography.Text strong style={{ marginInlineEnd: 8, whiteSpace: 'nowrap', color: item.status === 'compliant' ? '#389e0d' : undefined }}>
            已完成 {num(item.done)}/{num(item.required)} {item.unit}
          </Typography.Text>
        )}
        {item.status !== 'compliant' && (
          <Typography.Text type={item.status === 'overdue' ? 'danger' : isOpen(item.status) ? undefined : 'secondary'}>{item.explanation}</Typography.Text>
        )}
      </div>
      <Space size={12} wrap style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)', marginTop: 2 }}>
        {item.window && <span>统计期：{item.window}</span>}
        {item.deadline && (
          <span style={item.status === 'overdue' ? { color: STATUS_HEX.overdue } : item.status === 'dueSoon' ? { color: STATUS_HEX.dueSoon } : undefined}>
            截止 {item.deadline}
            {isOpen(item.status) && item.daysLeft !== null && item.daysLeft >= 0 ? (item.daysLeft === 0 ? '（今天）' : `（剩余 ${item.daysLeft} 天）`) : ''}
          </span>
        )}
        {!compact && item.assumptions.length > 0 && (
          <Tooltip
            title={
              <ul style={{ margin: 0, paddingInlineStart: 16 }}>
                {item.assumptions.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            }
            trigger={['hover', 'click']}
          >
            <span style={{ cursor: 'help' }}>
              <InfoCircleOutlined /> 计算口径
            </span>
          </Tooltip>
        )}
      </Space>
    </div>
  );
}

const RANK: Record<ComplianceStatus, number> = { overdue: 0, dueSoon: 1, inProgress: 2, noData: 3, compliant: 4, notApplicable: 5 };

/** 未达标 first, then 临期, then 进行中 (behind pace before on pace), then no data, then met; each by deadline. */
export function byUrgency(a: ComplianceWorkItem, b: ComplianceWorkItem): number {
  return RANK[a.status] - RANK[b.status] || Number(!!b.pace?.behind) - Number(!!a.pace?.behind) || (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999');
}
