import type { ReactNode } from 'react';
import { Card, List, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { ComplianceRuleSummary } from '../../api/types';
import { useIsMobile } from '../../hooks';
import { Cite, requirementText, SUBJECT_LABELS } from './parts';
import { CountsCell, NoteCell, RuleDetail, ShareCell } from './RuleCells';

/** 各规则达标情况: one row per rule (a list on phones); picking a rule drives the charts and the drill-down below. */
export default function RulesCard({
  rules,
  ruleId,
  policyTitle,
  atSchool,
  controls,
  onRule,
}: {
  rules: ComplianceRuleSummary[];
  ruleId: string | undefined;
  policyTitle: string;
  atSchool: boolean;
  controls: ReactNode;
  onRule: (id: string) => void;
}) {
  const mobile = useIsMobile();
  const ruleColumns: TableColumnsType<ComplianceRuleSummary> = [
    {
      title: '规则',
      key: 'title',
      width: 320,
      render: (_, r) => (
        <div>
          <Typography.Text strong>{r.title}</Typography.Text>
          <div style={{ marginTop: 4 }}>
            <Space size={6} wrap>
              <Tag color="blue">{r.kindLabel}</Tag>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                对象：{SUBJECT_LABELS[r.subject]}
              </Typography.Text>
              <Cite cite={r.cite} source={policyTitle} />
            </Space>
          </div>
        </div>
      ),
    },
    { title: '要求', key: 'req', width: 110, render: (_, r) => requirementText(r) },
    { title: '达标率', key: 'share', width: 170, render: (_, r) => <ShareCell rule={r} /> },
    { title: '已达标 / 未达标 / 临期 / 进行中', key: 'counts', width: 200, render: (_, r) => <CountsCell rule={r} /> },
    { title: '说明', key: 'note', render: (_, r) => <NoteCell rule={r} /> },
  ];

  return (
    <Card title="各规则达标情况" size={mobile ? 'small' : undefined} extra={!mobile && controls}>
      {mobile && <div style={{ marginBottom: 8 }}>{controls}</div>}
      {mobile ? (
        <List
          dataSource={rules}
          data-testid="rules-table"
          renderItem={(r) => (
            <List.Item
              key={r.id}
              onClick={() => onRule(r.id)}
              style={{ display: 'block', cursor: 'pointer', background: r.id === ruleId ? '#e6f4ff' : undefined, padding: '10px 8px' }}
            >
              <Typography.Text strong>{r.title}</Typography.Text>
              <div style={{ margin: '4px 0' }}>
                <Space size={6} wrap>
                  <Tag color="blue">{r.kindLabel}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    要求 {requirementText(r)}
                  </Typography.Text>
                  <Cite cite={r.cite} source={policyTitle} />
                </Space>
              </div>
              <ShareCell rule={r} />
              <CountsCell rule={r} />
              <div style={{ fontSize: 12 }}>
                <NoteCell rule={r} />
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Table<ComplianceRuleSummary>
          rowKey="id"
          size="small"
          dataSource={rules}
          columns={ruleColumns}
          pagination={false}
          scroll={{ x: 900 }}
          expandable={{ expandedRowRender: (r) => <RuleDetail rule={r} /> }}
          onRow={(r) => ({ onClick: () => onRule(r.id), style: { cursor: 'pointer', background: r.id === ruleId ? '#e6f4ff' : undefined } })}
          data-testid="rules-table"
        />
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        点击一条规则，下方图表和{atSchool ? '教师' : '下级单位'}列表即按该规则显示；点击“出处”查看政策原文。
      </Typography.Text>
    </Card>
  );
}
