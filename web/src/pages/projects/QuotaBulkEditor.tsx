import { useState } from 'react';
import { Alert, App, Button, Input, InputNumber, Modal, Segmented, Space, Table, Typography, Upload } from 'antd';
import { CalculatorOutlined, SnippetsOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { LoadError, PageLoading } from '../../components/Status';
import { parsePastedQuotas, SPLIT_METHODS, type SplitMethod, type SplitView } from './organiser-types';
import type { QuotaRow } from './workflow-types';

type Unit = SplitView['items'][number];

/**
 * 批量分配名额: every unit directly below the allocator in one table with an input per row. The quotas can be
 * typed, pasted from Excel (two columns 单位, 名额) or computed from a total — evenly, by teachers, or by teachers
 * who still need this training — with whole numbers that sum to the total, shown as a preview before saving.
 */
export default function QuotaBulkEditor({
  projectId,
  mode,
  own,
  budget,
  onDone,
}: {
  projectId: number;
  mode: 'top' | 'sub';
  /** The allocations this allocator made so far (kept for orgs that are not direct units). */
  own: QuotaRow[];
  budget: number | null;
  onDone: (saved: boolean) => void;
}) {
  const { message, modal } = App.useApp();
  const units = useQuery({
    queryKey: ['projects', projectId, 'quotas', 'units', mode],
    queryFn: () => api.get<SplitView>(`/projects/${projectId}/quotas/split`, { mode, method: 'teachers', total: 0 }),
  });
  const [values, setValues] = useState<Record<number, number>>(() => Object.fromEntries(own.map((r) => [r.orgId, r.quota])));
  const [needing, setNeeding] = useState<Record<number, number> | null>(null);
  const [total, setTotal] = useState<number | null>(budget ?? null);
  const [method, setMethod] = useState<SplitMethod>('teachers');
  const [computing, setComputing] = useState(false);
  const [previewed, setPreviewed] = useState<string | null>(null);
  const [pasting, setPasting] = useState(false);
  const [pasted, setPasted] = useState('');
  const [saving, setSaving] = useState(false);

  if (units.isPending) return <PageLoading />;
  if (units.error) return <LoadError error={units.error} onRetry={() => void units.refetch()} />;
  const list: Unit[] = units.data.items;
  const usedBy = new Map(own.map((r) => [r.orgId, r.used]));
  const sum = list.reduce((n, u) => n + (values[u.orgId] ?? 0), 0) + own.filter((r) => !list.some((u) => u.orgId === r.orgId)).reduce((n, r) => n + r.quota, 0);

  const compute = async () => {
    if (total === null || total < 0) return void message.warning('请先填写要分配的名额总数');
    setComputing(true);
    try {
      const r = await api.get<SplitView>(`/projects/${projectId}/quotas/split`, { mode, method, total });
      setValues((v) => ({ ...v, ...Object.fromEntries(r.items.map((x) => [x.orgId, x.quota])) }));
      if (method === 'needing') setNeeding(Object.fromEntries(r.items.map((x) => [x.orgId, x.needing ?? 0])));
      setPreviewed(`${r.methodLabel}：共 ${r.total} 人，已填入下表（预览，保存后生效）`);
    } catch (e) {
      modal.error({ title: '未能计算', content: errorText(e) });
    } finally {
      setComputing(false);
    }
  };

  /** Quotas read from a paste or a file: filled into the table, unreadable lines listed. */
  const fill = (r: { items: { orgId: number; quota: number }[]; problems: string[] }) => {
    setValues((v) => ({ ...v, ...Object.fromEntries(r.items.map((x) => [x.orgId, x.quota])) }));
    if (r.problems.length)
      modal.warning({
        title: `已填入 ${r.items.length} 个单位，${r.problems.length} 行未能识别`,
        content: (
          <ul style={{ paddingLeft: 18 }}>
            {r.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ),
      });
    else message.success(`已填入 ${r.items.length} 个单位的名额`);
  };
  const applyPaste = () => {
    fill(
      parsePastedQuotas(
        pasted,
        list.map((u) => ({ orgId: u.orgId, orgName: u.orgName })),
      ),
    );
    setPasting(false);
    setPasted('');
  };
  const importSheet = async (file: File) => {
    const fd = new FormData();
    fd.append('file', file);
    try {
      fill(await api.post<{ items: { orgId: number; quota: number }[]; problems: string[] }>(`/projects/${projectId}/quotas/sheet?mode=${mode}`, fd));
    } catch (e) {
      modal.error({ title: '名额表未能读取', content: errorText(e) });
    }
  };

  const save = async () => {
    const items = [
      ...list.filter((u) => (values[u.orgId] ?? 0) > 0 || own.some((r) => r.orgId === u.orgId)).map((u) => ({ orgId: u.orgId, quota: values[u.orgId] ?? 0 })),
      // Allocations to orgs that are not direct units (made before) stay as they are.
      ...own.filter((r) => !list.some((u) => u.orgId === r.orgId)).map((r) => ({ orgId: r.orgId, quota: r.quota })),
    ];
    setSaving(true);
    try {
      await api.put(`/projects/${projectId}/quotas${mode === 'sub' ? '/sub' : ''}`, { items });
      message.success('名额已保存');
      void invalidate(['projects', projectId], ['projects', 'list'], ['nominations']);
      onDone(true);
    } catch (e) {
      modal.error({ title: '名额未保存', content: errorText(e) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="quota-bulk">
      <Space wrap>
        <Typography.Text>名额总数</Typography.Text>
        <InputNumber min={0} max={100000} precision={0} value={total} onChange={(v) => setTotal(v)} suffix="人" style={{ width: 120 }} aria-label="名额总数" />
        <Segmented<SplitMethod>
          value={method}
          onChange={setMethod}
          options={(Object.keys(SPLIT_METHODS) as SplitMethod[]).map((k) => ({ value: k, label: SPLIT_METHODS[k] }))}
          data-testid="split-method"
        />
        <Button icon={<CalculatorOutlined />} loading={computing} onClick={() => void compute()} data-testid="split-compute">
          按公式计算
        </Button>
        <Button icon={<SnippetsOutlined />} onClick={() => setPasting(true)} data-testid="quota-paste">
          从 Excel 粘贴
        </Button>
        <Upload
          accept=".xlsx,.csv"
          showUploadList={false}
          beforeUpload={(f) => {
            void importSheet(f);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} data-testid="quota-import">
            导入名额表
          </Button>
        </Upload>
      </Space>
      {previewed && <Alert type="info" showIcon title={previewed} data-testid="split-preview" />}
      <Table<Unit>
        rowKey="orgId"
        size="small"
        dataSource={list}
        pagination={list.length > 100 ? { pageSize: 100 } : false}
        columns={[
          { title: '单位', dataIndex: 'orgName' },
          { title: '在职教师', dataIndex: 'teachers', width: 90, align: 'right' },
          ...(needing
            ? [{ title: '仍需培训', key: 'needing', width: 90, align: 'right' as const, render: (_: unknown, u: Unit) => needing[u.orgId] ?? 0 }]
            : []),
          { title: '已使用', key: 'used', width: 80, align: 'right', render: (_: unknown, u) => usedBy.get(u.orgId) ?? 0 },
          {
            title: '名额',
            key: 'quota',
            width: 140,
            render: (_: unknown, u) => (
              <InputNumber
                min={0}
                max={100000}
                precision={0}
                value={values[u.orgId] ?? 0}
                onChange={(v) => setValues({ ...values, [u.orgId]: v ?? 0 })}
                suffix="人"
                style={{ width: 110 }}
                aria-label={`${u.orgName}名额`}
              />
            ),
          },
        ]}
        data-testid="quota-bulk-table"
      />
      <Typography.Paragraph type={budget !== null && sum > budget ? 'danger' : 'secondary'} style={{ margin: 0 }} data-testid="quota-bulk-sum">
        合计 {sum} 人{budget !== null ? `（${mode === 'top' ? '项目容量' : '可分配'} ${budget} 人）` : ''}
      </Typography.Paragraph>
      <Space>
        <Button type="primary" loading={saving} onClick={() => void save()} data-testid="quota-bulk-save">
          保存名额
        </Button>
        <Button onClick={() => onDone(false)}>取消</Button>
      </Space>
      <Modal title="从 Excel 粘贴名额" open={pasting} okText="填入" onOk={applyPaste} onCancel={() => setPasting(false)} destroyOnHidden>
        <Typography.Paragraph type="secondary">在 Excel 中选中“单位、名额”两列（可含表头）复制，粘贴到下面；单位名称须与下级单位一致。</Typography.Paragraph>
        <Input.TextArea rows={8} value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder={'单位\t名额\n某某小学\t5'} aria-label="粘贴内容" />
      </Modal>
    </Space>
  );
}
