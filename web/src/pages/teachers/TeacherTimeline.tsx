import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Select, Space, Tag, Timeline, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import type { TimelineItem } from '../../api/types';
import { useAuth } from '../../auth';
import { OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useFormSubmit } from '../../hooks';
import { dateTime } from '../../format';
import { KEY_CATEGORIES, KEY_LEVELS, label, MANDARIN_LEVELS, options, TEACHER_ROLES, TEACHER_STATUS } from '../../vocab';
import { displayValue, FIELD_LABELS } from './teacherFields';
import { chinaToday } from '../../china-time';

const KIND_LABELS: Record<string, string> = { role: '任职', assignment: '学校', status: '在职状态', credential: '资格证书', designation: '骨干认定' };
const KIND_COLORS: Record<string, string> = { role: 'blue', assignment: 'purple', status: 'green', credential: 'cyan', designation: 'gold' };
const ASSIGNMENT_KINDS: Record<string, string> = {
  initial: '建档时所在学校',
  hire: '入职',
  transfer: '调入',
  rotation: '交流轮岗',
  secondment: '借调',
  orgMerge: '学校合并',
};

const iso = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
const span = (i: Pick<TimelineItem, 'from' | 'until'>) => `${i.from ?? '建档起'} 至 ${i.until ?? '今'}`;

function what(i: TimelineItem): string {
  switch (i.kind) {
    case 'role':
      return label(TEACHER_ROLES, i.role);
    case 'assignment':
      return `${i.orgName ?? ''}（${ASSIGNMENT_KINDS[i.assignmentKind ?? ''] ?? i.assignmentKind}）`;
    case 'status':
      return label(TEACHER_STATUS, i.status);
    case 'credential':
      return `${FIELD_LABELS[i.field ?? ''] ?? i.field}：${displayValue(i.field ?? '', i.value, [])}`;
    case 'designation':
      return `${label(KEY_LEVELS, i.level)}${label(KEY_CATEGORIES, i.category ?? 'keyTeacher')}`;
    default:
      return '';
  }
}

type Action = { type: 'end' | 'correct' | 'delete'; item: TimelineItem } | { type: 'add' } | null;

