import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Empty, Form, Input, List, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { LoadError, PageLoading } from '../../components/Status';
import { useFormSubmit, useIsMobile } from '../../hooks';
import { chinaYear } from '../../china-time';

/** GET /teachers/:id/integrity and /my/integrity (server: integrity.service.ts integrityRecord). */
export interface IntegrityRecordDto {
  teacher: { id: number; name: string; orgName: string };
  sanctions:
    | {
        id: number;
        kindLabel: string;
        decidedOn: string;
        validFrom: string;
        validUntil: string | null;
        decisionNo: string | null;
        reason: string;
        decidedByOrgName: string;
        state: string;
        stateLabel: string;
        revokedReason: string | null;
      }[]
    | null;
  sanctionsNote: string | null;
  appraisals: { id: number; year: number; resultLabel: string; note: string | null; recordedByOrgName: string; superseded: boolean }[];
  pledges: { id: number; kindLabel: string; signedOn: string; note: string | null; recordedByOrgName: string; voided: boolean }[];
  honours: { id: number; title: string; levelLabel: string; awardedOn: string; awardingOrg: string; voided: boolean }[];
}

const STATE_COLORS: Record<string, string> = { inForce: 'red', future: 'orange', ended: 'default', revoked: 'default', superseded: 'default' };
const term = (from: string, until: string | null) => `${from} 至 ${until ?? '长期'}`;
const day = (d: Dayjs | undefined) => d?.format('YYYY-MM-DD');

/**
 * 诚信档案 of one teacher: sanctions (bureau and the teacher only), 师德考核 per year, 承诺书 / 入职宣誓 and
 * honours. `canRecord` shows the recording buttons (school and bureau admins); the server checks the veto.
 */
