import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, apiUrl, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { useAuth } from '../../auth';
import PageCard from '../../components/PageCard';
import { OrgTreeSelect, useOrgTree } from '../../components/orgs';
import { PageLoading } from '../../components/Status';
import { afterChinaToday, chinaYear } from '../../china-time';
import AllowancesTab from './AllowancesTab';
import { type EntryDto, type FundsBoardDto, type FundsSummaryDto, STATUS_TAG, yuan } from './types';

const CATEGORIES = [
  { value: 'training', label: '培训费' },
  { value: 'travel', label: '差旅费' },
  { value: 'materials', label: '资料费' },
  { value: 'expert', label: '专家劳务费' },
  { value: 'other', label: '其他' },
];
const SOURCES = [
  { value: 'publicFunds', label: '公用经费' },
  { value: 'salaryShare', label: '工资总额提取' },
  { value: 'special', label: '专项经费' },
  { value: 'fiscal', label: '本级财政' },
  { value: 'other', label: '其他' },
];
const years = () => Array.from({ length: 5 }, (_, i) => chinaYear() - i).map((y) => ({ value: y, label: `${y} 年` }));

/**
 * 培训经费 (issue 14 item 6) and 班主任津贴 (item 8): the ledger of one org and year (budgets, bases, entries with
 * vouchers, 冲销, the funding rules' status, export), the bureau's board, and the allowance grid and check.
 */
export default function FundsPage() {
  const { me } = useAuth();
  const bureau = me?.role === 'bureauAdmin';
  // ?tab=allowances: the to-do 班主任上月津贴未登记 opens the allowance tab.
  const [params] = useSearchParams();
  const [tab, setTab] = useState(params.get('tab') === 'allowances' ? 'allowances' : 'ledger');
  return (
    <PageCard title="培训经费与班主任津贴" testId="funds-page">
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'ledger', label: '经费台账', children: <Ledger /> },
          ...(bureau ? [{ key: 'board', label: '经费看板', children: <Board /> }] : []),
          { key: 'allowances', label: '班主任津贴', children: <AllowancesTab /> },
        ]}
      />
    </PageCard>
  );
}

