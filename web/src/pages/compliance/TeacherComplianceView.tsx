import { useState } from 'react';
import { Alert, Button, Divider, Typography } from 'antd';
import type { ComplianceWorkItem, TeacherCompliance } from '../../api/types';
import { EmptyState } from '../../components/Status';
import { byUrgency, isOpen, RequirementItem, STATUS_LABELS } from './parts';

function Section({ title, hint, items, compact, testId }: { title: string; hint?: string; items: ComplianceWorkItem[]; compact?: boolean; testId: string }) {
  const [showMet, setShowMet] = useState(false);
  if (!items.length) return null;
  const sorted = [...items].sort(byUrgency);
  const open = sorted.filter((i) => i.status !== 'compliant');
  const met = sorted.filter((i) => i.status === 'compliant');
  // Met requirements fold away on a phone-sized card; the open ones are what the teacher came for.
  const shown = compact && !showMet ? open : sorted;
  return (
    <div data-testid={testId}>
      <Divider titlePlacement="start" style={{ margin: '8px 0 0' }}>
        <span style={{ fontSize: 14 }}>{title}</span>
        {hint && (
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal', marginInlineStart: 6 }}>
            {hint}
          </Typography.Text>
        )}
      </Divider>
      {shown.map((i) => (
        <RequirementItem key={`${i.policyId}-${i.ruleId}`} item={i} compact={compact} />
      ))}
      {compact && met.length > 0 && (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setShowMet(!showMet)}>
          {showMet ? '收起已达标的要求' : `已达标 ${met.length} 项，展开查看`}
        </Button>
      )}
    </div>
  );
}

/**
 * What a teacher still needs: this year's requirements, the multi-year cycle's, and standing ones
 * (credentials), each with progress, deadline and the seed's words on hover.
 */
export default function TeacherComplianceView({ data, compact }: { data: TeacherCompliance; compact?: boolean }) {
  const all = [...data.thisYear, ...data.thisCycle, ...data.standing];
  if (!all.length) return <EmptyState text="当前没有适用于您的政策要求" />;
  const open = all.filter((i) => isOpen(i.status));
  const n = (s: 'overdue' | 'dueSoon' | 'inProgress') => open.filter((i) => i.status === s).length;
  const breakdown = (['overdue', 'dueSoon', 'inProgress'] as const)
    .filter((s) => n(s))
    .map((s) => `${STATUS_LABELS[s]} ${n(s)} 项`)
    .join('，');
  const years = [...new Set(data.thisYear.map((i) => i.window).filter(Boolean))];
  // "今年" only when the yearly windows are this year's; a plan that has ended is judged on its last year.
  const yearTitle = years.every((y) => y === `${data.asOf.slice(0, 4)} 年`) ? '今年' : '年度要求';
  return (
    <div data-testid="teacher-compliance">
      {open.length ? (
        <Alert
          type={n('overdue') ? 'error' : n('dueSoon') ? 'warning' : 'info'}
          showIcon
          title={`还有 ${open.length} 项要求未完成（${breakdown}）`}
          description={
            compact
              ? n('overdue')
                ? undefined
                : '均未到截止日期'
              : `${n('overdue') ? '' : '均未到截止日期。'}依据：${data.policies.map((p) => p.title).join('；')}`
          }
          data-testid="outstanding"
        />
      ) : (
        <Alert type="success" showIcon title="各项要求均已达标" data-testid="outstanding" />
      )}
      <Section title={yearTitle} hint={years.length ? years.join('、') : undefined} items={data.thisYear} compact={compact} testId="section-year" />
      <Section title="本周期" hint="多年周期或实施期" items={data.thisCycle} compact={compact} testId="section-cycle" />
      <Section title="其他要求" hint="证书、资格等" items={data.standing} compact={compact} testId="section-standing" />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
        评估日期 {data.asOf}。将鼠标移到（手机上点按）要求名称上可查看政策原文。
      </Typography.Paragraph>
    </div>
  );
}
