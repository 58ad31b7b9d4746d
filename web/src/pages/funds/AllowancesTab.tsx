import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Input, InputNumber, Space, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, apiUrl, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import { OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { PageLoading } from '../../components/Status';
import { chinaToday } from '../../china-time';
import type { AllowanceCheckDto, AllowanceGridDto } from './types';

const STATUS_COLOR: Record<string, string> = { ok: 'green', below: 'red', missing: 'orange', noMinimum: 'default', notHomeroom: 'default' };

/** 班主任津贴 (issue 14 item 8): a school's grid for a month (edit, Excel in/out) and the bureau's check. */
export default function AllowancesTab() {
  const { me } = useAuth();
  const bureau = me?.role === 'bureauAdmin';
  const { tree } = useOrgTree(me?.id);
  const [month, setMonth] = useState(chinaToday().subtract(1, 'month').format('YYYY-MM'));
  const [orgId, setOrgId] = useState<number | undefined>(undefined);
  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          disabledDate={(d) => d.isAfter(chinaToday(), 'month')}
          onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
          data-testid="allowance-month"
        />
        {bureau && <OrgTreeSelect tree={tree} value={orgId} onChange={setOrgId} schoolsOnly placeholder="选择学校查看津贴表" style={{ width: 260 }} />}
      </Space>
      {(!bureau || orgId) && <Grid orgId={orgId} month={month} />}
      {bureau && <Check month={month} />}
    </div>
  );
}

function Grid({ orgId, month }: { orgId?: number; month: string }) {
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['allowances', { orgId, month }], queryFn: () => api.get<AllowanceGridDto>('/allowances', { orgId, month }) });
  const [edits, setEdits] = useState<Record<number, number | null>>({});
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api.post<{ written: number }>('/allowances', {
        orgId,
        month,
        rows: Object.entries(edits)
          .filter(([, v]) => v !== null && v !== undefined)
          .map(([teacherId, v]) => ({ teacherId: Number(teacherId), amountYuan: String(v) })),
        reason: reason || undefined,
      }),
    onSuccess: async (r) => {
      message.success(`已保存 ${r.written} 人的津贴`);
      setEdits({});
      setReason('');
      await invalidate(['allowances']);
    },
    onError: (e) => message.error(errorText(e)),
  });
  const importFile = useMutation({
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file, file.name);
      return api.post<{ written: number }>('/allowances/import', fd, { query: { orgId, month, reason: reason || undefined } });
    },
    onSuccess: async (r) => {
      message.success(`已导入 ${r.written} 人的津贴`);
      await invalidate(['allowances']);
    },
    onError: (e) => message.error(errorText(e)),
  });
  if (q.error) return <Alert type="error" showIcon title={errorText(q.error)} />;
  if (!q.data) return <PageLoading />;
  const g = q.data;
  return (
    <div style={{ marginBottom: 16 }}>
      <Alert
        type={g.counts.below || g.counts.missing ? 'warning' : 'success'}
        showIcon
        style={{ marginBottom: 8 }}
        data-testid="allowance-counts"
        title={`${g.org.name} ${g.month}：班主任 ${g.counts.homeroom} 人，达标 ${g.counts.ok}，低于标准 ${g.counts.below}，未发放 ${g.counts.missing}`}
        description={`标准：小学 ${g.minimums.primary} 元/月、初中 ${g.minimums.junior} 元/月、高中（含职业学校）${g.minimums.senior} 元/月${g.cite ? `（${g.cite}）` : ''}`}
      />
      <Table
        size="small"
        rowKey="teacherId"
        dataSource={g.rows}
        pagination={{ pageSize: 50 }}
        data-testid="allowance-grid"
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '学段', dataIndex: 'stageLabel', width: 80 },
          { title: '班主任', dataIndex: 'homeroom', width: 80, render: (v: boolean) => (v ? '是' : '否') },
          { title: '标准（元/月）', dataIndex: 'minimumYuan', width: 120, render: (v: number | null) => v ?? '—' },
          {
            title: '津贴（元）',
            width: 150,
            render: (_: unknown, r) => (
              <InputNumber
                min={0}
                precision={2}
                value={r.teacherId in edits ? edits[r.teacherId] : r.amountYuan}
                onChange={(v) => setEdits((e) => ({ ...e, [r.teacherId]: v }))}
                data-testid={`allowance-amount-${r.teacherId}`}
              />
            ),
          },
          { title: '状态', dataIndex: 'status', width: 100, render: (v: string, r) => <Tag color={STATUS_COLOR[v]}>{r.statusLabel}</Tag> },
        ]}
      />
      <Space wrap>
        <Input placeholder="更改已登记金额时填写原因" value={reason} onChange={(e) => setReason(e.target.value)} style={{ width: 260 }} />
        <Button type="primary" disabled={!Object.keys(edits).length} loading={save.isPending} onClick={() => save.mutate()} data-testid="allowance-save">
          保存
        </Button>
        <Button icon={<DownloadOutlined />} href={apiUrl('/allowances/template', { orgId, month })} download>
          下载津贴表
        </Button>
        <Upload accept=".xlsx,.csv" showUploadList={false} beforeUpload={(f) => (importFile.mutate(f as File), false)}>
          <Button icon={<UploadOutlined />} loading={importFile.isPending}>
            导入津贴表
          </Button>
        </Upload>
      </Space>
    </div>
  );
}

function Check({ month }: { month: string }) {
  const q = useQuery({ queryKey: ['allowances', 'check', month], queryFn: () => api.get<AllowanceCheckDto>('/allowances/check', { month }) });
  if (q.error) return <Alert type="error" showIcon title={errorText(q.error)} />;
  if (!q.data) return <PageLoading />;
  return (
    <>
      <Typography.Title level={5}>津贴检查（{month}）：各校低于标准或未发放的班主任</Typography.Title>
      <Table
        size="small"
        rowKey="orgId"
        dataSource={q.data.schools}
        pagination={{ pageSize: 20 }}
        expandable={{
          rowExpandable: (s) => s.problems.length > 0,
          expandedRowRender: (s) => (
            <Table
              size="small"
              rowKey="teacherId"
              pagination={false}
              dataSource={s.problems}
              columns={[
                { title: '姓名', dataIndex: 'name' },
                { title: '学段', dataIndex: 'stageLabel' },
                { title: '津贴', dataIndex: 'amountYuan', render: (v: number | null) => (v === null ? '—' : `${v} 元`) },
                { title: '标准', dataIndex: 'minimumYuan', render: (v: number | null) => `${v} 元` },
                { title: '状态', dataIndex: 'statusLabel' },
              ]}
            />
          ),
        }}
        columns={[
          { title: '学校', dataIndex: 'name' },
          { title: '班主任', dataIndex: 'homeroom' },
          { title: '低于标准', dataIndex: 'below', render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0) },
          { title: '未发放', dataIndex: 'missing', render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0) },
        ]}
      />
    </>
  );
}
