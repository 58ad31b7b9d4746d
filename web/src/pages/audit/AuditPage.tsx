import { useState } from 'react';
import { Button, DatePicker, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { api, apiUrl } from '../../api/client';
import PageCard from '../../components/PageCard';
import { LoadError } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS } from '../../../../server/src/modules/audit/audit-actions';
import { chinaTime } from '../security/types';
import ChainCheckButton from './ChainCheckButton';
import type { AuditEntry, AuditFilterValues, AuditPageData } from './types';

const ACTION_OPTIONS = Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label: `${label}（${value}）` }));
const ENTITY_OPTIONS = Object.entries(AUDIT_ENTITY_LABELS).map(([value, label]) => ({ value, label }));

interface FilterForm {
  range?: [Dayjs, Dayjs] | null;
  user?: string;
  action?: string;
  entity?: string;
  entityId?: string;
}

/**
 * 审计日志 (审计管理员): every recorded action in the auditor's subtree — filter by time, user, action and
 * record, page through, open one, export what is filtered (.xlsx, itself audited), and check the log's hash
 * chain for altered or removed rows. Reading only: nothing here changes the log.
 */
export default function AuditPage() {
  const mobile = useIsMobile();
  const [form] = Form.useForm<FilterForm>();
  const [filters, setFilters] = useState<AuditFilterValues>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [open, setOpen] = useState<AuditEntry | null>(null);
  const query = { ...filters, ...page };
  const list = useQuery({ queryKey: ['audit', 'list', query], queryFn: () => api.get<AuditPageData>('/audit', query), placeholderData: keepPreviousData });

  const apply = (v: FilterForm) => {
    setFilters({
      from: v.range?.[0]?.format('YYYY-MM-DD'),
      to: v.range?.[1]?.format('YYYY-MM-DD'),
      user: v.user?.trim() || undefined,
      action: v.action || undefined,
      entity: v.entity || undefined,
      entityId: v.entityId?.trim() || undefined,
    });
    setPage((p) => ({ ...p, page: 1 }));
  };

  return (
    <PageCard
      title="审计日志"
      testId="audit-page"
      actions={
        <>
          <ChainCheckButton />
          <Button icon={<DownloadOutlined />} href={apiUrl('/audit/export', { ...filters })} download data-testid="audit-export">
            导出 Excel
          </Button>
        </>
      }
    >
      <Form<FilterForm> form={form} layout={mobile ? 'vertical' : 'inline'} onFinish={apply} style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item name="range" label="时间">
          <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: mobile ? '100%' : 240 }} />
        </Form.Item>
        <Form.Item name="user" label="用户">
          <Input placeholder="用户名或姓名" allowClear style={{ width: mobile ? '100%' : 140 }} data-testid="audit-user" />
        </Form.Item>
        <Form.Item name="action" label="操作">
          <Select
            showSearch
            allowClear
            optionFilterProp="label"
            placeholder="全部操作"
            options={ACTION_OPTIONS}
            style={{ width: mobile ? '100%' : 220 }}
            data-testid="audit-action"
          />
        </Form.Item>
        <Form.Item name="entity" label="对象">
          <Select allowClear placeholder="全部" options={ENTITY_OPTIONS} style={{ width: mobile ? '100%' : 120 }} />
        </Form.Item>
        <Form.Item name="entityId" label="对象编号">
          <Input allowClear style={{ width: mobile ? '100%' : 100 }} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              查询
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                apply({});
              }}
            >
              重置
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<AuditEntry>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 980 }}
          data-testid="audit-table"
          onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
          locale={{ emptyText: '没有符合条件的记录' }}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (n) => `共 ${n} 条`,
            onChange: (p, s) => setPage({ page: s === page.pageSize ? p : 1, pageSize: s }),
          }}
          columns={[
            { title: '时间', dataIndex: 'at', width: 160, render: (v: string) => chinaTime(v, true) },
            { title: '用户', key: 'user', width: 170, render: (_, r) => (r.displayName ? `${r.displayName}（${r.username}）` : (r.username ?? '系统')) },
            { title: '单位', dataIndex: 'orgName', width: 160, ellipsis: true },
            {
              title: '操作',
              key: 'action',
              render: (_, r) => (
                <>
                  {r.actionLabel}
                  {r.reasonLabel && <Tag style={{ marginLeft: 6 }}>{r.reasonLabel}</Tag>}
                </>
              ),
            },
            { title: '对象', key: 'entity', width: 130, render: (_, r) => `${r.entityLabel}${r.entityId ? ` #${r.entityId}` : ''}` },
            { title: 'IP 地址', dataIndex: 'ip', width: 130 },
          ]}
        />
      )}
      <Drawer open={!!open} onClose={() => setOpen(null)} title="审计记录详情" size={mobile ? 'default' : 'large'} data-testid="audit-detail">
        {open && (
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="编号">{open.id}</Descriptions.Item>
            <Descriptions.Item label="时间">{chinaTime(open.at, true)}</Descriptions.Item>
            <Descriptions.Item label="用户">{open.displayName ? `${open.displayName}（${open.username}）` : (open.username ?? '系统')}</Descriptions.Item>
            <Descriptions.Item label="单位">{open.orgName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="操作">
              {open.actionLabel} <Typography.Text type="secondary">{open.action}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="对象">
              {open.entityLabel}
              {open.entityId ? ` #${open.entityId}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label="IP 地址">{open.ip ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="校验链">{open.seq ? `第 ${open.seq} 条` : '待封存（数秒内）'}</Descriptions.Item>
            <Descriptions.Item label="详情">
              <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>{JSON.stringify(open.detail, null, 2)}</pre>
            </Descriptions.Item>
          </Descriptions>
        )}
      </Drawer>
    </PageCard>
  );
}