function Ledger() {
  const { me } = useAuth();
  const { tree } = useOrgTree(me?.id);
  const [orgId, setOrgId] = useState<number | undefined>(undefined);
  const [year, setYear] = useState(chinaYear());
  const [modal, setModal] = useState<null | 'entry' | 'budget' | 'base' | 'override'>(null);
  const q = useQuery({ queryKey: ['funds', { orgId, year }], queryFn: () => api.get<FundsSummaryDto>('/funds', { orgId, year }) });
  const s = q.data;
  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        {me?.role === 'bureauAdmin' && (
          <OrgTreeSelect tree={tree} value={orgId} onChange={setOrgId} placeholder="本单位（可选下级学校）" style={{ width: 260 }} />
        )}
        <Select value={year} onChange={setYear} options={years()} style={{ width: 110 }} data-testid="funds-year" />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal('entry')} data-testid="funds-add-entry">
          登记支出
        </Button>
        <Button onClick={() => setModal('budget')}>登记预算</Button>
        <Button onClick={() => setModal('base')} data-testid="funds-add-base">
          录入基数
        </Button>
        {s?.canOverride && <Button onClick={() => setModal('override')}>手工覆盖支出</Button>}
        <Button icon={<DownloadOutlined />} href={apiUrl('/funds/export', { orgId, year })} download data-testid="funds-export">
          导出支出明细账
        </Button>
      </Space>
      {q.error && <Alert type="error" showIcon title={errorText(q.error)} />}
      {!s ? (
        !q.error && <PageLoading />
      ) : (
        <>
          <Descriptions size="small" bordered column={{ xs: 1, sm: 2, md: 3 }} style={{ marginBottom: 12 }}>
            <Descriptions.Item label="单位">{s.org.name}</Descriptions.Item>
            <Descriptions.Item label="年度预算">{yuan(s.budgetYuan)}</Descriptions.Item>
            <Descriptions.Item label="实际支出（含冲销）">
              <span data-testid="funds-spent">{yuan(s.spentYuan)}</span>
            </Descriptions.Item>
            {s.org.kind === 'school' && <Descriptions.Item label="年度公用经费预算总额">{yuan(s.publicFundBudgetYuan)}</Descriptions.Item>}
            {s.org.kind !== 'school' && <Descriptions.Item label="教职工工资总额">{yuan(s.salaryTotalYuan)}</Descriptions.Item>}
            {s.override && (
              <Descriptions.Item label="手工覆盖">
                {yuan(s.override.amountYuan)}（{s.override.recordedBy} {s.override.recordedAt.slice(0, 10)}，原因：{s.override.reason}）
                <ClearOverride orgId={s.org.id} year={year} />
              </Descriptions.Item>
            )}
          </Descriptions>
          <Typography.Title level={5}>比例规则</Typography.Title>
          {s.rules.length === 0 && <Alert type="info" showIcon title="本单位适用的政策没有培训经费比例规则" />}
          {s.rules.map((r, i) => (
            <Alert
              key={`${r.ruleId}-${i}`}
              style={{ marginBottom: 8 }}
              type={r.status === 'compliant' ? 'success' : r.status === 'noData' ? 'info' : 'warning'}
              data-testid="funds-rule"
              title={
                <Space wrap>
                  <Tag color={STATUS_TAG[r.status]?.color}>{STATUS_TAG[r.status]?.label ?? r.status}</Tag>
                  <span>{r.title}</span>
                  {r.requiredYuan !== null && <span>应安排 {yuan(r.requiredYuan)}</span>}
                  {!!r.shortYuan && <Typography.Text type="danger">还差 {yuan(r.shortYuan)}</Typography.Text>}
                </Space>
              }
              description={
                <>
                  <div>{r.explanation}</div>
                  <Typography.Text type="secondary">
                    依据：{r.cite}：“{r.citeText}”
                  </Typography.Text>
                </>
              }
            />
          ))}
          <Typography.Title level={5}>支出明细</Typography.Title>
          <Entries entries={s.entries} />
          <Space align="start" wrap style={{ marginTop: 12 }}>
            <Table
              size="small"
              pagination={false}
              rowKey="category"
              title={() => '按科目'}
              dataSource={s.byCategory}
              columns={[
                { title: '科目', dataIndex: 'label' },
                { title: '金额', dataIndex: 'amountYuan', render: yuan },
              ]}
            />
            <Table
              size="small"
              pagination={false}
              rowKey="projectId"
              title={() => '按项目'}
              dataSource={s.byProject}
              columns={[
                { title: '项目', dataIndex: 'name' },
                { title: '金额', dataIndex: 'amountYuan', render: yuan },
              ]}
            />
          </Space>
          <History s={s} />
          {modal === 'entry' && <EntryModal s={s} onClose={() => setModal(null)} />}
          {modal === 'budget' && <BudgetModal s={s} onClose={() => setModal(null)} />}
          {modal === 'base' && <BaseModal s={s} onClose={() => setModal(null)} />}
          {modal === 'override' && <OverrideModal s={s} onClose={() => setModal(null)} />}
        </>
      )}
    </div>
  );
}

function Entries({ entries }: { entries: EntryDto[] }) {
  const { message, modal } = App.useApp();
  const reverse = (e: EntryDto) => {
    let reason = '';
    modal.confirm({
      title: `冲销 ${e.date} ${e.projectName} ${yuan(e.amountYuan)}`,
      content: <Input.TextArea rows={3} placeholder="冲销原因（必填）" onChange={(ev) => (reason = ev.target.value)} data-testid="funds-reverse-reason" />,
      okText: '冲销',
      onOk: async () => {
        try {
          await api.post('/funds/reversals', { entryId: e.id, reason });
          message.success('已冲销');
          await invalidate(['funds']);
        } catch (err) {
          message.error(errorText(err));
          throw err;
        }
      },
    });
  };
  return (
    <Table<EntryDto>
      size="small"
      rowKey="id"
      dataSource={entries}
      pagination={{ pageSize: 20 }}
      scroll={{ x: 900 }}
      data-testid="funds-entries"
      columns={[
        { title: '日期', dataIndex: 'date', width: 105 },
        { title: '凭证号', dataIndex: 'voucherNo', width: 90 },
        { title: '项目', dataIndex: 'projectName' },
        { title: '科目', dataIndex: 'categoryLabel', width: 90 },
        {
          title: '金额',
          dataIndex: 'amountYuan',
          width: 130,
          align: 'right',
          render: (v: number) => <Typography.Text type={v < 0 ? 'danger' : undefined}>{yuan(v)}</Typography.Text>,
        },
        { title: '经办人', dataIndex: 'recordedBy', width: 90 },
        {
          title: '备注',
          render: (_: unknown, e) =>
            e.reverses ? (
              <span>
                <Tag color="red">冲销</Tag>
                {e.reason}
              </span>
            ) : (
              <span>
                {e.reversedBy && <Tag>已冲销</Tag>}
                {e.note}
              </span>
            ),
        },
        {
          title: '凭证',
          width: 80,
          render: (_: unknown, e) => (e.hasVoucher ? <a href={apiUrl('/funds/voucher', { entryId: e.id })}>查看</a> : '—'),
        },
        {
          title: '操作',
          width: 80,
          render: (_: unknown, e) =>
            !e.reverses && !e.reversedBy ? (
              <Button size="small" danger onClick={() => reverse(e)} data-testid={`funds-reverse-${e.id}`}>
                冲销
              </Button>
            ) : null,
        },
      ]}
    />
  );
}

