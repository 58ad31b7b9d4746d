import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { App, Button, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import type { Wire } from '../../api/wire';
import PageCard from '../../components/PageCard';
import { LoadError } from '../../components/Status';
import { dateTime } from '../../format';
import { applyFormError, useIsMobile } from '../../hooks';
import { options } from '../../vocab';
import type { CaseDto, listCases } from '../../../../server/src/modules/ethics-cases/cases.service';
import { CASE_STAGE_LABELS, type CaseStage } from '../../../../server/src/modules/ethics-cases/cases.vocab';
import { OneTeacherPicker } from '../../components/TeacherPicker';
import { useAuth } from '../../auth';
import type { Categories } from '../ethics/ethics';
import { chinaTodayISO } from '../../china-time';

type Item = Wire<Awaited<ReturnType<typeof listCases>>>['items'][number];
export const STAGE_COLOR: Record<CaseStage, string> = {
  accepted: 'blue',
  investigating: 'processing',
  decided: 'gold',
  notified: 'orange',
  appealed: 'red',
  redecided: 'purple',
  closed: 'green',
};

/**
 * 案件办理 (issue 12 item 2): the cases handled in the officer's subtree with their stage and deadlines; 立案 opens a
 * case without a report; ?acceptReport=ID (from a report's page) opens the 受理 form for that report.
 */
export default function CaseListPage() {
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [stage, setStage] = useState<CaseStage | undefined>();
  const [page, setPage] = useState(1);
  const [opening, setOpening] = useState(false);
  const acceptReport = Number(params.get('acceptReport')) || null;
  const list = useQuery({
    queryKey: ['ethics', 'cases', { stage, page }],
    queryFn: () => api.get<{ items: Item[]; total: number }>('/ethics/cases', { stage, page, pageSize: 20 }),
  });
  return (
    <PageCard
      title="案件办理"
      testId="ethics-cases"
      actions={
        <>
          <Select<CaseStage>
            allowClear
            placeholder="办理阶段"
            style={{ width: 150 }}
            value={stage}
            onChange={(v) => {
              setStage(v);
              setPage(1);
            }}
            options={options(CASE_STAGE_LABELS) as { value: CaseStage; label: string }[]}
          />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)} data-testid="case-open">
            立案
          </Button>
        </>
      }
    >
      <Typography.Paragraph type="secondary">
        举报受理后立案，依次调查、作出处理决定、告知教师；教师可在告知后 15 日内申诉。期满无申诉或复核后办结，并答复举报人。每次查阅均记入审计日志。
      </Typography.Paragraph>
      {list.error ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<Item>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true, showTotal: (n) => `共 ${n} 件` }}
          scroll={mobile ? { x: 900 } : undefined}
          locale={{ emptyText: '没有案件' }}
          onRow={(r) => ({ onClick: () => navigate(`/ethics/cases/${r.id}`), style: { cursor: 'pointer' }, 'data-testid': `case-row-${r.id}` }) as never}
          columns={[
            { title: '编号', dataIndex: 'id', width: 70 },
            { title: '教师', render: (_, r) => `${r.teacherName}（${r.teacherOrgName}）` },
            { title: '问题类别', dataIndex: 'categoryLabel', width: 140 },
            {
              title: '阶段',
              width: 130,
              render: (_, r) => <Tag color={STAGE_COLOR[r.stage as CaseStage]}>{r.stageLabel}</Tag>,
            },
            { title: '处理结果', render: (_, r) => r.outcomeLabel ?? '—', width: 170 },
            {
              title: '期限',
              width: 200,
              render: (_, r) => (
                <span>
                  {r.concludeBy && !r.closedAt && r.concludeBy < chinaTodayISO() && <Tag color="red">逾期</Tag>}
                  {r.concludeBy && !r.closedAt ? `办结期限 ${r.concludeBy}` : ''}
                  {r.appealBy && r.stage === 'notified' ? ` 申诉截至 ${r.appealBy}` : ''}
                </span>
              ),
            },
            { title: '立案时间', width: 170, render: (_, r) => dateTime(r.openedAt) },
          ]}
        />
      )}
      {opening && <OpenCaseModal onClose={() => setOpening(false)} onOpened={(id) => navigate(`/ethics/cases/${id}`)} />}
      {acceptReport !== null && (
        <AcceptReportModal reportId={acceptReport} onClose={() => setParams({}, { replace: true })} onOpened={(id) => navigate(`/ethics/cases/${id}`)} />
      )}
    </PageCard>
  );
}

function OpenCaseModal({ onClose, onOpened }: { onClose: () => void; onOpened: (id: number) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const { me } = useAuth();
  // The region's category vocabulary in force for the officer's bureau (policy data; the public form shows the same).
  const categories = useQuery({
    queryKey: ['public', 'ethics', 'categories', me?.orgId],
    queryFn: () => api.get<Categories>('/public/ethics/categories', { orgId: me?.orgId }),
    enabled: !!me?.orgId,
  });
  const open = useMutation({
    mutationFn: (v: Record<string, unknown>) => api.post<CaseDto>('/ethics/cases', v),
    onSuccess: (c) => {
      message.success('已立案');
      void invalidate(['ethics']);
      onOpened(c.id);
    },
    onError: (e) => applyFormError(form, e, (t) => message.error(t)),
  });
  return (
    <Modal open title="立案（无举报）" onCancel={onClose} onOk={() => form.submit()} okText="立案" okButtonProps={{ loading: open.isPending }} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ origin: 'assigned' }} onFinish={(v) => open.mutate(v)}>
        <Form.Item name="origin" label="案件来源" rules={[{ required: true, message: '请选择案件来源' }]}>
          <Select
            options={[
              { value: 'assigned', label: '上级交办' },
              { value: 'inspection', label: '检查发现' },
            ]}
          />
        </Form.Item>
        <Form.Item name="teacherId" label="涉及教师" rules={[{ required: true, message: '请选择教师' }]}>
          <OneTeacherPicker testId="case-teacher" />
        </Form.Item>
        <Form.Item name="category" label="问题类别" rules={[{ required: true, message: '请选择问题类别' }]}>
          <Select
            loading={categories.isPending}
            placeholder="十项准则 / 负面清单"
            options={(categories.data?.categories ?? []).map((c) => ({ value: c.code, label: c.label }))}
            data-testid="case-category"
          />
        </Form.Item>
        <Form.Item name="description" label="案情描述" rules={[{ required: true, whitespace: true, message: '请填写案情描述' }]}>
          <Input.TextArea rows={4} maxLength={4000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AcceptReportModal({ reportId, onClose, onOpened }: { reportId: number; onClose: () => void; onOpened: (id: number) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const accept = useMutation({
    mutationFn: (v: Record<string, unknown>) => api.post<CaseDto>(`/ethics/reports/${reportId}/case`, v),
    onSuccess: (c) => {
      message.success('已受理并立案');
      void invalidate(['ethics']);
      onOpened(c.id);
    },
    onError: (e) => applyFormError(form, e, (t) => message.error(t)),
  });
  return (
    <Modal
      open
      title="受理举报并立案"
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="受理立案"
      okButtonProps={{ loading: accept.isPending, 'data-testid': 'accept-submit' } as never}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">须认定被举报教师（本辖区内）。受理后举报人可凭查询码看到“已受理”。</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => accept.mutate(v)}>
        <Form.Item name="teacherId" label="被举报教师" rules={[{ required: true, message: '请选择被举报教师' }]}>
          <OneTeacherPicker testId="accept-teacher" />
        </Form.Item>
        <Form.Item name="comment" label="受理意见（选填）">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
