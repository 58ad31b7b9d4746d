import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, DatePicker, Empty, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { LoadError } from '../../components/Status';
import { useFormSubmit } from '../../hooks';
import { chinaYear } from '../../china-time';

interface TermEvent {
  id: number;
  kind: string;
  onDate: string;
  year: number | null;
  result: string | null;
  duties: string[] | null;
  note: string | null;
  superseded: boolean;
}
interface View {
  source: string;
  duties: { code: string; label: string }[];
  designations: {
    id: number;
    tierLabel: string;
    categoryLabel: string | null;
    from: string | null;
    until: string | null;
    superseded: boolean;
    events: TermEvent[];
  }[];
}

const KIND: Record<string, string> = { designated: '认定', assessed: '年度考核', renewed: '续任', exited: '退出' };

/** 我的骨干认定: the teacher's designations (层级、类别、任期), yearly duties and every term step. */
export function KeyTeacherView({ path, manage = false }: { path: string; manage?: boolean }) {
  const { data, error, isPending, refetch } = useQuery({ queryKey: path.split('/').filter(Boolean), queryFn: () => api.get<View>(path) });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  if (isPending || !data) return <Card loading />;
  const dutyLabel = (c: string) => data.duties.find((d) => d.code === c)?.label ?? c;
  const current = data.designations.filter((d) => !d.superseded);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small" title="任期内年度职责">
        <Typography.Paragraph type="secondary">依据：{data.source}</Typography.Paragraph>
        <ul>
          {data.duties.map((d) => (
            <li key={d.code}>{d.label}</li>
          ))}
        </ul>
      </Card>
      {current.length === 0 ? <Empty description="暂无骨干教师认定" /> : null}
      {current.map((d) => (
        <Card
          key={d.id}
          size="small"
          data-testid="key-designation"
          title={`${d.tierLabel}${d.categoryLabel ?? ''}（任期 ${d.from ?? '—'} 至 ${d.until ?? '长期'}）`}
          extra={manage ? <TermActions designationId={d.id} duties={data.duties} /> : null}
        >
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={d.events}
            locale={{ emptyText: '暂无记录' }}
            columns={[
              { title: '日期', dataIndex: 'onDate' },
              { title: '事项', key: 'kind', render: (_, e) => (e.kind === 'assessed' ? `${e.year} 年度考核` : (KIND[e.kind] ?? e.kind)) },
              {
                title: '结果',
                key: 'result',
                render: (_, e) =>
                  e.result ? <Tag color={e.result === 'qualified' ? 'green' : 'red'}>{e.result === 'qualified' ? '合格' : '不合格'}</Tag> : null,
              },
              { title: '完成职责', key: 'duties', render: (_, e) => (e.duties ?? []).map(dutyLabel).join('、') },
              { title: '说明', key: 'note', render: (_, e) => (e.superseded ? <Typography.Text delete>{e.note}</Typography.Text> : e.note) },
            ]}
          />
        </Card>
      ))}
    </Space>
  );
}

/** 年度考核, 续任, 退出 of one designation (keyTeachers.manage). */
function TermActions({ designationId, duties }: { designationId: number; duties: View['duties'] }) {
  const { message, modal } = App.useApp();
  const [open, setOpen] = useState<'assess' | 'exit' | null>(null);
  const [form] = Form.useForm();
  const base = `/key-teachers/designations/${designationId}`;
  const done = async (text: string) => {
    await invalidate(['teachers'], ['my'], ['key-teachers']);
    message.success(text);
    setOpen(null);
    form.resetFields();
  };
  const { busy, submit } = useFormSubmit<{ year?: number; result?: string; duties?: string[]; note?: string; correctionReason?: string; on?: Dayjs }>(
    form,
    async (v) => {
      if (open === 'assess') {
        await api.post(`${base}/assessments`, {
          year: v.year,
          result: v.result,
          duties: v.duties ?? [],
          note: v.note ?? null,
          correctionReason: v.correctionReason || null,
        });
        await done('已记录年度考核');
      } else {
        await api.post(`${base}/exit`, { on: v.on?.format('YYYY-MM-DD'), note: v.note });
        await done('已退出');
      }
    },
  );
  const renew = () =>
    modal.confirm({
      title: '期满续任',
      content: '自任期结束次日起认定新任期（任期内有年度考核不合格的不能续任）。',
      onOk: async () => {
        try {
          await api.post(`${base}/renew`, {});
          await done('已续任');
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });
  return (
    <Space>
      <Button size="small" onClick={() => setOpen('assess')}>
        年度考核
      </Button>
      <Button size="small" onClick={renew}>
        续任
      </Button>
      <Button size="small" danger onClick={() => setOpen('exit')}>
        退出
      </Button>
      <Modal
        open={open !== null}
        title={open === 'assess' ? '年度考核' : '退出骨干教师'}
        onCancel={() => setOpen(null)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ year: chinaYear() }}>
          {open === 'assess' ? (
            <>
              <Form.Item name="year" label="年度" rules={[{ required: true, message: '请填写年度' }]}>
                <InputNumber min={2000} max={2100} />
              </Form.Item>
              <Form.Item name="result" label="结果" rules={[{ required: true, message: '请选择结果' }]}>
                <Select
                  options={[
                    { value: 'qualified', label: '合格' },
                    { value: 'unqualified', label: '不合格' },
                  ]}
                />
              </Form.Item>
              <Form.Item name="duties" label="完成的年度职责">
                <Checkbox.Group options={duties.map((d) => ({ value: d.code, label: d.label }))} />
              </Form.Item>
              <Form.Item name="note" label="说明">
                <Input.TextArea maxLength={500} />
              </Form.Item>
              <Form.Item name="correctionReason" label="更正原因（该年度已考核时填写）">
                <Input maxLength={200} />
              </Form.Item>
            </>
          ) : (
            <>
              <Form.Item name="on" label="退出日期（认定至前一日结束）" rules={[{ required: true, message: '请选择日期' }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item name="note" label="退出原因" rules={[{ required: true, message: '请填写退出原因' }]}>
                <Input maxLength={200} />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Space>
  );
}

export default function MyKeyTeacherPage() {
  return <KeyTeacherView path="/my/key-teacher" />;
}
