import { Progress, Space, Tag, Tooltip, Typography } from 'antd';
import type { ComplianceRuleSummary } from '../../api/types';
import { citeLabel } from '../../../../server/src/modules/policies/policy.cite';
import { noDataReason, OutcomeBar, shareColor, STATUS_COLORS, STATUS_HEX, STATUS_LABELS, StatusTag, SUBJECT_LABELS, SUBJECT_UNITS } from './parts';

// What the 合规看板 shows of one rule: its 达标率, counts by outcome, what they mean, and the rule's detail.

/** A rule that judges nothing at this level (a region target seen from a county, …). */
export const inapplicable = (r: ComplianceRuleSummary) => r.totals.subjects === 0 && (!r.result || r.result.status === 'notApplicable');

/** A 达标率 (0–1) as a small bar with its percentage. */
export function SharePercent({ share }: { share: number }) {
  return <Progress percent={Math.round(share * 1000) / 10} size="small" strokeColor={shareColor(share)} format={(p) => `${p}%`} />;
}

/**
 * One rule's figures: the 达标率 over the subjects whose deadline has been reached, with the 进行中 / 临期
 * ones shown apart (a stacked bar of the four outcomes); before any deadline, 未到截止日期 and the bar.
 */
export function ShareCell({ rule }: { rule: ComplianceRuleSummary }) {
  const t = rule.totals;
  const pending = t.inProgress + t.dueSoon;
  if (t.share !== null)
    return (
      <div style={{ minWidth: 140 }} data-testid="rule-share">
        <SharePercent share={t.share} />
        {pending > 0 && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="rule-pending">
            另有 {pending}
            {SUBJECT_UNITS[rule.subject]}未到截止日期
          </Typography.Text>
        )}
      </div>
    );
  if (pending > 0 || (t.compliant > 0 && t.due === 0))
    return (
      <div style={{ minWidth: 140 }} data-testid="rule-share">
        <Tooltip title="达标率只计截止日期已到的对象；本规则尚无到期对象，进行中和临期的对象不计为未达标">
          <Tag color={STATUS_COLORS.inProgress} style={{ cursor: 'help' }} data-testid="rule-not-due">
            未到截止日期
          </Tag>
        </Tooltip>
        <OutcomeBar totals={t} />
      </div>
    );
  if (t.noData > 0 || rule.result?.status === 'noData')
    return (
      <Tooltip title={noDataReason(rule, rule.result)}>
        <Tag style={{ cursor: 'help' }} data-testid="rule-nodata">
          暂无数据
        </Tag>
      </Tooltip>
    );
  return <Typography.Text type="secondary">不适用</Typography.Text>;
}

export function CountsCell({ rule }: { rule: ComplianceRuleSummary }) {
  const t = rule.totals;
  const u = SUBJECT_UNITS[rule.subject];
  if (!t.subjects) return <Typography.Text type="secondary">—</Typography.Text>;
  const shown = (['compliant', 'overdue', 'dueSoon', 'inProgress', 'noData'] as const).filter((k) => t[k] > 0);
  return (
    <Space size={4} wrap style={{ fontSize: 13 }} data-testid="rule-counts">
      {shown.map((k) => (
        <span key={k} style={{ color: k === 'noData' ? '#8c8c8c' : STATUS_HEX[k] }} data-status={k}>
          {STATUS_LABELS[k]} {t[k]}
          {u}
          {k === 'inProgress' && t.behindPace ? `（落后进度 ${t.behindPace}）` : ''}
        </span>
      ))}
    </Space>
  );
}

/** What the numbers mean at this level: the single verdict, what is past its deadline, or why there is no data. */
export function NoteCell({ rule }: { rule: ComplianceRuleSummary }) {
  const t = rule.totals;
  const u = SUBJECT_UNITS[rule.subject];
  if (rule.result)
    return (
      <span data-testid="rule-explanation">
        <StatusTag status={rule.result.status} behind={rule.result.pace?.behind} /> {rule.result.explanation}
      </span>
    );
  if (t.subjects && t.noData === t.subjects) return <Typography.Text type="secondary">暂无数据：{noDataReason(rule)}</Typography.Text>;
  const parts: string[] = [];
  if (t.due) parts.push(`截止日期已到 ${t.due}${u}，其中达标 ${t.compliantDue}${u}`);
  if (t.dueSoon) parts.push(`临期 ${t.dueSoon}${u}（截止日期临近）`);
  if (t.inProgress) parts.push(`进行中 ${t.inProgress}${u}${t.behindPace ? `，其中 ${t.behindPace}${u}落后于进度` : ''}`);
  if (t.noData) parts.push(`${t.noData}${u}暂无数据（${noDataReason(rule)}）`);
  if (!t.subjects) parts.push('本级没有适用对象');
  return <Typography.Text type="secondary">{parts.join('；')}</Typography.Text>;
}

export function RuleDetail({ rule }: { rule: ComplianceRuleSummary }) {
  return (
    <div style={{ padding: '4px 8px' }}>
      <Typography.Paragraph style={{ marginBottom: 6 }}>
        <Typography.Text type="secondary">原文（{citeLabel(rule.cite)}）：</Typography.Text>“{rule.cite.text}”
      </Typography.Paragraph>
      {rule.openFigure && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 6 }}>
          原文未给出具体数字：{rule.openFigure}
        </Typography.Paragraph>
      )}
      {rule.assumptions.length > 0 && (
        <div style={{ marginBottom: 6 }}>
          <Typography.Text type="secondary">计算口径：</Typography.Text>
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {rule.assumptions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
      )}
      {rule.failing.length > 0 && (
        <div>
          <Typography.Text type="secondary">
            未完成的{SUBJECT_LABELS[rule.subject]}（{rule.failing.length >= 50 ? '最紧迫的 50 个' : `${rule.failing.length} 个`}）：
          </Typography.Text>
          <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="rule-failing">
            {rule.failing.map((f) => (
              <li key={`${f.subjectType}-${f.subjectId}`}>
                <StatusTag status={f.status} behind={f.pace?.behind} />
                <b>{f.name}</b>：{f.explanation}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
