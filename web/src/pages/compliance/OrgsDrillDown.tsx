import { Card, List, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { ComplianceOrgChild, ComplianceRuleSummary } from '../../api/types';
import { EmptyState } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { countsText, OutcomeBar, pct, STATUS_COLORS, StatusTag, SUBJECT_UNITS } from './parts';
import { SharePercent } from './RuleCells';

/** The drill-down above a school: the child orgs by the chosen rule, and each one's weakest rule. */
export default function OrgsDrillDown({
  orgs: orgChildren,
  rules,
  ruleId,
  onRule,
  onOrg,
}: {
  orgs: ComplianceOrgChild[];
  rules: ComplianceRuleSummary[];
  ruleId: string | undefined;
  onRule: (id: string) => void;
  onOrg: (id: number) => void;
}) {
  const mobile = useIsMobile();
  const rule = rules.find((r) => r.id === ruleId);
  const orgColumns: TableColumnsType<ComplianceOrgChild> = [
    {
      title: '单位',
      dataIndex: 'name',
      width: 200,
      fixed: 'left',
      render: (v: string, c) => (
        <Typography.Link onClick={() => onOrg(c.id)} data-testid="child-org">
          {v}
        </Typography.Link>
      ),
    },
    {
      title: rule ? `达标率（${rule.title}）` : '达标率',
      key: 'share',
      width: 220,
      sorter: (a, b) => (a.totals[ruleId ?? '']?.share ?? -1) - (b.totals[ruleId ?? '']?.share ?? -1),
      render: (_, c) => {
        const t = ruleId ? c.totals[ruleId] : undefined;
        const res = ruleId ? c.results[ruleId] : undefined;
        if (t && t.share !== null) return <SharePercent share={t.share} />;
        if (res) return <StatusTag status={res.status} behind={res.pace?.behind} />;
        if (t && t.inProgress + t.dueSoon + t.compliant > 0) return <OutcomeBar totals={t} />;
        if (t?.noData) return <Tag>暂无数据</Tag>;
        return <Typography.Text type="secondary">不适用</Typography.Text>;
      },
    },
    {
      title: '各结果人数',
      key: 'counts',
      width: 220,
      render: (_, c) => {
        const t = ruleId ? c.totals[ruleId] : undefined;
        if (!t?.subjects) return '—';
        return countsText(t, rule ? SUBJECT_UNITS[rule.subject] : '');
      },
    },
    {
      title: '达标率最低的规则',
      key: 'lowest',
      render: (_, c) => {
        const worst = rules
          .map((r) => ({ r, s: c.totals[r.id]?.share ?? null }))
          .filter((x) => x.s !== null)
          .sort((a, b) => (a.s as number) - (b.s as number))[0];
        return worst ? (
          <Typography.Link onClick={() => onRule(worst.r.id)}>
            {worst.r.title}：{pct(worst.s)}
          </Typography.Link>
        ) : (
          '—'
        );
      },
    },
  ];

  return (
    <Card size={mobile ? 'small' : undefined} title="下级单位">
      {mobile ? (
        <List
          dataSource={orgChildren}
          data-testid="children-table"
          locale={{ emptyText: <EmptyState text="没有下级单位" /> }}
          renderItem={(c) => {
            const t = ruleId ? c.totals[ruleId] : undefined;
            return (
              <List.Item key={c.id} style={{ display: 'block' }}>
                <Typography.Link onClick={() => onOrg(c.id)} data-testid="child-org">
                  {c.name}
                </Typography.Link>
                {t && t.share !== null ? (
                  <SharePercent share={t.share} />
                ) : t && t.inProgress + t.dueSoon + t.compliant > 0 ? (
                  <div>
                    <Tag color={STATUS_COLORS.inProgress}>未到截止日期</Tag>
                    <OutcomeBar totals={t} />
                  </div>
                ) : (
                  <div>
                    <Typography.Text type="secondary">{t?.noData ? '暂无数据' : '不适用'}</Typography.Text>
                  </div>
                )}
                {t && t.subjects > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {countsText(t)}
                  </Typography.Text>
                )}
              </List.Item>
            );
          }}
        />
      ) : (
        <Table<ComplianceOrgChild>
          rowKey="id"
          size="small"
          dataSource={orgChildren}
          columns={orgColumns}
          scroll={{ x: 760 }}
          pagination={orgChildren.length > 30 ? { pageSize: 30 } : false}
          locale={{ emptyText: <EmptyState text="没有下级单位" /> }}
          onRow={(c) => ({ onDoubleClick: () => onOrg(c.id) })}
          data-testid="children-table"
        />
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        点击单位名称或柱形，查看该单位{orgChildren.some((c) => c.kind === 'school') ? '（学校可看到每位教师）' : ''}。
      </Typography.Text>
    </Card>
  );
}
