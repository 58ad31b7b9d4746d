import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { App, Button, DatePicker, Descriptions, Drawer, Form, Input, Modal, Select, Space, Spin, Table, Tag, Timeline, TreeSelect, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import PageCard from '../../components/PageCard';
import { OneTeacherPicker } from '../../components/TeacherPicker';
import { LoadError } from '../../components/Status';
import { dateTime } from '../../format';
import { applyFormError, useIsMobile } from '../../hooks';
import { useAuth } from '../../auth';
import { options } from '../../vocab';
import type { MoveDto } from '../../../../server/src/modules/moves/moves.service';
import { MOVE_KIND_LABELS, MOVE_STATUS_LABELS } from '../../../../server/src/modules/moves/moves.vocab';
import { chinaToday } from '../../china-time';

type Kind = MoveDto['kind'];
type Status = MoveDto['status'];
const STATUS_COLOR: Record<Status, string> = { pending: 'processing', approved: 'gold', applied: 'green', returned: 'red', withdrawn: 'default' };

/**
 * 人员变动 (issue 10 item 5): 入职, 调动, 退休, 离职 requests touching the caller's schools, with their status and
 * approval trail. A school (or bureau) files; the bureau above each school approves or returns; the filer may
 * withdraw while pending. ?teacherId=&kind= opens the new-request form (from the teacher page), ?id= a request.
 */
export default function MovesPage() {
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const [kind, setKind] = useState<Kind | undefined>();
  // ?status=pending: the to-do centre's link to the requests waiting for approval.
  const [status, setStatus] = useState<Status | undefined>(() => {
    const s = params.get('status');
    return s && s in MOVE_STATUS_LABELS ? (s as Status) : undefined;
  });
  const [page, setPage] = useState(1);
  const openId = Number(params.get('id')) || null;
  const newFor = params.get('new') !== null || params.get('teacherId') !== null;
  const list = useQuery({
    queryKey: ['moves', { kind, status, page }],
    queryFn: () => api.get<{ items: MoveDto[]; total: number }>('/moves', { kind, status, page, pageSize: 20 }),
  });
  const setParam = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v === null) next.delete(k);
    else next.set(k, v);
    setParams(next, { replace: true });
  };
  const closeForm = () => {
    const next = new URLSearchParams(params);
    for (const k of ['new', 'teacherId', 'kind']) next.delete(k);
    setParams(next, { replace: true });
  };

  return (
    <PageCard
      title="人员变动"
      testId="moves"
      actions={
        <>
          <Select<Kind>
            allowClear
            placeholder="变动类型"
            style={{ width: 130 }}
            value={kind}
            onChange={(v) => {
              setKind(v);
              setPage(1);
            }}
            options={options(MOVE_KIND_LABELS) as { value: Kind; label: string }[]}
            data-testid="moves-kind-filter"
          />
          <Select<Status>
            allowClear
            placeholder="状态"
            style={{ width: 140 }}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={options(MOVE_STATUS_LABELS) as { value: Status; label: string }[]}
            data-testid="moves-status-filter"
          />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setParam('new', '')} data-testid="moves-new">
            发起变动
          </Button>
        </>
      }
    >
      <Typography.Paragraph type="secondary">
        入职、调动、退休、离职由学校提交，学校所在区县教育局审批；跨区县调动须调出、调入两地教育局都同意。审批通过后于生效日期起生效：调动后教师及其账号归入新学校，退休、离职后账号停用。
      </Typography.Paragraph>
      {list.error ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<MoveDto>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true, showTotal: (n) => `共 ${n} 条` }}
          scroll={mobile ? { x: 900 } : undefined}
          locale={{ emptyText: '没有人员变动申请' }}
          onRow={(r) => ({ onClick: () => setParam('id', String(r.id)), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: '教师',
              render: (_, r) => (
                <Link to={`/teachers/${r.teacherId}`} onClick={(e) => e.stopPropagation()}>
                  {r.teacherName}
                </Link>
              ),
            },
            { title: '类型', dataIndex: 'kindLabel', width: 110 },
            {
              title: '学校',
              render: (_, r) => (r.kind === 'transfer' ? `${r.fromOrgName} → ${r.toOrgName}` : r.fromOrgName),
            },
            { title: '生效日期', dataIndex: 'effectiveDate', width: 110 },
            {
              title: '审批',
              render: (_, r) => (
                <Space size={4} wrap>
                  {r.approvals.map((a) => (
                    <Tag key={a.orgId} color={a.approvedAt ? 'green' : undefined}>
                      {a.orgName}
                      {a.approvedAt ? ' 已同意' : ' 待审批'}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: '状态',
              width: 130,
              render: (_, r) => (
                <Tag color={STATUS_COLOR[r.status]} data-testid={`move-status-${r.id}`}>
                  {r.statusLabel}
                </Tag>
              ),
            },
            { title: '提交', width: 210, render: (_, r) => `${r.filedOrgName} ${dateTime(r.filedAt)}` },
          ]}
        />
      )}
      {openId !== null && <MoveDrawer id={openId} onClose={() => setParam('id', null)} />}
      {newFor && (
        <NewMoveModal
          teacherId={Number(params.get('teacherId')) || undefined}
          kind={(params.get('kind') as Kind | null) ?? undefined}
          onClose={closeForm}
          onFiled={(id) => {
            const next = new URLSearchParams();
            next.set('id', String(id));
            setParams(next, { replace: true });
          }}
        />
      )}
    </PageCard>
  );
}

