import { Link } from 'react-router-dom';
import { Card, Empty, List, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { ComplianceRuleSummary, ComplianceTeacherChild } from '../../api/types';
import { EmptyState } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { label, STAGES } from '../../vocab';
import { Cite, isOpen, STATUS_COLORS, STATUS_LABELS, StatusTag } from './parts';

/** The drill-down at a school: its teachers, the chosen rule's outcome and what each has not yet completed. */
export default function TeachersDrillDown({
  teachers,
  rules,
  ruleId,
  policyTitle,
  onlyShort,
  onOnlyShort,
}: {
  teachers: ComplianceTeacherChild[];
  rules: ComplianceRuleSummary[];
  ruleId: string | undefined;
  policyTitle: string;
  onlyShort: boolean;
  onOnlyShort: (onlyShort: boolean) => void;
}) {
  const mobile = useIsMobile();
  const rule = rules.find((r) => r.id === ruleId);
  const shortOf = (c: ComplianceTeacherChild) => rules.filter((r) => c.results[r.id] && isOpen(c.results[r.id].status));
  const teachersShown = onlyShort ? teachers.filter((c) => shortOf(c).length > 0) : teachers;
  const teacherColumns: TableColumnsType<ComplianceTeacherChild> = [
    {
      title: '教师',
      dataIndex: 'name',
      width: 100,
      fixed: 'left',
      render: (v: string, c) => (
        <Link to={`/compliance/teachers/${c.id}`} data-testid="child-teacher">
          {v}
        </Link>
      ),
    },
    {
      title: '身份证号',
      dataIndex: 'nationalIdMask',
      width: 170,
      responsive: ['lg'],
      render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span>,
    },
    { title: '学段 / 学科', key: 'ss', width: 130, render: (_, c) => `${label(STAGES, c.stage)} · ${c.subjects.join('、') || '—'}` },
    {
      title: rule ? `所选规则：${rule.title}` : '所选规则',
      key: 'rule',
      width: 130,
      render: (_, c) => {
        const r = ruleId ? c.results[ruleId] : undefined;
        if (!r) return '—';
        return (
          <Tooltip title={r.explanation}>
            <Tag color={STATUS_COLORS[r.status]} style={{ cursor: 'help' }} data-testid="teacher-rule-status" data-status={r.status}>
              {STATUS_LABELS[r.status]}
            </Tag>
          </Tooltip>
        );
      },
    },
    {
      title: '未完成的要求',
      key: 'short',
      render: (_, c) => {
        const s = shortOf(c);
        if (!s.length) return <Tag color="green">各项均达标</Tag>;
        return (
          <ul style={{ margin: 0, paddingInlineStart: 16 }} data-testid="teacher-shortfalls">
            {s.map((r) => (
              <li key={r.id}>
                <StatusTag status={c.results[r.id].status} behind={c.results[r.id].pace?.behind} />
                <Cite cite={r.cite} source={policyTitle}>
                  <span style={{ cursor: 'help' }}>{c.results[r.id].explanation}</span>
                </Cite>
              </li>
            ))}
          </ul>
        );
      },
    },
  ];

  return (
    <Card
      size={mobile ? 'small' : undefined}
      title={`本校教师（${teachers.length} 人）`}
      extra={
        <Segmented
          value={onlyShort ? 'short' : 'all'}
          onChange={(v) => onOnlyShort(v === 'short')}
          options={[
            { value: 'short', label: '只看未完成' },
            { value: 'all', label: '全部教师' },
          ]}
        />
      }
    >
      {mobile ? (
        <List
          dataSource={teachersShown}
          data-testid="teachers-table"
          pagination={teachersShown.length > 20 ? { pageSize: 20, size: 'small' } : false}
          locale={{ emptyText: <EmptyState text={onlyShort ? '没有未完成要求的教师' : '暂无教师'} /> }}
          renderItem={(c) => (
            <List.Item key={c.id} style={{ display: 'block' }}>
              <Space>
                <Link to={`/compliance/teachers/${c.id}`} data-testid="child-teacher">
                  {c.name}
                </Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {label(STAGES, c.stage)} · {c.subjects.join('、') || '—'}
                </Typography.Text>
              </Space>
              {shortOf(c).length ? (
                <ul style={{ margin: '4px 0 0', paddingInlineStart: 16, fontSize: 13 }} data-testid="teacher-shortfalls">
                  {shortOf(c).map((r) => (
                    <li key={r.id}>
                      <StatusTag status={c.results[r.id].status} behind={c.results[r.id].pace?.behind} />
                      {c.results[r.id].explanation}
                    </li>
                  ))}
                </ul>
              ) : (
                <div>
                  <Tag color="green">各项均达标</Tag>
                </div>
              )}
            </List.Item>
          )}
        />
      ) : (
        <Table<ComplianceTeacherChild>
          rowKey="id"
          size="small"
          dataSource={teachersShown}
          columns={teacherColumns}
          scroll={{ x: 800 }}
          pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (t) => `共 ${t} 人` }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={onlyShort ? '没有未完成要求的教师' : '暂无教师'} /> }}
          data-testid="teachers-table"
        />
      )}
    </Card>
  );
}
