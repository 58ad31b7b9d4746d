import type { ReactNode } from 'react';
import { Progress, Space, Tag, Tooltip, Typography } from 'antd';
import {
  CheckCircleFilled,
  ClockCircleOutlined,
  ExclamationCircleFilled,
  InfoCircleOutlined,
  MinusCircleOutlined,
  QuestionCircleOutlined,
} from '@ant-design/icons';
import type { ComplianceResult, ComplianceStatus, ComplianceWorkItem, PolicyRule, RuleCite, RuleSubject } from '../../api/types';

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

export const STATUS_LABELS: Record<ComplianceStatus, string> = { compliant: '已达标', shortfall: '未达标', noData: '暂无数据', notApplicable: '不适用' };

/** The colour of a share: green from 90 %, amber from 60 %, red below. */
export function shareColor(share: number | null | undefined): string {
  if (share === null || share === undefined) return '#bfbfbf';
  return share >= 0.9 ? '#52c41a' : share >= 0.6 ? '#faad14' : '#ff4d4f';
}

/** The text shown in the citation tooltip: file · section, then the seed's own words. */
export function CiteText({ cite, source }: { cite: RuleCite; source?: string }) {
  return (
    <div style={{ maxWidth: 420 }} data-testid="cite-text">
      <div style={{ opacity: 0.85, marginBottom: 4 }}>
        出处：{source ? `${source} · ` : ''}
        {cite.file ? `${cite.file} · ` : ''}
        {cite.section}
      </div>
      <div>“{cite.text}”</div>
    </div>
  );
}

/**
 * The rule's source, on hover (and on tap, for phones): which seed file, which section, and the seed's words.
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

/** One result's status as a tag; a shortfall past its deadline says so. */
export function StatusTag({ status, overdue }: { status: ComplianceStatus; overdue?: boolean }) {
  switch (status) {
    case 'compliant':
      return (
        <Tag color="success" icon={<CheckCircleFilled />}>
          已达标
        </Tag>
      );
    case 'shortfall':
      return overdue ? (
        <Tag color="error" icon={<ExclamationCircleFilled />}>
          未达标·已过期
        </Tag>
      ) : (
        <Tag color="warning" icon={<ClockCircleOutlined />}>
          未完成
        </Tag>
      );
    case 'noData':
      return <Tag icon={<QuestionCircleOutlined />}>暂无数据</Tag>;
    default:
      return <Tag icon={<MinusCircleOutlined />}>不适用</Tag>;
  }
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
  const status = item.status === 'compliant' ? 'success' : item.overdue ? 'exception' : 'active';
  return (
    <div data-testid="requirement" data-status={item.status} style={{ padding: compact ? '6px 0' : '10px 0' }}>
      <div style={{ display: 'flex', alignItems: 'flex-start', gap: 8, justifyContent: 'space-between' }}>
        <Cite cite={item.cite} source={item.policyTitle}>
          <Typography.Text strong style={{ cursor: 'help', borderBottom: '1px dashed #bbb' }} data-testid="requirement-title">
            {item.ruleTitle}
          </Typography.Text>
        </Cite>
        <span style={{ flex: 'none' }}>
          <StatusTag status={item.status} overdue={item.overdue} />
        </span>
      </div>
      {progress && <Progress percent={percent} status={status} size="small" showInfo={false} style={{ margin: '4px 0 0' }} />}
      <div style={{ marginTop: 2, fontSize: 13 }} data-testid="requirement-text">
        {progress && (
          <Typography.Text strong style={{ marginInlineEnd: 8, whiteSpace: 'nowrap', color: item.status === 'compliant' ? '#389e0d' : undefined }}>
            已完成 {num(item.done)}/{num(item.required)} {item.unit}
          </Typography.Text>
        )}
        {item.status !== 'compliant' && <Typography.Text type={item.status === 'shortfall' ? undefined : 'secondary'}>{item.explanation}</Typography.Text>}
      </div>
      <Space size={12} wrap style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)', marginTop: 2 }}>
        {item.window && <span>统计期：{item.window}</span>}
        {item.deadline && <span style={item.overdue && item.status === 'shortfall' ? { color: '#ff4d4f' } : undefined}>截止 {item.deadline}</span>}
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

/** Shortfalls first (earliest deadline first), then no-data, then met. */
export function byUrgency(a: ComplianceWorkItem, b: ComplianceWorkItem): number {
  const rank = { shortfall: 0, noData: 1, compliant: 2, notApplicable: 3 } as const;
  return rank[a.status] - rank[b.status] || (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999');
}
