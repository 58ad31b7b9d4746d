import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, Col, List, Progress, Row, Segmented, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { LedgerEntry, TeacherHours } from '../api/types';
import { useIsMobile } from '../hooks';
import { CATEGORIES, label, LEDGER_SOURCES } from '../vocab';
import { YearsChart, usedCategories } from './HoursChart';
import { EmptyState } from './Status';
import { dateTime } from '../format';

const fmt = (n: number) => String(Math.round(n * 10) / 10);

/** Hours of one year per category, as bars relative to the year's total. */
export function CategoryBreakdown({ byCategory }: { byCategory: Record<string, number> }) {
  const cats = usedCategories([byCategory]);
  const total = cats.reduce((s, c) => s + (byCategory[c] ?? 0), 0);
  if (!cats.length) return <Typography.Text type="secondary">暂无学时</Typography.Text>;
  return (
    <div data-testid="category-breakdown">
      {cats.map((c) => (
        <div key={c} style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          <span style={{ width: 72, flex: 'none', fontSize: 13 }}>{label(CATEGORIES, c)}</span>
          <Progress percent={total ? Math.round(((byCategory[c] ?? 0) / total) * 100) : 0} showInfo={false} size="small" style={{ flex: 1, margin: 0 }} />
          <span style={{ width: 56, flex: 'none', textAlign: 'right', fontSize: 13 }}>{fmt(byCategory[c] ?? 0)} 学时</span>
        </div>
      ))}
    </div>
  );
}

/** Where an entry came from, in words. */
function sourceText(e: LedgerEntry): React.ReactNode {
  const src = label(LEDGER_SOURCES, e.sourceType);
  if (e.reversesId)
    return (
      <span>
        冲销{e.projectName ? `：${e.projectName}` : ''}
        {e.reason ? `（原因：${e.reason}）` : ''}
      </span>
    );
  if (e.projectId && e.projectName)
    return (
      <span>
        {src}：{e.projectName}
      </span>
    );
  const detail = e.description || e.sourceRef || '';
  // School-based descriptions already start with '校本研修：'; don't say it twice.
  if (detail.startsWith(src)) return <span>{detail}</span>;
  return (
    <span>
      {src}
      {detail ? `：${detail}` : ''}
    </span>
  );
}

function EntryState({ e }: { e: LedgerEntry }) {
  if (e.reversesId)
    return (
      <Tooltip title={e.reason ?? undefined}>
        <Tag color="orange">冲销记录</Tag>
      </Tooltip>
    );
  if (e.reversedById) return <Tag>已冲销</Tag>;
  return null;
}

/**
 * A teacher's hours ledger: years with category breakdown, then the year's entries with their sources.
 * `onReverse` (admins with hours.correct) adds a 冲销 action on entries that can still be reversed.
 */
export default function HoursLedger({
  data,
  onReverse,
  linkProjects = false,
}: {
  data: TeacherHours;
  onReverse?: (e: LedgerEntry) => void;
  linkProjects?: boolean;
}) {
  const mobile = useIsMobile();
  const years = useMemo(() => [...data.years].sort((a, b) => b.year - a.year), [data.years]);
  const [picked, setPicked] = useState<number | null>(null);
  const year = picked ?? years[0]?.year ?? null;
  const y = years.find((x) => x.year === year);
  const entries = data.entries.filter((e) => year !== null && e.occurredOn.startsWith(String(year)));
  const allTotal = years.reduce((s, x) => s + x.total, 0);

  if (!years.length && !data.entries.length) return <EmptyState text="暂无学时记录" />;

  const columns = [
    { title: '日期', dataIndex: 'occurredOn', width: 110 },
    {
      title: '学时',
      dataIndex: 'hours',
      width: 80,
      align: 'right' as const,
      render: (h: number) => <b style={{ color: h < 0 ? '#cf1322' : undefined }}>{fmt(h)}</b>,
    },
    { title: '类别', dataIndex: 'category', width: 100, render: (c: string) => <Tag color="blue">{label(CATEGORIES, c)}</Tag> },
    {
      title: '来源',
      key: 'source',
      render: (_: unknown, e: LedgerEntry) => (linkProjects && e.projectId ? <Link to={`/projects/${e.projectId}`}>{sourceText(e)}</Link> : sourceText(e)),
    },
    {
      title: '认定人',
      dataIndex: 'recognisedByName',
      width: 110,
      render: (v: string | null, e: LedgerEntry) =>
        v ? <Tooltip title={e.recognisedAt ? `认定于 ${dateTime(e.recognisedAt)}` : undefined}>{v}</Tooltip> : '—',
    },
    { title: '状态', key: 'state', width: 90, render: (_: unknown, e: LedgerEntry) => <EntryState e={e} /> },
    ...(onReverse
      ? [
          {
            title: '操作',
            key: 'op',
            width: 80,
            render: (_: unknown, e: LedgerEntry) =>
              !e.reversesId && !e.reversedById ? (
                <Button size="small" type="link" danger onClick={() => onReverse(e)} data-testid={`reverse-${e.id}`}>
                  冲销
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Row gutter={[12, 12]}>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic title="累计学时（全部年度）" value={fmt(allTotal)} suffix="学时" />
          </Card>
        </Col>
        {/* One year is already told by the cards below; the chart earns its space from two years on. */}
        {(!mobile || years.length > 1) && (
          <Col xs={24} md={16}>
            <Card size="small">
              <YearsChart years={years} height={mobile ? 180 : 200} />
            </Card>
          </Col>
        )}
      </Row>
      {years.length > 0 && (
        // Several years do not fit a phone's width: scroll the switch, not the page.
        <div style={{ maxWidth: '100%', overflowX: 'auto' }}>
          <Segmented
            value={year ?? undefined}
            onChange={(v) => setPicked(Number(v))}
            options={years.map((x) => ({ value: x.year, label: `${x.year}年 · ${fmt(x.total)} 学时` }))}
            data-testid="year-switch"
          />
        </div>
      )}
      {y && (
        <Card size="small" title={`${y.year}年 分类学时`}>
          <CategoryBreakdown byCategory={y.byCategory} />
        </Card>
      )}
      {mobile ? (
        <Card size="small" title={`${year ?? ''}年 学时明细`} styles={{ body: { padding: '0 12px' } }}>
          <List
            dataSource={entries}
            locale={{ emptyText: <EmptyState text="该年度暂无学时记录" /> }}
            renderItem={(e) => (
              <List.Item
                key={e.id}
                extra={
                  // The unit under the number, so a phone's narrow column still reads "3 学时".
                  <div style={{ textAlign: 'center', lineHeight: 1.2 }}>
                    <b style={{ fontSize: 16, color: e.hours < 0 ? '#cf1322' : undefined }}>{fmt(e.hours)}</b>
                    <div style={{ fontSize: 12, color: '#8c8c8c' }}>学时</div>
                  </div>
                }
              >
                <List.Item.Meta
                  title={
                    <Space size={4}>
                      <Tag color="blue">{label(CATEGORIES, e.category)}</Tag>
                      <EntryState e={e} />
                    </Space>
                  }
                  description={
                    <span>
                      {e.occurredOn} · {sourceText(e)}
                    </span>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
      ) : (
        <Table<LedgerEntry>
          size="small"
          rowKey="id"
          dataSource={entries}
          columns={columns}
          pagination={entries.length > 20 ? { pageSize: 20 } : false}
          locale={{ emptyText: <EmptyState text="该年度暂无学时记录" /> }}
          data-testid="ledger-table"
        />
      )}
    </Space>
  );
}
