import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import type { UploadProps } from 'antd';
import { DownloadOutlined, EditOutlined, HistoryOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, apiUrl, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { chinaTodayISO } from '../../china-time';
import PageCard from '../../components/PageCard';
import { PageLoading } from '../../components/Status';
import RuralSupport from './RuralSupport';
import type { SchoolStaffing, StructureLine } from '../../../../server/src/modules/staffing/staffing.service';

const STAGES: Record<string, string> = { kindergarten: '幼儿园', primary: '小学', junior: '初中', senior: '高中', vocational: '中职', special: '特殊教育' };
const SCHOOL_STAGES: Record<string, string[]> = { nineYear: ['primary', 'junior'], twelveYear: ['primary', 'junior', 'senior'] };
const stagesOf = (s: string | null) => (s ? (SCHOOL_STAGES[s] ?? [s]) : []);

// The server's response types (staffing.service.ts); a row also carries its reasons in words.
type Line = StructureLine;
type SchoolRow = SchoolStaffing & { reasons: string[] };
interface Overview {
  org: { id: number; name: string };
  asOf: string;
  schoolYear: number;
  standards: { source: string; ratios: { stage: string; studentsPerStaff: number; cite: string | null }[]; cite: string[]; assumptions: string[] };
  totals: { quota: number; inPost: number; vacant: number; required: number; shortOfStandard: number };
  schools: SchoolRow[];
  canEditQuota: boolean;
  canEditStudents: boolean;
}

const verdict = (l: Line) => (l.met === true ? <Tag color="green">达标</Tag> : l.met === false ? <Tag color="red">未达标</Tag> : <Tag>未定目标</Tag>);

/** 编制与结构 (issue 14 item 9): per school 编制数, 在编在岗, 空编, 按标准应配, 学历结构, 紧缺学科, with reasons and citations. */
export default function StaffingPage() {
  const { message } = App.useApp();
  const [asOf, setAsOf] = useState(chinaTodayISO());
  const [editing, setEditing] = useState<{ school: SchoolRow; what: 'quota' | 'students' } | null>(null);
  const [history, setHistory] = useState<SchoolRow | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const q = useQuery({ queryKey: ['staffing', 'overview', { asOf }], queryFn: () => api.get<Overview>('/staffing/overview', { asOf }) });
  if (q.error) return <Alert type="error" showIcon title={errorText(q.error)} />;
  if (!q.data) return <PageLoading />;
  const o = q.data;

  const upload: UploadProps['customRequest'] = async ({ file, onSuccess, onError }) => {
    setImportError(null);
    try {
      const fd = new FormData();
      fd.append('file', file as File, (file as File).name);
      const r = await api.post<{ changed: number; skipped: number }>('/staffing/import', fd);
      message.success(`导入完成：更新 ${r.changed} 项，未变化 ${r.skipped} 项`);
      await invalidate(['staffing']);
      onSuccess?.(r);
    } catch (e) {
      setImportError(errorText(e));
      onError?.(e as Error);
    }
  };

  return (
    <PageCard
      title="编制与结构"
      testId="staffing-page"
      actions={
        <Space wrap>
          <span>截至</span>
          <DatePicker allowClear={false} value={dayjs(asOf)} onChange={(d) => d && setAsOf(d.format('YYYY-MM-DD'))} aria-label="截至日期" />
          <Button icon={<DownloadOutlined />} href={apiUrl('/staffing/export', { asOf })}>
            导出 Excel
          </Button>
          {o.canEditStudents && (
            <Upload accept=".xlsx" showUploadList={false} customRequest={upload}>
              <Button icon={<UploadOutlined />}>导入 Excel</Button>
            </Upload>
          )}
        </Space>
      }
    >
      {importError && <Alert type="error" showIcon closable title={importError} style={{ marginBottom: 12 }} onClose={() => setImportError(null)} />}
      <Descriptions size="small" column={{ xs: 1, md: 5 }} bordered style={{ marginBottom: 12 }}>
        <Descriptions.Item label="编制数合计">{o.totals.quota}</Descriptions.Item>
        <Descriptions.Item label="在编在岗">{o.totals.inPost}</Descriptions.Item>
        <Descriptions.Item label="空编">{o.totals.vacant}</Descriptions.Item>
        <Descriptions.Item label="按标准应配">{o.totals.required}</Descriptions.Item>
        <Descriptions.Item label="低于标准">{o.totals.shortOfStandard}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {o.schoolYear}—{o.schoolYear + 1} 学年 · 标准来源：{o.standards.source} · 师生比：
        {o.standards.ratios.map((r) => `${STAGES[r.stage]} 1:${r.studentsPerStaff}`).join('，')}
      </Typography.Paragraph>
      <Table<SchoolRow>
        rowKey="orgId"
        size="small"
        dataSource={o.schools}
        pagination={{ pageSize: 20 }}
        scroll={{ x: 900 }}
        expandable={{ expandedRowRender: (s) => <SchoolDetail s={s} /> }}
        columns={[
          {
            title: '学校',
            dataIndex: 'name',
            render: (v: string, s) => (
              <Space size={4}>
                {v}
                {s.locale === 'rural' && <Tag color="orange">乡村</Tag>}
              </Space>
            ),
          },
          {
            title: '学段',
            dataIndex: 'stage',
            render: (v: string | null) =>
              stagesOf(v)
                .map((x) => STAGES[x])
                .join('、') || '—',
          },
          { title: '编制数', dataIndex: 'quota', render: (v: number | null) => v ?? <Typography.Text type="warning">未录入</Typography.Text> },
          { title: '在编在岗', dataIndex: 'inPost' },
          {
            title: '空编',
            dataIndex: 'vacant',
            render: (v: number | null, s) => (v === null ? '—' : s.overQuota ? <Tag color="volcano">超编 {s.overQuota}</Tag> : v),
          },
          { title: '在校生', render: (_, s) => (s.students.length ? s.students.reduce((a, c) => a + c.students, 0) : '—') },
          { title: '按标准应配', dataIndex: 'required', render: (v: number | null) => v ?? '—' },
          {
            title: '低于标准',
            dataIndex: 'shortOfStandard',
            render: (v: number | null) => (v === null ? '—' : v > 0 ? <Tag color="red">差 {v}</Tag> : <Tag color="green">达标</Tag>),
          },
          {
            title: '结构',
            render: (_, s) => {
              const bad = [...s.education, ...s.shortage].filter((l) => l.met === false).length;
              return bad ? <Tag color="red">{bad} 项未达标</Tag> : <Tag color="green">达标</Tag>;
            },
          },
          {
            title: '操作',
            render: (_, s) => (
              <Space size={0} wrap>
                {o.canEditQuota && (
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ school: s, what: 'quota' })}>
                    编制数
                  </Button>
                )}
                {o.canEditStudents && (
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ school: s, what: 'students' })}>
                    在校生数
                  </Button>
                )}
                <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => setHistory(s)}>
                  历史
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        依据与说明
      </Typography.Title>
      <ul style={{ fontSize: 13 }}>
        {o.standards.cite.map((c) => (
          <li key={c}>{c}</li>
        ))}
        {o.standards.assumptions.map((a) => (
          <li key={a}>
            <Tag>假设</Tag>
            {a}
          </li>
        ))}
      </ul>
      <RuralSupport asOf={asOf} canEdit={o.canEditStudents} />
      {editing && <EditModal school={editing.school} what={editing.what} schoolYear={o.schoolYear} onClose={() => setEditing(null)} />}
      <HistoryDrawer school={history} onClose={() => setHistory(null)} />
    </PageCard>
  );
}