// ---------------------------------------------------------------- detail: the approval trail and the actions

function MoveDrawer({ id, onClose }: { id: number; onClose: () => void }) {
  const { message, modal } = App.useApp();
  const mobile = useIsMobile();
  const [returning, setReturning] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const q = useQuery({ queryKey: ['moves', id], queryFn: () => api.get<MoveDto>(`/moves/${id}`) });
  const act = useMutation({
    mutationFn: (v: { action: 'approve' | 'return' | 'withdraw'; reason?: string }) =>
      api.post<MoveDto>(`/moves/${id}/${v.action}`, v.action === 'return' ? { reason: v.reason } : v.reason ? { reason: v.reason } : {}),
    onSuccess: (m) => {
      message.success(
        m.status === 'applied'
          ? '已同意，变动已生效'
          : m.status === 'approved'
            ? `已同意，将于 ${m.effectiveDate} 生效`
            : `已${m.statusLabel.replace(/^已/, '')}`,
      );
      setReturning(false);
      form.resetFields();
      void invalidate(['moves'], ['teachers']);
    },
    onError: (e) => {
      if (returning) applyFormError(form, e, (t) => message.error(t));
      else message.error(errorText(e));
    },
  });
  const m = q.data;
  return (
    <Drawer
      open
      onClose={onClose}
      title={m ? `${m.teacherName} · ${m.kindLabel}` : '变动申请'}
      size={mobile ? 'default' : 'large'}
      destroyOnHidden
      data-testid="move-drawer"
    >
      {q.error ? (
        <LoadError error={q.error} onRetry={() => void q.refetch()} />
      ) : !m ? (
        <Spin />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size="large">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="状态">
              <Tag color={STATUS_COLOR[m.status]} data-testid="move-status">
                {m.statusLabel}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label="教师">
              <Link to={`/teachers/${m.teacherId}`}>{m.teacherName}</Link>
            </Descriptions.Item>
            <Descriptions.Item label="类型">{m.kindLabel}</Descriptions.Item>
            <Descriptions.Item label={m.kind === 'transfer' ? '调出学校' : '学校'}>{m.fromOrgName}</Descriptions.Item>
            {m.kind === 'transfer' && <Descriptions.Item label="调入学校">{m.toOrgName}</Descriptions.Item>}
            <Descriptions.Item label="生效日期">{m.effectiveDate}</Descriptions.Item>
            <Descriptions.Item label="原因">{m.reason}</Descriptions.Item>
            {m.evidence && <Descriptions.Item label="依据">{m.evidence}</Descriptions.Item>}
            <Descriptions.Item label="申请">
              {m.filedOrgName} {m.filedByName} · {dateTime(m.filedAt)}
            </Descriptions.Item>
            <Descriptions.Item label="审批单位">
              <Space orientation="vertical" size={0}>
                {m.approvals.map((a) => (
                  <span key={a.orgId}>
                    {a.orgName}：{a.approvedAt ? `${a.approvedByName} 已同意（${dateTime(a.approvedAt)}）` : '待审批'}
                  </span>
                ))}
              </Space>
            </Descriptions.Item>
          </Descriptions>
          <div>
            <Typography.Title level={5}>办理记录</Typography.Title>
            <Timeline
              items={m.trail.map((s) => ({
                color: s.action === 'return' ? 'red' : s.action === 'apply' ? 'green' : 'blue',
                content: (
                  <span>
                    {s.actionLabel} · {s.byName ? `${s.orgName ?? ''} ${s.byName}` : '系统（到生效日期自动办理）'} · {dateTime(s.at)}
                    {s.comment ? `：${s.comment}` : ''}
                  </span>
                ),
              }))}
            />
          </div>
          <Space wrap>
            {m.canApprove && (
              <Button
                type="primary"
                data-testid="move-approve"
                loading={act.isPending}
                onClick={() =>
                  modal.confirm({
                    title: `同意${m.teacherName}${m.kindLabel}？`,
                    content:
                      m.approvals.filter((a) => !a.approvedAt).length > 1
                        ? '另一单位同意后，变动于生效日期起生效。'
                        : `变动将于 ${m.effectiveDate} 起生效${m.kind === 'transfer' ? '：教师及其账号归入调入学校' : m.kind === 'hire' ? '' : '，教师账号停用'}。`,
                    okText: '同意',
                    onOk: () => act.mutateAsync({ action: 'approve' }),
                  })
                }
              >
                同意
              </Button>
            )}
            {m.canReturn && (
              <Button danger data-testid="move-return" onClick={() => setReturning(true)}>
                退回
              </Button>
            )}
            {m.canWithdraw && (
              <Button
                data-testid="move-withdraw"
                onClick={() =>
                  modal.confirm({
                    title: '撤回这份申请？',
                    okText: '撤回',
                    okButtonProps: { danger: true },
                    onOk: () => act.mutateAsync({ action: 'withdraw' }),
                  })
                }
              >
                撤回
              </Button>
            )}
          </Space>
        </Space>
      )}
      <Modal
        title="退回申请"
        open={returning}
        onCancel={() => setReturning(false)}
        onOk={() => form.submit()}
        okText="退回"
        okButtonProps={{ danger: true, loading: act.isPending }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => act.mutate({ action: 'return', reason: v.reason })}>
          <Form.Item name="reason" label="退回原因" rules={[{ required: true, whitespace: true, message: '请填写退回原因' }]}>
            <Input.TextArea rows={3} maxLength={200} showCount data-testid="move-return-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}

// ---------------------------------------------------------------- new request

interface Dest {
  id: number;
  parentId: number | null;
  name: string;
  kind: string;
}
interface DestNode {
  value: number;
  title: string;
  disabled: boolean;
  children: DestNode[];
}

function destTree(items: Dest[]): DestNode[] {
  const byId = new Map<number, DestNode>(items.map((o) => [o.id, { value: o.id, title: o.name, disabled: o.kind !== 'school', children: [] }]));
  const roots: DestNode[] = [];
  for (const o of items) {
    const n = byId.get(o.id) as DestNode;
    const p = o.parentId === null ? undefined : byId.get(o.parentId);
    if (p) p.children.push(n);
    else roots.push(n);
  }
  return roots;
}

interface FormValues {
  teacherId: number;
  kind: Kind;
  toOrgId?: number;
  effectiveDate: Dayjs;
  reason: string;
  evidence?: string;
}

function NewMoveModal({ teacherId, kind, onClose, onFiled }: { teacherId?: number; kind?: Kind; onClose: () => void; onFiled: (id: number) => void }) {
  const { message } = App.useApp();
  const { me } = useAuth();
  const [form] = Form.useForm<FormValues>();
  const chosenKind = Form.useWatch('kind', form);
  const dest = useQuery({
    queryKey: ['moves', 'destinations'],
    queryFn: () => api.get<{ items: Dest[] }>('/moves/destinations'),
    staleTime: 5 * 60_000,
    enabled: chosenKind === 'transfer',
  });
  const tree = useMemo(() => destTree(dest.data?.items ?? []), [dest.data]);
  const file = useMutation({
    mutationFn: (v: FormValues) =>
      api.post<MoveDto>('/moves', {
        teacherId: v.teacherId,
        kind: v.kind,
        toOrgId: v.kind === 'transfer' ? v.toOrgId : null,
        effectiveDate: v.effectiveDate.format('YYYY-MM-DD'),
        reason: v.reason,
        evidence: v.evidence || null,
      }),
    onSuccess: (m) => {
      message.success(`已提交，等待${m.approvals.map((a) => a.orgName).join('、')}审批`);
      void invalidate(['moves']);
      onFiled(m.id);
    },
    onError: (e) => applyFormError(form, e, (t) => message.error(t)),
  });
  return (
    <Modal
      open
      title="发起人员变动"
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="提交审批"
      okButtonProps={{ loading: file.isPending, 'data-testid': 'move-submit' }}
      destroyOnHidden
      width={560}
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ teacherId, kind: kind && kind in MOVE_KIND_LABELS ? kind : undefined, effectiveDate: chinaToday() }}
        onFinish={(v) => file.mutate(v)}
      >
        <Form.Item name="teacherId" label="教师" rules={[{ required: true, message: '请选择教师' }]}>
          <OneTeacherPicker status="active" initialId={teacherId} testId="move-teacher" />
        </Form.Item>
        <Form.Item name="kind" label="变动类型" rules={[{ required: true, message: '请选择变动类型' }]}>
          <Select<Kind> options={options(MOVE_KIND_LABELS) as { value: Kind; label: string }[]} placeholder="请选择" data-testid="move-kind" />
        </Form.Item>
        {chosenKind === 'transfer' && (
          <Form.Item name="toOrgId" label="调入学校" rules={[{ required: true, message: '请选择调入学校' }]} extra="可选其他区县的学校：须两地教育局都同意">
            <TreeSelect<number>
              treeData={tree}
              loading={dest.isLoading}
              showSearch={{ treeNodeFilterProp: 'title' }}
              placeholder="选择学校（可输入名称搜索）"
              popupMatchSelectWidth={false}
              treeDefaultExpandedKeys={me ? [me.orgId] : []}
              data-testid="move-to-org"
            />
          </Form.Item>
        )}
        {chosenKind === 'hire' && (
          <Typography.Paragraph type="secondary">
            新教师入职：请先在“教师管理 → 新增教师”登记教师信息，再在此提交入职申请；批准后教师自入职日期起计入本校。账号由系统管理员在“账号管理”中开通。
          </Typography.Paragraph>
        )}
        <Form.Item name="effectiveDate" label="生效日期" rules={[{ required: true, message: '请选择生效日期' }]}>
          <DatePicker style={{ width: 200 }} data-testid="move-date" />
        </Form.Item>
        <Form.Item name="reason" label="变动原因" rules={[{ required: true, whitespace: true, message: '请填写变动原因' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="move-reason" />
        </Form.Item>
        <Form.Item name="evidence" label="依据（选填）" extra="如调动文件文号、退休审批表编号">
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
