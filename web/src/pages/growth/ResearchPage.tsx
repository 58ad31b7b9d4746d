import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, Input, Select, Space, Table, Tag } from 'antd';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import type { Returned } from '../../api/wire';
import { useAuth } from '../../auth';
import { LoadError } from '../../components/Status';
import TeacherPicker, { OneTeacherPicker } from '../../components/TeacherPicker';
import { useFormSubmit, useIsMobile } from '../../hooks';
import type { listProjects } from '../../../../server/src/modules/research/research.service';
import ResearchView from './ResearchView';

type ResearchRow = Returned<typeof listProjects>[number];

const LEVELS = [
  { value: 'county', label: '县级' },
  { value: 'city', label: '市级' },
  { value: 'province', label: '省级' },
];
const CATEGORIES = [
  { value: 'general', label: '教育教学一般课题' },
  { value: 'moralEducation', label: '德育课题' },
  { value: 'homeroom', label: '班主任专项课题' },
  { value: 'other', label: '其他' },
];

/** 课题 (issue 13 item 5): the list, an application (teacher for self, school for a teacher), a project's page. */
export function ResearchPage() {
  const { me, can } = useAuth();
  const list = useQuery({ queryKey: ['research-projects'], queryFn: () => api.get<ResearchRow[]>('/research-projects') });
  const [picked, setPicked] = useState<number | null>(null);
  const mayApply = me?.role === 'teacher' || can('teachers.write');
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {mayApply ? <ApplyForm onApplied={setPicked} /> : null}
      <Card title="课题" size="small">
        {list.error ? <LoadError error={list.error} onRetry={() => void list.refetch()} /> : null}
        <Table
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '暂无课题' }}
          columns={[
            { title: '课题名称', dataIndex: 'title' },
            { title: '主持人', dataIndex: 'leaderName' },
            { title: '学校', dataIndex: 'schoolName' },
            { title: '级别', dataIndex: 'levelLabel' },
            {
              title: '类别',
              dataIndex: 'categoryLabel',
              render: (s: string, r) => (r.category === 'aiTeaching' ? <Tag color="purple">{s}</Tag> : s),
            },
            { title: '审批单位', dataIndex: 'approvingName' },
            { title: '状态', dataIndex: 'statusLabel', render: (s: string) => <Tag>{s}</Tag> },
            {
              title: '',
              key: 'open',
              render: (_, r) => (
                <Button size="small" type="link" onClick={() => setPicked(r.id)}>
                  查看
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {picked ? <ResearchView key={picked} id={picked} /> : null}
    </Space>
  );
}

interface ApplyValues {
  title: string;
  leaderTeacherId?: number;
  memberTeacherIds?: number[];
  level: string;
  aiTeaching?: boolean;
  category?: string;
  plan: string;
}

/**
 * 申报课题: a teacher applies as its leader (members are named by the school, which may search its teachers); the
 * school names the leader and members with the teacher picker. AI 教学专项 sets the category.
 */
function ApplyForm({ onApplied }: { onApplied: (id: number) => void }) {
  const { me } = useAuth();
  const teacher = me?.role === 'teacher';
  const mobile = useIsMobile();
  const [form] = Form.useForm<ApplyValues>();
  const { message } = App.useApp();
  const ai = Form.useWatch('aiTeaching', form);
  const { busy, submit } = useFormSubmit(form, async (v: ApplyValues) => {
    const r = await api.post<{ id: number }>('/research-projects', {
      title: v.title,
      leaderTeacherId: teacher ? null : (v.leaderTeacherId ?? null),
      memberTeacherIds: v.memberTeacherIds ?? [],
      level: v.level,
      category: v.aiTeaching ? 'aiTeaching' : v.category,
      plan: v.plan,
    });
    message.success('已申报，等待上级教育局立项');
    form.resetFields();
    await invalidate(['research-projects']);
    onApplied(r.id);
  });
  return (
    <Card title="申报课题" size="small">
      <Form
        form={form}
        layout={mobile ? 'vertical' : 'horizontal'}
        labelCol={mobile ? undefined : { span: 4 }}
        wrapperCol={mobile ? undefined : { span: 16 }}
        onFinish={submit}
        initialValues={{ level: 'county', category: 'general', aiTeaching: false }}
      >
        <Form.Item name="title" label="课题名称" rules={[{ required: true, message: '请填写课题名称' }]}>
          <Input maxLength={100} />
        </Form.Item>
        {teacher ? null : (
          <>
            <Form.Item name="leaderTeacherId" label="主持人" rules={[{ required: true, message: '请选择课题主持人' }]}>
              <OneTeacherPicker status="active" testId="research-leader" />
            </Form.Item>
            <Form.Item name="memberTeacherIds" label="成员">
              <TeacherPicker />
            </Form.Item>
          </>
        )}
        <Form.Item name="level" label="级别" extra="由本校上级相应级别的教育局（或其教师发展中心）立项">
          <Select options={LEVELS} style={{ maxWidth: 200 }} />
        </Form.Item>
        <Form.Item name="aiTeaching" label="AI 教学专项" valuePropName="checked">
          <Checkbox>申报 AI 教学专项课题</Checkbox>
        </Form.Item>
        {ai ? null : (
          <Form.Item name="category" label="类别">
            <Select options={CATEGORIES} style={{ maxWidth: 240 }} />
          </Form.Item>
        )}
        <Form.Item name="plan" label="研究方案" rules={[{ required: true, message: '请填写研究方案' }]}>
          <Input.TextArea rows={4} maxLength={5000} placeholder="研究目标、内容、方法与进度安排" />
        </Form.Item>
        <Form.Item wrapperCol={mobile ? undefined : { offset: 4 }}>
          <Button type="primary" htmlType="submit" loading={busy}>
            申报
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