export function IntegrityRecordView({ path, canRecord = false }: { path: string; canRecord?: boolean }) {
  const mobile = useIsMobile();
  const { data, isPending, error, refetch } = useQuery({
    queryKey: path.split('/').filter(Boolean),
    queryFn: () => api.get<IntegrityRecordDto>(path),
  });
  if (isPending) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  const size = mobile ? 'small' : undefined;
  return (
    <Space orientation="vertical" size={mobile ? 12 : 16} style={{ width: '100%' }}>
      <Card size={size} title="处理与处分">
        {data.sanctions === null ? (
          <Typography.Text type="secondary">{data.sanctionsNote}</Typography.Text>
        ) : data.sanctions.length === 0 ? (
          <Empty description="无处理或处分记录" />
        ) : (
          <List
            dataSource={data.sanctions}
            renderItem={(s) => (
              <List.Item>
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <span>{s.kindLabel}</span>
                      <Tag color={STATE_COLORS[s.state]}>{s.stateLabel}</Tag>
                    </Space>
                  }
                  description={
                    <Space orientation="vertical" size={2}>
                      <span>
                        期限：{term(s.validFrom, s.validUntil)}（{s.decidedOn} 决定{s.decisionNo ? `，${s.decisionNo}` : ''}，{s.decidedByOrgName}）
                      </span>
                      <span>事由：{s.reason}</span>
                      {s.revokedReason ? <span>撤销原因：{s.revokedReason}</span> : null}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size={size} title="师德考核" extra={canRecord ? <AppraisalButton teacherId={data.teacher.id} /> : null}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={data.appraisals}
          locale={{ emptyText: '暂无考核结果' }}
          columns={[
            { title: '年度', dataIndex: 'year', width: 80 },
            {
              title: '结果',
              key: 'r',
              render: (_, a) => (a.superseded ? <Typography.Text delete>{a.resultLabel}（已更正）</Typography.Text> : a.resultLabel),
            },
            ...(mobile ? [] : [{ title: '记录单位', dataIndex: 'recordedByOrgName' }]),
            { title: '备注', dataIndex: 'note', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>
      <Card size={size} title="师德承诺与入职宣誓" extra={canRecord ? <PledgeButton teacherId={data.teacher.id} /> : null}>
        <List
          locale={{ emptyText: '暂无记录' }}
          dataSource={data.pledges}
          renderItem={(p) => (
            <List.Item>
              {p.signedOn} {p.kindLabel}
              {p.note ? `（${p.note}）` : ''} <Typography.Text type="secondary">{p.recordedByOrgName}</Typography.Text>
            </List.Item>
          )}
        />
      </Card>
      <Card size={size} title="荣誉（先进典型）" extra={canRecord ? <HonourButton teacherId={data.teacher.id} /> : null}>
        <List
          locale={{ emptyText: '暂无记录' }}
          dataSource={data.honours}
          renderItem={(h) => (
            <List.Item>
              {h.awardedOn} {h.title}（{h.levelLabel}，{h.awardingOrg}）
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}

function RecordModal<V>({ label, title, onSave, children }: { label: string; title: string; onSave: (v: V) => Promise<unknown>; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit<V>(form, async (v) => {
    await onSave(v);
    message.success('已记录');
    setOpen(false);
    form.resetFields();
  });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal open={open} title={title} onCancel={() => setOpen(false)} onOk={() => form.submit()} okText="保存" confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v as V)}>
          {children}
        </Form>
      </Modal>
    </>
  );
}

const refresh = () => invalidate(['teachers'], ['my']);

function AppraisalButton({ teacherId }: { teacherId: number }) {
  const year = chinaYear();
  return (
    <RecordModal<{ year: number; result: string; note?: string; correctionReason?: string }>
      label="记录考核结果"
      title="记录年度师德考核结果"
      onSave={async (v) => {
        await api.post(`/teachers/${teacherId}/integrity/appraisals`, { ...v, year: Number(v.year) });
        await refresh();
      }}
    >
      <Form.Item name="year" label="年度" initialValue={year} rules={[{ required: true, message: '请选择年度' }]}>
        <Select options={[year, year - 1, year - 2].map((y) => ({ value: y, label: `${y} 年` }))} />
      </Form.Item>
      <Form.Item name="result" label="考核结果" rules={[{ required: true, message: '请选择考核结果' }]}>
        <Select
          options={[
            { value: 'excellent', label: '优秀' },
            { value: 'pass', label: '合格' },
            { value: 'basicPass', label: '基本合格' },
            { value: 'fail', label: '不合格' },
          ]}
        />
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item name="correctionReason" label="更正原因" extra="该年度已有结果时填写：新结果取代原结果，原结果保留在档案中">
        <Input maxLength={200} />
      </Form.Item>
    </RecordModal>
  );
}

function PledgeButton({ teacherId }: { teacherId: number }) {
  return (
    <RecordModal<{ kind: string; signedOn: Dayjs; note?: string }>
      label="记录承诺或宣誓"
      title="记录师德承诺书或入职宣誓"
      onSave={async (v) => {
        await api.post(`/teachers/${teacherId}/integrity/pledges`, { kind: v.kind, signedOn: day(v.signedOn), note: v.note });
        await refresh();
      }}
    >
      <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
        <Select
          options={[
            { value: 'pledge', label: '师德承诺书' },
            { value: 'oath', label: '新教师入职宣誓' },
          ]}
        />
      </Form.Item>
      <Form.Item name="signedOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input maxLength={500} />
      </Form.Item>
    </RecordModal>
  );
}

function HonourButton({ teacherId }: { teacherId: number }) {
  return (
    <RecordModal<{ title: string; level: string; awardedOn: Dayjs; awardingOrg: string }>
      label="记录荣誉"
      title="记录荣誉（先进典型）"
      onSave={async (v) => {
        await api.post(`/teachers/${teacherId}/integrity/honours`, { ...v, awardedOn: day(v.awardedOn) });
        await refresh();
      }}
    >
      <Form.Item name="title" label="荣誉名称" rules={[{ required: true, message: '请填写荣誉名称' }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="level" label="级别" rules={[{ required: true, message: '请选择级别' }]}>
        <Select
          options={[
            { value: 'national', label: '国家级' },
            { value: 'province', label: '省级' },
            { value: 'city', label: '市级' },
            { value: 'county', label: '县级' },
            { value: 'school', label: '校级' },
          ]}
        />
      </Form.Item>
      <Form.Item name="awardedOn" label="授予日期" rules={[{ required: true, message: '请选择日期' }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="awardingOrg" label="授予单位" rules={[{ required: true, message: '请填写授予单位' }]}>
        <Input maxLength={100} />
      </Form.Item>
    </RecordModal>
  );
}

/** 准入查询: one 身份证号 (in the body, never the URL), the answer shown as the server words it. */
export function EntryCheckCard() {
  const [form] = Form.useForm();
  const check = useMutation({
    mutationFn: (v: { nationalId: string }) =>
      api.post<{ barred: boolean; message: string; nationalIdMasked: string; checkedOn: string }>('/integrity/entry-check', v),
  });
  return (
    <Card title="准入查询" size="small">
      <Form form={form} layout="inline" onFinish={(v) => check.mutate(v as { nationalId: string })}>
        <Form.Item name="nationalId" rules={[{ required: true, message: '请输入身份证号' }]}>
          <Input placeholder="18 位身份证号" maxLength={18} autoComplete="off" style={{ width: 240 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={check.isPending}>
          查询
        </Button>
      </Form>
      {check.error ? <Alert style={{ marginTop: 12 }} type="error" showIcon title={errorText(check.error)} /> : null}
      {check.data ? (
        <Alert
          style={{ marginTop: 12 }}
          type={check.data.barred ? 'error' : 'success'}
          showIcon
          title={`${check.data.nationalIdMasked}：${check.data.message}`}
          description={`查询日期 ${check.data.checkedOn}；本次查询已记入审计日志`}
        />
      ) : null}
    </Card>
  );
}
