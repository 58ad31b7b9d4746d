import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { LoadError } from '../../components/Status';
import { useAuth } from '../../auth';
import { chinaToday, chinaYear } from '../../china-time';
import { downloadCertificate } from '../certificates/certificates';
import { TARGET_OPTIONS, type TitleReason } from './types';

interface Round {
  id: number;
  orgName: string;
  year: number;
  name: string;
  baseDate: string;
  deadline: string;
  targets: string[];
  targetLabels: string[];
  open: boolean;
}
interface RoundDetail extends Round {
  manage: boolean;
  applicants: {
    id: number;
    teacherId: number;
    name: string;
    nationalIdMask: string;
    schoolName: string;
    orgName: string;
    targetLabel: string;
    titleLabel: string;
    eligible: boolean;
    reasons: TitleReason[];
    overrideReason: string | null;
  }[];
}
interface Candidate {
  teacherId: number;
  name: string;
  eligible: boolean;
  target: string | null;
  reasons: TitleReason[];
}

/** 评审年度: a bureau opens one; schools put applicants forward; the bureau exports the list. */
export function TitleRounds() {
  const { can } = useAuth();
  const [openId, setOpenId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const { data, error, isPending, refetch } = useQuery({ queryKey: ['titles', 'rounds'], queryFn: () => api.get<Round[]>('/titles/rounds') });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  return (
    <Card size="small" extra={can('titles.manage') ? <Button onClick={() => setCreating(true)}>开展评审年度</Button> : null}>
      <Table
        rowKey="id"
        size="small"
        loading={isPending}
        dataSource={data ?? []}
        locale={{ emptyText: '暂无评审年度' }}
        columns={[
          { title: '评审', dataIndex: 'name' },
          { title: '开展单位', dataIndex: 'orgName' },
          { title: '基准日', dataIndex: 'baseDate' },
          { title: '申报职称', key: 't', render: (_, r) => r.targetLabels.join('、') },
          { title: '推荐截止', key: 'd', render: (_, r) => (r.open ? r.deadline : <Tag>已截止 {r.deadline}</Tag>) },
          {
            title: '',
            key: 'op',
            render: (_, r) => (
              <Button size="small" onClick={() => setOpenId(r.id)}>
                申报名单
              </Button>
            ),
          },
        ]}
      />
      {creating ? <CreateRound onClose={() => setCreating(false)} /> : null}
      {openId ? <RoundModal id={openId} onClose={() => setOpenId(null)} /> : null}
    </Card>
  );
}

function CreateRound({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = (await form.validateFields()) as { name: string; year: number; baseDate: Dayjs; deadline: Dayjs; targets: string[] };
    setBusy(true);
    try {
      await api.post('/titles/rounds', { ...v, baseDate: v.baseDate.format('YYYY-MM-DD'), deadline: v.deadline.format('YYYY-MM-DD') });
      await invalidate(['titles']);
      message.success('已开展评审年度，已通知下级学校推荐');
      onClose();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title="开展职称评审年度" onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText="开展">
      <Form form={form} layout="vertical" initialValues={{ year: chinaYear(), targets: ['first', 'senior'] }}>
        <Form.Item name="name" label="评审名称" rules={[{ required: true, min: 4, message: '评审名称至少 4 个字' }]}>
          <Input maxLength={100} placeholder={`${chinaYear()} 年度中小学教师职称评审`} />
        </Form.Item>
        <Form.Item name="year" label="评审年度" rules={[{ required: true, message: '请填写评审年度' }]}>
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item name="baseDate" label="基准日（资格条件计算截止日）" rules={[{ required: true, message: '请选择基准日' }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="deadline" label="推荐截止日期" rules={[{ required: true, message: '请选择推荐截止日期' }]}>
          <DatePicker disabledDate={(d) => d.isBefore(chinaToday(), 'day')} />
        </Form.Item>
        <Form.Item name="targets" label="申报职称" rules={[{ required: true, message: '请选择申报职称' }]}>
          <Select mode="multiple" options={TARGET_OPTIONS} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RoundModal({ id, onClose }: { id: number; onClose: () => void }) {
  const { message } = App.useApp();
  const { data, error, refetch } = useQuery({ queryKey: ['titles', 'rounds', id], queryFn: () => api.get<RoundDetail>(`/titles/rounds/${id}`) });
  const [putting, setPutting] = useState(false);
  return (
    <Modal open width={960} title={data?.name ?? '申报名单'} onCancel={onClose} footer={null}>
      {error ? <LoadError error={error} onRetry={() => void refetch()} /> : null}
      {data ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            {data.orgName}；基准日 {data.baseDate}；申报职称 {data.targetLabels.join('、')}；推荐截止 {data.deadline}
          </Typography.Text>
          <Space>
            {data.open ? <Button onClick={() => setPutting(true)}>推荐申报人</Button> : null}
            {data.manage ? (
              <Button
                onClick={() => void downloadCertificate(`/titles/rounds/${id}/export`, `${data.name}_申报名单.xlsx`).catch((e) => message.error(errorText(e)))}
              >
                导出申报名单
              </Button>
            ) : null}
          </Space>
          <Table
            rowKey="id"
            size="small"
            dataSource={data.applicants}
            locale={{ emptyText: '尚无推荐' }}
            columns={[
              { title: '姓名', dataIndex: 'name' },
              { title: '身份证号', dataIndex: 'nationalIdMask' },
              { title: '学校', dataIndex: 'schoolName' },
              { title: '现职称', dataIndex: 'titleLabel' },
              { title: '申报', dataIndex: 'targetLabel' },
              {
                title: '资格',
                key: 'e',
                render: (_, a) => (a.eligible ? <Tag color="green">符合条件</Tag> : <Tag color="red">破格：{a.overrideReason}</Tag>),
              },
              { title: '未满足', key: 'r', render: (_, a) => a.reasons.map((r) => r.message).join('；') },
              {
                title: '',
                key: 'p',
                render: (_, a) => (
                  <Button
                    size="small"
                    onClick={() =>
                      void downloadCertificate(`/teachers/${a.teacherId}/hours-proof?date=${data.baseDate}`, `继续教育学时证明_${a.name}.pdf`).catch((e) =>
                        message.error(errorText(e)),
                      )
                    }
                  >
                    学时证明
                  </Button>
                ),
              },
            ]}
          />
        </Space>
      ) : null}
      {putting && data ? <PutForward round={data} onClose={() => setPutting(false)} /> : null}
    </Modal>
  );
}

function PutForward({ round, onClose }: { round: RoundDetail; onClose: () => void }) {
  const { message } = App.useApp();
  const [target, setTarget] = useState(round.targets[0]);
  const [ids, setIds] = useState<number[]>([]);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const { data } = useQuery({
    queryKey: ['titles', 'eligibility', 'candidates', round.baseDate, target],
    queryFn: () => api.get<{ items: Candidate[] }>('/titles/eligibility', { date: round.baseDate, target }),
  });
  const chosen = (data?.items ?? []).filter((c) => ids.includes(c.teacherId));
  const needsReason = chosen.some((c) => !c.eligible);
  const submit = async () => {
    setBusy(true);
    try {
      await api.post(`/titles/rounds/${round.id}/applicants`, { target, teacherIds: ids, overrideReason: needsReason ? reason : null });
      await invalidate(['titles']);
      message.success('已推荐');
      onClose();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title="推荐申报人" onCancel={onClose} onOk={() => void submit()} okButtonProps={{ disabled: !ids.length }} confirmLoading={busy} okText="推荐">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select value={target} onChange={(v) => (setTarget(v), setIds([]))} options={TARGET_OPTIONS.filter((o) => round.targets.includes(o.value))} />
        <Select
          mode="multiple"
          style={{ width: '100%' }}
          placeholder="选择教师（按基准日核查）"
          value={ids}
          onChange={setIds}
          options={(data?.items ?? []).map((c) => ({ value: c.teacherId, label: `${c.name}${c.eligible ? '（可申报）' : `（还差 ${c.reasons.length} 项）`}` }))}
          optionFilterProp="label"
        />
        {needsReason ? (
          <Input.TextArea
            rows={3}
            maxLength={500}
            placeholder="所选教师有不符合条件的，须填写破格推荐理由（将记录在案）"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        ) : null}
      </Space>
    </Modal>
  );
}
