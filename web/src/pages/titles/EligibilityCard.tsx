import { Alert, Card, List, Space, Tag, Typography } from 'antd';
import type { CycleHours, TitleEligibility } from './types';

const hoursLine = (c: CycleHours) => `${c.window ?? ''}：完成 ${c.done ?? 0} 学时${c.required !== null ? ` / 要求 ${c.required} 学时` : ''}（${c.ruleTitle}）`;

/** 可申报 / 还差 …: every failing reason with its figure and citation, the hours of the judged and current cycles. */
export function EligibilityCard({ e }: { e: TitleEligibility }) {
  return (
    <Card
      size="small"
      data-testid="title-eligibility"
      title={
        <Space wrap>
          <span>{e.targetLabel ? `申报${e.targetLabel}` : '职称申报'}</span>
          {e.eligible ? <Tag color="green">可申报</Tag> : <Tag color="orange">还差 {e.reasons.length} 项</Tag>}
        </Space>
      }
    >
      <Typography.Paragraph>
        现职称：{e.titleLabel}
        {e.titleDate ? `（${e.titleDate} 起）` : ''}　基准日：{e.asOf}
      </Typography.Paragraph>
      {e.eligible ? (
        <Alert type="success" showIcon message={`截至 ${e.asOf}，符合申报${e.targetLabel ?? ''}的各项条件`} />
      ) : (
        <List
          size="small"
          header={<b>还差：</b>}
          dataSource={e.reasons}
          renderItem={(r) => (
            <List.Item>
              <Space orientation="vertical" size={2}>
                <Typography.Text>{r.message}</Typography.Text>
                {r.cite ? <Typography.Text type="secondary">依据：{r.cite}</Typography.Text> : null}
              </Space>
            </List.Item>
          )}
        />
      )}
      {e.lastCycle.length || e.currentCycle.length ? (
        <Typography.Paragraph style={{ marginTop: 12 }}>
          {e.lastCycle.map((c) => (
            <span key={`l${c.ruleTitle}`}>
              已结束周期 {hoursLine(c)}
              <br />
            </span>
          ))}
          {e.currentCycle.map((c) => (
            <span key={`c${c.ruleTitle}`}>
              本周期 {hoursLine(c)}
              <br />
            </span>
          ))}
        </Typography.Paragraph>
      ) : null}
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }} ellipsis={{ rows: 2, expandable: true, symbol: '展开' }}>
        规则来源：{e.source}
        {e.assumptions.length ? `；平台假定：${e.assumptions.join('；')}` : ''}
      </Typography.Paragraph>
    </Card>
  );
}