/** 时间线: every fact of the teacher with its period and who recorded it; ending, correcting and deleting (a mistake) with dates. */
export default function TeacherTimeline({ id }: { id: number }) {
  const { can, me } = useAuth();
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['teachers', id, 'timeline'], queryFn: () => api.get<{ items: TimelineItem[] }>(`/teachers/${id}/timeline`) });
  const [action, setAction] = useState<Action>(null);
  const [form] = Form.useForm();
  const { tree } = useOrgTree(me?.id);
  const writable = can('teachers.write');

  const { busy, submit } = useFormSubmit(form, async (v: Record<string, unknown>) => {
    if (!action) return;
    if (action.type === 'add') {
      const kind = v.kind as string;
      const body =
        kind === 'role'
          ? { kind, role: v.role, since: iso(v.from as Dayjs) }
          : kind === 'assignment'
            ? { kind, orgId: v.orgId, assignmentKind: v.assignmentKind, validFrom: iso(v.from as Dayjs), note: v.note || null }
            : kind === 'status'
              ? { kind, status: v.status, validFrom: iso(v.from as Dayjs), note: v.note || null }
              : kind === 'credential'
                ? { kind, validFrom: iso(v.from as Dayjs), values: { mandarin_level: v.mandarin ?? null } }
                : { kind, level: v.level, category: v.category ?? null, validFrom: iso(v.from as Dayjs), validUntil: iso(v.until as Dayjs) };
      await api.post(`/teachers/${id}/facts`, body);
      message.success('已登记');
    } else {
      const { item } = action;
      if (action.type === 'end') await api.post(`/teachers/${id}/facts/end`, { kind: item.kind, factId: item.id, until: iso(v.until as Dayjs) });
      else if (action.type === 'correct')
        await api.post(`/teachers/${id}/facts/correct`, {
          kind: item.kind,
          factId: item.id,
          from: iso(v.from as Dayjs),
          until: iso(v.until as Dayjs),
          note: v.note || null,
        });
      else await api.post(`/teachers/${id}/facts/delete`, { kind: item.kind, factId: item.id, reason: v.reason });
      message.success(action.type === 'end' ? '已结束该任职' : action.type === 'correct' ? '已更正，原记录保留' : '已删除误录记录');
    }
    // The record's current values, its history and every evaluation read these facts.
    await invalidate(['teachers'], ['compliance']);
    setAction(null);
    form.resetFields();
  });

  if (q.isPending) return <PageLoading />;
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  const items = q.data.items;

  const open = (a: Action) => {
    form.resetFields();
    if (a?.type === 'end') form.setFieldsValue({ until: chinaToday() });
    if (a?.type === 'correct') form.setFieldsValue({ from: a.item.from ? dayjs(a.item.from) : null, until: a.item.until ? dayjs(a.item.until) : null });
    if (a?.type === 'add') form.setFieldsValue({ kind: 'role', from: chinaToday() });
    setAction(a);
  };

  const sorted = [...items].sort((a, b) => (a.from ?? '').localeCompare(b.from ?? '') || a.id - b.id);
  return (
    <div data-testid="timeline">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="信息按时间记录：结束或更正不会删除原记录；按任意日期统计合规时，使用当日有效的任职、学校、状态和证书。"
      />
      {writable && (
        <Button style={{ marginBottom: 16 }} onClick={() => open({ type: 'add' })} data-testid="timeline-add">
          登记变化
        </Button>
      )}
      {!sorted.length ? (
        <EmptyState text="暂无记录" />
      ) : (
        <Timeline
          items={sorted.map((i) => ({
            key: `${i.kind}-${i.id}`,
            color: i.supersededAt ? 'gray' : i.until ? 'blue' : 'green',
            content: (
              <div data-testid={`fact-${i.kind}-${i.id}`}>
                <Space wrap size={4}>
                  <Tag color={KIND_COLORS[i.kind]}>{KIND_LABELS[i.kind]}</Tag>
                  <Typography.Text strong delete={!!i.supersededAt}>
                    {what(i)}
                  </Typography.Text>
                  <Typography.Text type="secondary">{span(i)}</Typography.Text>
                  {i.supersededAt && <Tag>已更正</Tag>}
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    登记：{i.recordedBy ?? '系统'} {dateTime(i.recordedAt)}
                    {i.endedAt ? `；结束登记：${i.endedBy ?? '系统'} ${dateTime(i.endedAt)}` : ''}
                    {i.supersededAt ? `；更正：${i.supersededBy ?? '系统'} ${dateTime(i.supersededAt)}` : ''}
                    {i.note ? `；备注：${i.note}` : ''}
                  </Typography.Text>
                </div>
                {writable && !i.supersededAt && (
                  <Space size={0}>
                    {i.kind === 'role' && !i.until && (
                      <Button type="link" size="small" onClick={() => open({ type: 'end', item: i })}>
                        结束
                      </Button>
                    )}
                    <Button type="link" size="small" onClick={() => open({ type: 'correct', item: i })}>
                      更正日期
                    </Button>
                    <Button type="link" size="small" danger onClick={() => open({ type: 'delete', item: i })}>
                      删除误录
                    </Button>
                  </Space>
                )}
              </div>
            ),
          }))}
        />
      )}
      <Modal
        title={
          action?.type === 'end' ? '结束任职' : action?.type === 'correct' ? '更正日期' : action?.type === 'delete' ? '删除误录记录' : action ? '登记变化' : ''
        }
        open={!!action}
        onCancel={() => setAction(null)}
        onOk={() => form.submit()}
        okText="确定"
        okButtonProps={{ loading: busy, danger: action?.type === 'delete' }}
        destroyOnHidden
      >
        {action && action.type !== 'add' && (
          <Alert
            type="info"
            style={{ marginBottom: 16 }}
            title={`${KIND_LABELS[action.item.kind]}：${what(action.item)}（${span(action.item)}）`}
            description={
              action.type === 'delete'
                ? '删除只用于录入错误的记录，须填写原因，记入审计日志。实际发生的变化请用“结束”或“登记变化”。'
                : action.type === 'correct'
                  ? '原记录保留并标记为已更正，另存一条更正后的记录。'
                  : '结束日期为最后一天在任。'
            }
          />
        )}
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          {action?.type === 'add' && (
            <>
              <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
                <Select options={Object.entries(KIND_LABELS).map(([value, l]) => ({ value, label: l }))} />
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a, b) => a.kind !== b.kind}>
                {({ getFieldValue }) => {
                  const kind = getFieldValue('kind');
                  return (
                    <>
                      {kind === 'role' && (
                        <Form.Item name="role" label="任职" rules={[{ required: true, message: '请选择任职' }]}>
                          <Select options={options(TEACHER_ROLES)} />
                        </Form.Item>
                      )}
                      {kind === 'assignment' && (
                        <>
                          <Form.Item name="orgId" label="学校" rules={[{ required: true, message: '请选择学校' }]}>
                            <OrgTreeSelect tree={tree} schoolsOnly placeholder="选择学校" />
                          </Form.Item>
                          <Form.Item name="assignmentKind" label="方式" rules={[{ required: true, message: '请选择方式' }]}>
                            <Select options={['hire', 'transfer', 'rotation', 'secondment'].map((k) => ({ value: k, label: ASSIGNMENT_KINDS[k] }))} />
                          </Form.Item>
                        </>
                      )}
                      {kind === 'status' && (
                        <Form.Item name="status" label="在职状态" rules={[{ required: true, message: '请选择在职状态' }]}>
                          <Select options={options(TEACHER_STATUS)} />
                        </Form.Item>
                      )}
                      {kind === 'credential' && (
                        <Form.Item name="mandarin" label="普通话等级" rules={[{ required: true, message: '请选择普通话等级' }]}>
                          <Select options={options(MANDARIN_LEVELS)} />
                        </Form.Item>
                      )}
                      {kind === 'designation' && (
                        <>
                          <Form.Item name="level" label="骨干级别" rules={[{ required: true, message: '请选择骨干级别' }]}>
                            <Select options={options(KEY_LEVELS)} />
                          </Form.Item>
                          <Form.Item name="category" label="类别">
                            <Select allowClear options={options(KEY_CATEGORIES)} />
                          </Form.Item>
                          <Form.Item name="until" label="任期结束">
                            <DatePicker style={{ width: '100%' }} placeholder="选择日期" />
                          </Form.Item>
                        </>
                      )}
                      {(kind === 'assignment' || kind === 'status') && (
                        <Form.Item name="note" label="备注" rules={[{ max: 200, message: '备注不超过 200 字' }]}>
                          <Input />
                        </Form.Item>
                      )}
                    </>
                  );
                }}
              </Form.Item>
              <Form.Item name="from" label="生效日期" rules={[{ required: true, message: '请选择生效日期' }]}>
                <DatePicker style={{ width: '100%' }} placeholder="选择日期" />
              </Form.Item>
            </>
          )}
          {action?.type === 'end' && (
            <Form.Item name="until" label="结束日期" rules={[{ required: true, message: '请选择结束日期' }]}>
              <DatePicker style={{ width: '100%' }} placeholder="选择日期" data-testid="end-date" />
            </Form.Item>
          )}
          {action?.type === 'correct' && (
            <>
              <Form.Item name="from" label="开始日期（留空表示建档起）">
                <DatePicker style={{ width: '100%' }} placeholder="选择日期" />
              </Form.Item>
              <Form.Item name="until" label="结束日期（留空表示至今）">
                <DatePicker style={{ width: '100%' }} placeholder="选择日期" />
              </Form.Item>
              <Form.Item name="note" label="更正说明" rules={[{ max: 200, message: '说明不超过 200 字' }]}>
                <Input />
              </Form.Item>
            </>
          )}
          {action?.type === 'delete' && (
            <Form.Item
              name="reason"
              label="删除原因"
              rules={[
                { required: true, whitespace: true, message: '请填写删除原因' },
                { max: 200, message: '原因不超过 200 字' },
              ]}
            >
              <Input.TextArea rows={3} placeholder="例如：录错了教师" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}
