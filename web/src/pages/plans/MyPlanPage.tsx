import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { api, apiUrl, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { LoadError } from '../../components/Status';
import { chinaYear } from '../../china-time';
import { BUDGET_CATEGORIES, ITEM_KINDS, STATUS_COLOR, itemText, type Filing, type PlanItem } from './plan-types';

/**
 * 年度计划 (issue 14 item 5): a school (or a sub-bureau, for its own plan) files its 年度计划 and 培训年度计划 for a year
 * with the bureau above — the documents and the structured items — sees the status and a return's reason, and files
 * the revised plan as a new version. Every version stays listed.
 */

interface Mine {
  unit: { id: number; name: string };
  reviewer: { id: number; name: string } | null;
  year: number;
  deadline: string;
  rulesSource: string;
  cite: { title?: string; section: string; text: string }[];
  status: 'missing' | 'submitted' | 'returned' | 'accepted';
  statusLabel: string;
  late: boolean;
  daysLeft: number;
  canFile: boolean;
  versions: Filing[];
}

interface Uploaded {
  fileId: number;
  originalName: string;
}

function FileInput({ testId, value, onChange }: { testId: string; value: Uploaded | null; onChange: (f: Uploaded | null) => void }) {
  const { message } = App.useApp();
  const up = useMutation({
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file, file.name);
      return api.post<Uploaded>('/plans/files', fd);
    },
    onSuccess: (f) => onChange(f),
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Space wrap>
      <input
        type="file"
        accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
        data-testid={testId}
        onChange={(ev) => {
          const f = ev.target.files?.[0];
          if (f) up.mutate(f);
        }}
      />
      {up.isPending && <Spin size="small" />}
      {value && (
        <Tag color="green" data-testid={`${testId}-done`}>
          已上传：{value.originalName}
        </Tag>
      )}
    </Space>
  );
}

function FilingForm({ year, version, onDone }: { year: number; version: number; onDone: () => void }) {
  const { message } = App.useApp();
  const [planFile, setPlanFile] = useState<Uploaded | null>(null);
  const [trainingFile, setTrainingFile] = useState<Uploaded | null>(null);
  const [form] = Form.useForm<{ note?: string; items?: PlanItem[] }>();
  const file = useMutation({
    mutationFn: (v: { note?: string; items?: PlanItem[] }) =>
      api.post('/plans', {
        year,
        planFileId: planFile?.fileId,
        trainingFileId: trainingFile?.fileId ?? null,
        note: v.note?.trim() || null,
        items: (v.items ?? []).map((i) =>
          i.kind === 'budget'
            ? { kind: i.kind, title: i.title, category: i.category, amount: i.amount }
            : i.kind === 'hoursTarget'
              ? { kind: i.kind, title: i.title, targetPercent: i.targetPercent }
              : { kind: i.kind, title: i.title, projectId: i.projectId ?? null },
        ),
      }),
    onSuccess: () => {
      message.success('年度计划已报送');
      form.resetFields();
      setPlanFile(null);
      setTrainingFile(null);
      void invalidate(['plans']);
      onDone();
    },
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Card title={version > 1 ? `修改后重新报送（第 ${version} 版）` : '报送年度计划'} size="small" data-testid="plan-form">
      <Form form={form} layout="vertical" onFinish={(v) => (planFile ? file.mutate(v) : message.error('请先上传年度计划文件'))}>
        <Form.Item label="年度计划（实施方案）文件" required>
          <FileInput testId="plan-file" value={planFile} onChange={setPlanFile} />
        </Form.Item>
        <Form.Item label="培训年度计划文件（可选）">
          <FileInput testId="training-file" value={trainingFile} onChange={setTrainingFile} />
        </Form.Item>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Typography.Text strong>计划条目（培训项目、经费预算、学时目标）</Typography.Text>
              {fields.map((f, i) => (
                <Space key={f.key} wrap align="start" data-testid={`plan-item-${i}`}>
                  <Form.Item name={[f.name, 'kind']} rules={[{ required: true, message: '请选择类型' }]} initialValue="project">
                    <Select style={{ width: 120 }} options={Object.entries(ITEM_KINDS).map(([value, label]) => ({ value, label }))} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'title']} rules={[{ required: true, message: '请填写名称' }]}>
                    <Input placeholder="名称 / 说明" style={{ width: 260 }} maxLength={100} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => {
                      const kind = form.getFieldValue(['items', f.name, 'kind']);
                      if (kind === 'budget')
                        return (
                          <Space>
                            <Form.Item name={[f.name, 'category']} rules={[{ required: true, message: '请选择类别' }]}>
                              <Select placeholder="类别" style={{ width: 110 }} options={BUDGET_CATEGORIES.map((c) => ({ value: c, label: c }))} />
                            </Form.Item>
                            <Form.Item name={[f.name, 'amount']} rules={[{ required: true, message: '请填写金额' }]}>
                              <InputNumber min={0} max={1_000_000_000} placeholder="金额（元）" style={{ width: 140 }} />
                            </Form.Item>
                          </Space>
                        );
                      if (kind === 'hoursTarget')
                        return (
                          <Form.Item name={[f.name, 'targetPercent']} rules={[{ required: true, message: '请填写目标比例' }]}>
                            <InputNumber min={1} max={100} placeholder="达标教师比例 %" style={{ width: 160 }} />
                          </Form.Item>
                        );
                      return (
                        <Form.Item name={[f.name, 'projectId']}>
                          <InputNumber min={1} placeholder="关联项目编号（可选）" style={{ width: 180 }} />
                        </Form.Item>
                      );
                    }}
                  </Form.Item>
                  <Button onClick={() => remove(f.name)}>删除</Button>
                </Space>
              ))}
              <Button onClick={() => add({ kind: 'project' })} data-testid="plan-add-item">
                添加条目
              </Button>
            </Space>
          )}
        </Form.List>
        <Form.Item name="note" label="说明" style={{ marginTop: 16 }}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={file.isPending}>
          报送
        </Button>
      </Form>
    </Card>
  );
}

