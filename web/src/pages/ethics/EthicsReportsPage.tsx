import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Modal, Radio, Segmented, Select, Space, Table, Tag } from 'antd';
import { PhoneOutlined, QrcodeOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import { useFormSubmit } from '../../hooks';
import ReceiptCard from './ReceiptCard';
import { STATUS_COLORS, type Categories, type OrgOption, type Receipt, type ReportList, type ReportSummary } from './ethics';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A printable poster with the QR code of the public report page (for school notice boards). */
async function printPoster(orgName: string) {
  const url = `${window.location.origin}/report`;
  const dataUrl = await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 360 });
  const w = window.open('', '_blank');
  if (!w) return;
  w.document.write(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>师德师风举报</title>
<style>body{font-family:"WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;text-align:center;padding:40px}h1{font-size:36px;margin:0 0 8px}
h2{font-size:22px;font-weight:normal;color:#555;margin:0 0 24px}img{width:360px;height:360px}p{font-size:18px;color:#333}</style></head>
<body><h1>师德师风举报</h1><h2>${escapeHtml(orgName)}</h2><img src="${dataUrl}" alt="举报二维码">
<p>手机扫码即可举报，可实名也可匿名；举报人信息严格保密</p><p>凭查询码和查询密码可查看办理情况和答复</p>
<p style="font-size:12px;color:#888">${escapeHtml(url)}</p></body></html>`);
  w.document.close();
  w.focus();
  w.print();
}

interface LogValues {
  channel: 'phone' | 'letter' | 'visit';
  handlingOrgId: number;
  category: string;
  content: string;
  callerName?: string;
  callerPhone?: string;
  relation?: string;
  subjectName?: string;
}

/** 登记举报电话 / 来信 / 来访: the officer types what the caller says; the code and secret are read out once. */
function LogReportModal({ open, onClose, bureaus }: { open: boolean; onClose: () => void; bureaus: OrgOption[] }) {
  const [form] = Form.useForm<LogValues>();
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const orgId = Form.useWatch('handlingOrgId', form) ?? bureaus[0]?.id;
  const cats = useQuery({
    queryKey: ['public', 'ethics', 'categories', orgId],
    queryFn: () => api.get<Categories>('/public/ethics/categories', { orgId }),
    enabled: open && !!orgId,
  });
  const { busy, submit } = useFormSubmit<LogValues>(form, async (v) => {
    setReceipt(await api.post<Receipt>('/ethics/reports', v));
    void invalidate(['ethics']);
  });
  const close = () => {
    setReceipt(null);
    form.resetFields();
    onClose();
  };
  return (
    <Modal title="登记举报（电话、来信、来访）" open={open} onCancel={close} footer={null} destroyOnHidden width={560}>
      {receipt ? (
        <>
          <ReceiptCard receipt={receipt} readOut />
          <Button type="primary" block style={{ marginTop: 12 }} onClick={close} data-testid="ethics-log-done">
            已告知举报人
          </Button>
        </>
      ) : (
        <Form<LogValues> form={form} layout="vertical" initialValues={{ channel: 'phone', handlingOrgId: bureaus[0]?.id }} onFinish={(v) => void submit(v)}>
          <Form.Item name="channel" label="渠道">
            <Radio.Group
              optionType="button"
              options={[
                { value: 'phone', label: '举报电话' },
                { value: 'letter', label: '来信' },
                { value: 'visit', label: '来访' },
              ]}
            />
          </Form.Item>
          <Form.Item name="handlingOrgId" label="受理单位" rules={[{ required: true, message: '请选择受理单位' }]}>
            <Select options={bureaus.map((b) => ({ value: b.id, label: b.name }))} />
          </Form.Item>
          <Form.Item name="category" label="问题类别" rules={[{ required: true, message: '请选择问题类别' }]}>
            <Select options={(cats.data?.categories ?? []).map((c) => ({ value: c.code, label: c.label }))} data-testid="ethics-log-category" />
          </Form.Item>
          <Form.Item name="subjectName" label="被举报教师姓名">
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="content" label="反映内容" rules={[{ required: true, whitespace: true, message: '请填写反映内容' }]}>
            <Input.TextArea rows={5} maxLength={5000} showCount data-testid="ethics-log-content" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="callerName" label="来电人姓名（可不填）">
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item name="callerPhone" label="联系电话（可不填）">
              <Input maxLength={20} />
            </Form.Item>
            <Form.Item name="relation" label="关系">
              <Input maxLength={50} />
            </Form.Item>
          </Space>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="ethics-log-submit">
            登记并生成查询码
          </Button>
        </Form>
      )}
    </Modal>
  );
}

const PAGE_SIZE = 20;

const STATUS_FILTERS = [
  { value: 'open', label: '办理中' },
  { value: 'received', label: '待受理' },
  { value: 'rejected', label: '不予受理' },
  { value: 'closed', label: '已办结' },
  { value: 'all', label: '全部' },
];

/** 举报受理: the reports of the officer's subtree and those escalated to it, the most urgent deadline first. */
export default function EthicsReportsPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'open';
  const overdue = params.get('overdue') === 'true';
  const page = Number(params.get('page')) || 1;
  const [logOpen, setLogOpen] = useState(false);
  const list = useQuery({
    queryKey: ['ethics', 'reports', { status, overdue, page }],
    queryFn: () => api.get<ReportList>('/ethics/reports', { status, overdue: overdue ? 'true' : undefined, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const bureaus = useQuery({ queryKey: ['ethics', 'bureaus'], queryFn: () => api.get<{ items: OrgOption[] }>('/ethics/bureaus') });
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k !== 'page') next.delete('page');
    setParams(next, { replace: true });
  };
  return (
    <Card
      title="举报受理"
      extra={
        <Space wrap>
          <Button icon={<PhoneOutlined />} type="primary" onClick={() => setLogOpen(true)} data-testid="ethics-log">
            登记举报电话
          </Button>
          <Button icon={<QrcodeOutlined />} onClick={() => void printPoster(bureaus.data?.items[0]?.name ?? '')}>
            打印举报二维码
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented value={status} options={STATUS_FILTERS} onChange={(v) => set('status', String(v))} />
        <Button type={overdue ? 'primary' : 'default'} danger={overdue} onClick={() => set('overdue', overdue ? null : 'true')}>
          只看超期
        </Button>
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error.message} />}
      <Table<ReportSummary>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          onChange: (p) => set('page', p > 1 ? String(p) : null),
          hideOnSinglePage: true,
          showTotal: (n) => `共 ${n} 件`,
        }}
        scroll={{ x: 900 }}
        data-testid="ethics-report-table"
        columns={[
          { title: '查询码', dataIndex: 'trackingCode', render: (c: string, r) => <Link to={`/ethics/reports/${r.id}`}>{c}</Link> },
          { title: '收到', dataIndex: 'receivedAt', render: (d: string) => d.slice(0, 10) },
          { title: '渠道', dataIndex: 'channelLabel' },
          { title: '类别', dataIndex: 'categoryLabel' },
          { title: '受理单位', dataIndex: 'handlingOrgName' },
          {
            title: '状态',
            dataIndex: 'statusLabel',
            render: (l: string, r) => (
              <Space size={4}>
                <Tag color={STATUS_COLORS[r.status]}>{l}</Tag>
                {r.overdue && <Tag color="red">{r.overdue === 'respond' ? '超期未答复' : '超期未办结'}</Tag>}
                {r.escalatedToName && <Tag color="volcano">已升级至{r.escalatedToName}</Tag>}
              </Space>
            ),
          },
          { title: '答复期限', dataIndex: 'respondBy' },
          { title: '办结期限', dataIndex: 'concludeBy' },
        ]}
      />
      <LogReportModal open={logOpen} onClose={() => setLogOpen(false)} bureaus={bureaus.data?.items ?? []} />
    </Card>
  );
}