function History({ s }: { s: FundsSummaryDto }) {
  if (!s.budgets.length && !s.bases.length) return null;
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        预算与基数（含更正历史）
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey={(r) => `${r.kind}-${r.id}`}
        dataSource={[
          ...s.budgets.map((b) => ({
            kind: '预算',
            id: b.id,
            label: `预算（${b.sourceLabel}）`,
            amountYuan: b.amountYuan,
            detail: b.note,
            reason: b.reason,
            current: b.current,
            by: b.recordedBy,
            at: b.recordedAt,
          })),
          ...s.bases.map((b) => ({
            kind: '基数',
            id: b.id,
            label: b.metric === 'publicFundBudget' ? '公用经费预算总额' : '教职工工资总额',
            amountYuan: b.amountYuan,
            detail: `来源：${b.source}`,
            reason: b.reason,
            current: b.current,
            by: b.recordedBy,
            at: b.recordedAt,
          })),
        ]}
        columns={[
          { title: '项', dataIndex: 'label' },
          { title: '金额', dataIndex: 'amountYuan', render: yuan },
          { title: '说明', dataIndex: 'detail' },
          { title: '更正原因', dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
          { title: '状态', dataIndex: 'current', render: (v: boolean) => (v ? <Tag color="green">有效</Tag> : <Tag>已更正</Tag>) },
          { title: '录入', render: (_: unknown, r) => `${r.by ?? ''} ${r.at.slice(0, 10)}` },
        ]}
      />
    </>
  );
}