export function VersionsTable({ versions }: { versions: Filing[] }) {
  return (
    <Table<Filing>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={versions}
      data-testid="plan-versions"
      expandable={{
        expandedRowRender: (v) =>
          v.items.length ? (
            <ul style={{ margin: 0 }}>
              {v.items.map((i) => (
                <li key={i.position}>{itemText(i)}</li>
              ))}
            </ul>
          ) : (
            '无结构化条目'
          ),
      }}
      columns={[
        { title: '版本', dataIndex: 'version', render: (v: number) => `第 ${v} 版` },
        { title: '报送日期', dataIndex: 'submittedOn' },
        { title: '报送人', dataIndex: 'submittedBy' },
        {
          title: '文件',
          render: (_, v) => (
            <Space orientation="vertical" size={0}>
              <a href={apiUrl(`/plans/files/${v.planFileId}`)}>{v.planFileName}</a>
              {v.trainingFileId && <a href={apiUrl(`/plans/files/${v.trainingFileId}`)}>{v.trainingFileName}</a>}
            </Space>
          ),
        },
        {
          title: '审核',
          render: (_, v) =>
            v.decision ? (
              <Space orientation="vertical" size={0}>
                <Tag color={STATUS_COLOR[v.decision]}>{v.decision === 'accepted' ? '已通过' : '已退回'}</Tag>
                {v.reason && <Typography.Text type="secondary">原因：{v.reason}</Typography.Text>}
                <Typography.Text type="secondary">
                  {v.decidedBy} {v.decidedAt?.slice(0, 10)}
                </Typography.Text>
              </Space>
            ) : (
              <Tag color="blue">待审核</Tag>
            ),
        },
      ]}
    />
  );
}

export default function MyPlanPage() {
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year')) || chinaYear();
  const q = useQuery({ queryKey: ['plans', 'mine', { year }], queryFn: () => api.get<Mine>('/plans/mine', { year }) });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const m = q.data;
  const latest = m?.versions[0];
  return (
    <Card
      title="年度计划报送"
      data-testid="my-plan"
      extra={
        <Select
          value={year}
          style={{ width: 120 }}
          onChange={(y) => setParams({ year: String(y) })}
          options={[chinaYear() - 1, chinaYear(), chinaYear() + 1].map((y) => ({ value: y, label: `${y} 年度` }))}
        />
      }
    >
      {!m ? (
        <Spin />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label="报送单位">{m.unit.name}</Descriptions.Item>
            <Descriptions.Item label="报送给">{m.reviewer?.name ?? '（无上级教育局）'}</Descriptions.Item>
            <Descriptions.Item label="截止日期">
              {m.deadline}
              {m.status === 'missing' && m.daysLeft >= 0 && `（还有 ${m.daysLeft} 天）`}
            </Descriptions.Item>
            <Descriptions.Item label="状态">
              <Tag color={STATUS_COLOR[m.status]} data-testid="plan-status">
                {m.statusLabel}
              </Tag>
              {m.late && <Tag color="red">{m.status === 'missing' ? '已逾期' : '逾期报送'}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label="依据" span={2}>
              {m.cite[0] ? `《${m.cite[0].title ?? ''}》${m.cite[0].section}：${m.cite[0].text}` : m.rulesSource}
            </Descriptions.Item>
          </Descriptions>
          {m.status === 'returned' && latest?.reason && (
            <Alert
              type="warning"
              showIcon
              message="计划被退回，请修改后重新报送"
              description={<span data-testid="plan-return-reason">退回原因：{latest.reason}</span>}
            />
          )}
          {!m.reviewer && <Alert type="info" message="本单位没有上级教育局，无需报送年度计划。" />}
          {m.canFile && <FilingForm year={year} version={(latest?.version ?? 0) + 1} onDone={() => undefined} />}
          {m.versions.length > 0 && <VersionsTable versions={m.versions} />}
        </Space>
      )}
    </Card>
  );
}
