import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import type { Returned } from '../../api/wire';
import { useAuth } from '../../auth';
import { LoadError } from '../../components/Status';
import { useFormSubmit } from '../../hooks';
import type { listCompetitions } from '../../../../server/src/modules/competitions/competitions.service';
import CompetitionView from './CompetitionView';
import { chinaYear } from '../../china-time';

type CompetitionRow = Returned<typeof listCompetitions>[number];

export const COMPETITION_KINDS = [
  { value: 'homeroomSkills', label: '班主任基本功大赛' },
  { value: 'teachingSkills', label: '教学基本功大赛' },
  { value: 'youngTeacher', label: '青年教师大赛' },
  { value: 'other', label: '其他竞赛' },
];

/** 基本功竞赛 (issue 13 item 4): the organiser creates editions and runs them; schools enter their teachers. */
export function CompetitionsPage() {
  const { can } = useAuth();
  const list = useQuery({ queryKey: ['competitions'], queryFn: () => api.get<CompetitionRow[]>('/competitions') });
  const [picked, setPicked] = useState<number | null>(null);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {can('competitions.manage') ? <NewCompetition onCreated={setPicked} /> : null}
      <Card title="基本功竞赛" size="small">
        {list.error ? <LoadError error={list.error} onRetry={() => void list.refetch()} /> : null}
        <Table
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '暂无竞赛' }}
          columns={[
            { title: '年度', dataIndex: 'year' },
            { title: '名称', dataIndex: 'name' },
            { title: '类别', dataIndex: 'kindLabel' },
            { title: '主办单位', dataIndex: 'organiserName' },
            { title: '状态', dataIndex: 'statusLabel', render: (s: string) => <Tag>{s}</Tag> },
            {
              title: '',
              key: 'open',
              render: (_, c) => (
                <Button size="small" type="link" onClick={() => setPicked(c.id)}>
                  查看
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {picked ? <CompetitionView key={picked} id={picked} /> : null}
    </Space>
  );
}

/** A new edition (筹备中). The series is the name: next year's edition of the same name re-enters this one's non-qualifiers. */
function NewCompetition({ onCreated }: { onCreated: (id: number) => void }) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, submit } = useFormSubmit(form, async (v: { name: string; kind: string; year: number; maxTeachingYears?: number | null }) => {
    const r = await api.post<{ id: number }>('/competitions', {
      series: v.name,
      name: v.name,
      kind: v.kind,
      year: v.year,
      audience: {
        ...(v.kind === 'homeroomSkills' ? { homeroomOnly: true } : {}),
        ...(v.maxTeachingYears ? { maxTeachingYears: v.maxTeachingYears } : {}),
      },
    });
    message.success('已新建，请设置轮次与评委');
    form.resetFields();
    await invalidate(['competitions']);
    onCreated(r.id);
  });
  return (
    <Card title="新建一届竞赛" size="small">
      <Form form={form} layout="inline" onFinish={submit} initialValues={{ kind: 'teachingSkills', year: chinaYear() }}>
        <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写竞赛名称' }]} extra="同名竞赛逐年举办，上届未获奖教师自动报名下一届">
          <Input placeholder="如 教学基本功大赛" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="kind" label="类别">
          <Select style={{ width: 160 }} options={COMPETITION_KINDS} />
        </Form.Item>
        <Form.Item name="year" label="年度" rules={[{ required: true, message: '请填写年度' }]}>
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item name="maxTeachingYears" label="教龄上限（年）">
          <InputNumber min={1} max={40} placeholder="不限" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          新建
        </Button>
      </Form>
    </Card>
  );
}