function useSave(onClose: () => void, ok: string) {
  const { message } = App.useApp();
  return useMutation({
    mutationFn: ({ path, body }: { path: string; body: unknown }) => api.post(path, body),
    onSuccess: async () => {
      message.success(ok);
      await invalidate(['funds']);
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });
}

function EntryModal({ s, onClose }: { s: FundsSummaryDto; onClose: () => void }) {
  const [form] = Form.useForm();
  const [voucher, setVoucher] = useState<{ fileId: number; name: string } | null>(null);
  const { message } = App.useApp();
  const save = useSave(onClose, '支出已登记');
  const upload = useMutation({
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file, file.name);
      return api.post<{ fileId: number; name: string }>('/funds/vouchers', fd, { query: { orgId: s.org.id } });
    },
    onSuccess: setVoucher,
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Modal
      open
      title="登记支出"
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="登记"
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'funds-entry-ok' } as never}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="专款专用：只能列支在本单位（含下级）已批准的培训项目上；登记后不能修改或删除，错误请冲销。"
      />
      <Form
        form={form}
        layout="vertical"
        onFinish={(v: { date: Dayjs; voucherNo?: string; projectId: number; category: string; amount: number; note?: string }) =>
          save.mutate({
            path: '/funds/entries',
            body: {
              orgId: s.org.id,
              date: v.date.format('YYYY-MM-DD'),
              voucherNo: v.voucherNo ?? '',
              projectId: v.projectId,
              category: v.category,
              amountYuan: String(v.amount),
              voucherFileId: voucher?.fileId,
              note: v.note ?? '',
            },
          })
        }
      >
        <Form.Item name="date" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker disabledDate={afterChinaToday} style={{ width: '100%' }} data-testid="funds-entry-date" />
        </Form.Item>
        <Form.Item name="projectId" label="培训项目" rules={[{ required: true, message: '请选择培训项目' }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={s.projects.map((p) => ({ value: p.id, label: `${p.name}（${p.orgName}）` }))}
            data-testid="funds-entry-project"
          />
        </Form.Item>
        <Form.Item name="category" label="科目" rules={[{ required: true, message: '请选择科目' }]}>
          <Select options={CATEGORIES} data-testid="funds-entry-category" />
        </Form.Item>
        <Form.Item name="amount" label="金额（元）" rules={[{ required: true, message: '请填写金额' }]}>
          <InputNumber min={0.01} precision={2} style={{ width: '100%' }} data-testid="funds-entry-amount" />
        </Form.Item>
        <Form.Item name="voucherNo" label="凭证号">
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item label="凭证（PDF/图片）">
          <Upload accept=".pdf,.png,.jpg,.jpeg" showUploadList={false} beforeUpload={(f) => (upload.mutate(f as File), false)}>
            <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="funds-entry-voucher">
              上传凭证
            </Button>
          </Upload>
          {voucher && (
            <Typography.Text style={{ marginLeft: 8 }} data-testid="funds-entry-voucher-name">
              {voucher.name}
            </Typography.Text>
          )}
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function BudgetModal({ s, onClose }: { s: FundsSummaryDto; onClose: () => void }) {
  const [form] = Form.useForm();
  const save = useSave(onClose, '预算已登记');
  const current = s.budgets.filter((b) => b.current);
  return (
    <Modal open title={`登记 ${s.year} 年培训经费预算`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v: { amount: number; source: string; note?: string; supersedes?: number; reason?: string }) =>
          save.mutate({
            path: '/funds/budgets',
            body: {
              orgId: s.org.id,
              year: s.year,
              amountYuan: String(v.amount),
              source: v.source,
              note: v.note ?? '',
              supersedes: v.supersedes,
              reason: v.reason,
            },
          })
        }
      >
        <Form.Item name="amount" label="金额（元）" rules={[{ required: true, message: '请填写金额' }]}>
          <InputNumber min={0} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="source" label="经费来源" rules={[{ required: true, message: '请选择经费来源' }]}>
          <Select options={SOURCES} />
        </Form.Item>
        <Form.Item name="note" label="说明">
          <Input maxLength={200} />
        </Form.Item>
        {current.length > 0 && (
          <>
            <Form.Item name="supersedes" label="更正哪一条（可选）">
              <Select allowClear options={current.map((b) => ({ value: b.id, label: `${b.sourceLabel} ${yuan(b.amountYuan)}` }))} />
            </Form.Item>
            <Form.Item name="reason" label="更正原因">
              <Input maxLength={200} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}

function BaseModal({ s, onClose }: { s: FundsSummaryDto; onClose: () => void }) {
  const [form] = Form.useForm();
  const save = useSave(onClose, '基数已录入');
  const metric = s.org.kind === 'school' ? 'publicFundBudget' : 'salaryTotal';
  const has = metric === 'publicFundBudget' ? s.publicFundBudgetYuan !== null : s.salaryTotalYuan !== null;
  return (
    <Modal
      open
      title={`录入 ${s.year} 年${metric === 'publicFundBudget' ? '公用经费预算总额' : '教职工工资总额'}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'funds-base-ok' } as never}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v: { amount: number; source: string; reason?: string }) =>
          save.mutate({
            path: '/funds/bases',
            body: { orgId: s.org.id, year: s.year, metric, amountYuan: String(v.amount), source: v.source, reason: v.reason },
          })
        }
      >
        <Form.Item name="amount" label="金额（元）" rules={[{ required: true, message: '请填写金额' }]}>
          <InputNumber min={0.01} precision={2} style={{ width: '100%' }} data-testid="funds-base-amount" />
        </Form.Item>
        <Form.Item name="source" label="数据来源" rules={[{ required: true, message: '请填写数据来源' }]}>
          <Input maxLength={200} placeholder="如 年度部门预算批复" data-testid="funds-base-source" />
        </Form.Item>
        {has && (
          <Form.Item name="reason" label="更正原因" rules={[{ required: true, message: '已录入过，更正须填写原因' }]}>
            <Input maxLength={200} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function OverrideModal({ s, onClose }: { s: FundsSummaryDto; onClose: () => void }) {
  const [form] = Form.useForm();
  const save = useSave(onClose, '已手工覆盖');
  return (
    <Modal open title={`手工覆盖 ${s.org.name} ${s.year} 年培训经费支出`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        title={`平台记录的支出为 ${yuan(s.spentYuan)}。覆盖只用于平台外的数据，规则结果会注明“手工填报（覆盖平台记录）”。`}
      />
      <Form
        form={form}
        layout="vertical"
        onFinish={(v: { amount: number; reason: string }) =>
          save.mutate({ path: '/funds/overrides', body: { orgId: s.org.id, year: s.year, amountYuan: String(v.amount), reason: v.reason } })
        }
      >
        <Form.Item name="amount" label="支出金额（元）" rules={[{ required: true, message: '请填写金额' }]}>
          <InputNumber min={0} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label="覆盖原因" rules={[{ required: true, message: '请填写覆盖原因' }]}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ClearOverride({ orgId, year }: { orgId: number; year: number }) {
  const { message, modal } = App.useApp();
  return (
    <Button
      size="small"
      style={{ marginLeft: 8 }}
      onClick={() => {
        let reason = '';
        modal.confirm({
          title: '撤销覆盖，恢复平台记录？',
          content: <Input placeholder="撤销原因（必填）" onChange={(e) => (reason = e.target.value)} />,
          onOk: async () => {
            try {
              await api.post('/funds/overrides/clear', { orgId, year, reason });
              await invalidate(['funds']);
            } catch (e) {
              message.error(errorText(e));
              throw e;
            }
          },
        });
      }}
    >
      撤销覆盖
    </Button>
  );
}

function Board() {
  const [year, setYear] = useState(chinaYear());
  const q = useQuery({ queryKey: ['funds', 'board', year], queryFn: () => api.get<FundsBoardDto>('/funds/board', { year }) });
  if (q.error) return <Alert type="error" showIcon title={errorText(q.error)} />;
  if (!q.data) return <PageLoading />;
  const b = q.data;
  return (
    <div>
      <Select value={year} onChange={setYear} options={years()} style={{ width: 110, marginBottom: 12 }} />
      <Table
        size="small"
        rowKey="orgId"
        dataSource={b.orgs}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: '单位', dataIndex: 'name' },
          { title: '预算', dataIndex: 'budgetYuan', render: yuan },
          { title: '支出', render: (_: unknown, o) => `${yuan(o.spentYuan)}${o.overridden ? '（手工覆盖）' : ''}` },
          {
            title: '比例规则',
            render: (_: unknown, o) => (
              <Space direction="vertical" size={2}>
                {o.rules.map((r, i) => (
                  <span key={`${r.ruleId}-${i}`} title={r.explanation}>
                    <Tag color={STATUS_TAG[r.status]?.color}>{STATUS_TAG[r.status]?.label ?? r.status}</Tag>
                    {r.shortYuan ? `还差 ${yuan(r.shortYuan)}` : ''}
                  </span>
                ))}
              </Space>
            ),
          },
          { title: '专款专用问题', dataIndex: 'unearmarked', render: (n: number) => (n ? <Tag color="red">{n} 笔</Tag> : '—') },
        ]}
      />
      <Typography.Title level={5}>专款专用检查：不在已批准项目上的支出</Typography.Title>
      {b.unearmarked.length === 0 ? (
        <Typography.Text type="secondary">没有发现问题。</Typography.Text>
      ) : (
        <Table
          size="small"
          rowKey="id"
          dataSource={b.unearmarked}
          pagination={false}
          columns={[
            { title: '单位', dataIndex: 'orgName' },
            { title: '日期', dataIndex: 'date' },
            { title: '项目', dataIndex: 'projectName' },
            { title: '科目', dataIndex: 'categoryLabel' },
            { title: '金额', dataIndex: 'amountYuan', render: yuan },
          ]}
        />
      )}
    </div>
  );
}