function SchoolDetail({ s }: { s: SchoolRow }) {
  return (
    <div data-testid={`staffing-detail-${s.orgId}`}>
      {s.reasons.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          title="原因"
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {s.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          }
        />
      )}
      {s.quotaSource && (
        <Typography.Paragraph style={{ fontSize: 13 }}>
          编制数 {s.quota}（自 {s.quotaFrom} 起，{s.quotaSource}）{s.requiredText ? ` · 按标准应配：${s.requiredText}` : ''}
        </Typography.Paragraph>
      )}
      <Table<Line>
        rowKey="ruleId"
        size="small"
        pagination={false}
        dataSource={[...s.education, ...s.shortage]}
        columns={[
          { title: '要求', dataIndex: 'title', width: 220 },
          { title: '结果', render: (_, l) => verdict(l), width: 90 },
          { title: '说明', dataIndex: 'explanation' },
          { title: '出处', dataIndex: 'cite', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
        ]}
      />
    </div>
  );
}

function EditModal({ school, what, schoolYear, onClose }: { school: SchoolRow; what: 'quota' | 'students'; schoolYear: number; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stages = stagesOf(school.stage);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      if (what === 'quota')
        await api.post('/staffing/quotas', {
          orgId: school.orgId,
          quota: v.quota,
          effectiveFrom: v.effectiveFrom.format('YYYY-MM-DD'),
          source: v.source,
          note: v.note || undefined,
        });
      else await api.post('/staffing/students', { orgId: school.orgId, year: v.year, stage: v.stage, students: v.students, source: v.source });
      message.success('已保存（原数值保留为历史）');
      await invalidate(['staffing']);
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`${school.name}：${what === 'quota' ? '录入编制数' : '录入在校生数'}`}
      onCancel={onClose}
      onOk={submit}
      okText="保存"
      confirmLoading={busy}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={
          what === 'quota' ? { quota: school.quota ?? undefined, effectiveFrom: dayjs(`${schoolYear}-09-01`) } : { year: schoolYear, stage: stages[0] }
        }
      >
        {what === 'quota' ? (
          <>
            <Form.Item name="quota" label="编制数" rules={[{ required: true, message: '请填写编制数' }]}>
              <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="effectiveFrom" label="生效日期" rules={[{ required: true, message: '请选择生效日期' }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </>
        ) : (
          <>
            <Form.Item name="year" label="学年（起始年份）" rules={[{ required: true, message: '请填写学年' }]}>
              <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="stage" label="学段" rules={[{ required: true, message: '请选择学段' }]}>
              <Select options={(stages.length ? stages : Object.keys(STAGES)).map((s) => ({ value: s, label: STAGES[s] }))} />
            </Form.Item>
            <Form.Item name="students" label="在校生数" rules={[{ required: true, message: '请填写在校生数' }]}>
              <InputNumber min={0} max={1000000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </>
        )}
        <Form.Item name="source" label={what === 'quota' ? '核编文件' : '数据来源'} rules={[{ required: true, min: 2, message: '请填写来源（至少 2 个字）' }]}>
          <Input placeholder={what === 'quota' ? '例如 某编〔2025〕7号' : '例如 学籍系统 2025 年秋季统计'} maxLength={200} />
        </Form.Item>
        {what === 'quota' && (
          <Form.Item name="note" label="说明">
            <Input.TextArea maxLength={500} rows={2} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

interface History {
  quotas: { id: number; quota: number; effectiveFrom: string; source: string; recordedBy: string | null; recordedAt: string; superseded: boolean }[];
  students: { id: number; year: number; stage: string; students: number; source: string; recordedBy: string | null; recordedAt: string; superseded: boolean }[];
}

function HistoryDrawer({ school, onClose }: { school: SchoolRow | null; onClose: () => void }) {
  const h = useQuery({
    queryKey: ['staffing', 'history', { orgId: school?.orgId }],
    queryFn: () => api.get<History>('/staffing/history', { orgId: school!.orgId }),
    enabled: school !== null,
  });
  const state = (x: { superseded: boolean }) => (x.superseded ? <Tag>已被取代</Tag> : <Tag color="blue">有效</Tag>);
  const when = (x: { recordedBy: string | null; recordedAt: string }) => `${x.recordedBy ?? '系统'} ${dayjs(x.recordedAt).format('YYYY-MM-DD HH:mm')}`;
  return (
    <Drawer open={school !== null} onClose={onClose} title={`${school?.name ?? ''}：编制数与在校生数记录`} size="large">
      {h.error && <Alert type="error" showIcon title={errorText(h.error)} />}
      <Typography.Title level={5}>编制数</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={h.data?.quotas ?? []}
        columns={[
          { title: '编制数', dataIndex: 'quota' },
          { title: '生效日期', dataIndex: 'effectiveFrom' },
          { title: '核编文件', dataIndex: 'source' },
          { title: '录入', render: (_, x) => when(x) },
          { title: '状态', render: (_, x) => state(x) },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        在校生数
      </Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={h.data?.students ?? []}
        columns={[
          { title: '学年', dataIndex: 'year' },
          { title: '学段', dataIndex: 'stage', render: (v: string) => STAGES[v] ?? v },
          { title: '在校生数', dataIndex: 'students' },
          { title: '来源', dataIndex: 'source' },
          { title: '录入', render: (_, x) => when(x) },
          { title: '状态', render: (_, x) => state(x) },
        ]}
      />
    </Drawer>
  );
}
