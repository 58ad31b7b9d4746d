import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, errorText } from '../../api/client';
import { PublicCard } from '../certificates/VerifyCertificatePage';
import ReceiptCard from './ReceiptCard';
import { ATTACH_KINDS, type Categories, type OrgOption, type Receipt } from './ethics';
import { chinaTodayISO } from '../../china-time';

interface Values {
  handlingOrgId?: number;
  schoolOrgId?: number;
  subjectName?: string;
  category?: string;
  occurredOn?: string;
  content?: string;
  anonymous: boolean;
  name?: string;
  phone?: string;
  relation?: string;
}

/**
 * Public /report (no login, phone first): anyone reports a teacher's 师德 problem, named or anonymous, with up to 5
 * pictures or PDFs. Files are checked here (size, type) and again on the server; a refused file leaves everything
 * else as typed. On success the tracking code and the secret are shown once.
 */
export default function PublicReportPage() {
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<File[]>([]);
  const [fileError, setFileError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const orgId = Form.useWatch('handlingOrgId', form);
  const anonymous = Form.useWatch('anonymous', form);
  const category = Form.useWatch('category', form);

  const orgs = useQuery({
    queryKey: ['public', 'ethics', 'orgs'],
    queryFn: () => api.get<{ items: OrgOption[] }>('/public/ethics/orgs', undefined, { noAuthRedirect: true }),
  });
  const schools = useQuery({
    queryKey: ['public', 'ethics', 'schools', orgId],
    queryFn: () => api.get<{ items: OrgOption[] }>('/public/ethics/schools', { orgId }, { noAuthRedirect: true }),
    enabled: !!orgId,
  });
  const cats = useQuery({
    queryKey: ['public', 'ethics', 'categories', orgId],
    queryFn: () => api.get<Categories>('/public/ethics/categories', { orgId }, { noAuthRedirect: true }),
    enabled: !!orgId,
  });
  useEffect(() => form.setFieldValue('schoolOrgId', undefined), [orgId, form]);
  const limits = cats.data?.attachments ?? { count: 5, maxMb: 5 };

  const pick = (list: FileList | null) => {
    setFileError(null);
    const next = [...files];
    for (const f of Array.from(list ?? [])) {
      if (!ATTACH_KINDS.includes(f.type)) setFileError(`“${f.name}”不是图片（JPG、PNG）或 PDF 文件`);
      else if (f.size > limits.maxMb * 1048576) setFileError(`“${f.name}”超过 ${limits.maxMb} MB，请压缩后再上传`);
      else if (next.length >= limits.count) setFileError(`附件最多 ${limits.count} 个`);
      else next.push(f);
    }
    setFiles(next);
  };

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const data = {
        handlingOrgId: v.handlingOrgId,
        schoolOrgId: v.schoolOrgId ?? null,
        subjectName: v.subjectName ?? '',
        category: v.category,
        content: v.content ?? '',
        occurredOn: v.occurredOn || null,
        anonymous: v.anonymous,
        reporter: v.anonymous ? null : { name: v.name ?? '', phone: v.phone ?? '', relation: v.relation ?? '' },
      };
      const body = new FormData();
      body.append('data', JSON.stringify(data));
      for (const f of files) body.append('files', f, f.name);
      setReceipt(await api.post<Receipt>('/public/ethics/reports', body, { noAuthRedirect: true }));
      window.scrollTo(0, 0);
    } catch (e) {
      setError(errorText(e));
      if (e instanceof ApiError && e.fields.length) {
        const map: Record<string, string> = { 'reporter.name': 'name', 'reporter.phone': 'phone', 'reporter.relation': 'relation' };
        form.setFields(
          e.fields
            .filter((f) => f.field !== 'files' && f.field !== 'data')
            .map((f) => ({ name: (map[f.field] ?? f.field) as keyof Values, errors: [f.message] })),
        );
      }
    } finally {
      setBusy(false);
    }
  };

  if (receipt)
    return (
      <PublicCard title="强师 · 师德举报">
        <Typography.Paragraph>举报已收到，我们会按时答复。凭下面的查询码和查询密码可以随时查看办理情况和答复。</Typography.Paragraph>
        <ReceiptCard receipt={receipt} />
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Link to="/report/track">查询办理情况</Link>
        </div>
      </PublicCard>
    );

  const hint = cats.data?.categories.find((c) => c.code === category)?.hint;
  return (
    <PublicCard title="强师 · 师德举报">
      <Typography.Paragraph type="secondary">
        反映教师违反职业道德的行为。可以实名，也可以匿名；举报人信息加密保存，只有受理的师德专干可以查看，不会告知被举报人及其学校。
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ anonymous: true }}
        onFinish={(v) => void submit(v)}
        requiredMark="optional"
        data-testid="ethics-report-form"
      >
        <Form.Item name="handlingOrgId" label="地区（受理的教育局）" rules={[{ required: true, message: '请选择地区' }]}>
          <Select
            showSearch
            optionFilterProp="label"
            placeholder="选择被举报教师所在的区县"
            loading={orgs.isPending}
            options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
            data-testid="ethics-org"
          />
        </Form.Item>
        <Form.Item name="schoolOrgId" label="学校">
          <Select
            showSearch
            allowClear
            optionFilterProp="label"
            placeholder={orgId ? '选择学校（不清楚可不选）' : '请先选择地区'}
            disabled={!orgId}
            options={(schools.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
            data-testid="ethics-school"
          />
        </Form.Item>
        <Form.Item name="subjectName" label="被举报教师姓名" extra="按您所知填写，不清楚可不填">
          <Input maxLength={50} autoComplete="off" />
        </Form.Item>
        <Form.Item name="category" label="问题类别" rules={[{ required: true, message: '请选择问题类别' }]} extra={hint}>
          <Select
            placeholder={orgId ? '选择类别' : '请先选择地区'}
            disabled={!orgId}
            options={(cats.data?.categories ?? []).map((c) => ({ value: c.code, label: c.label }))}
            data-testid="ethics-category"
          />
        </Form.Item>
        <Form.Item name="occurredOn" label="发生日期">
          <Input type="date" max={chinaTodayISO()} />
        </Form.Item>
        <Form.Item
          name="content"
          label="事情经过"
          rules={[
            { required: true, whitespace: true, message: '请填写事情经过' },
            { min: 10, message: '请把事情经过写清楚（至少 10 个字）' },
          ]}
        >
          <Input.TextArea rows={6} maxLength={5000} showCount placeholder="时间、地点、经过，以及能证明的人或材料" data-testid="ethics-content" />
        </Form.Item>
        <Form.Item label={`附件（图片或 PDF，最多 ${limits.count} 个，每个不超过 ${limits.maxMb} MB）`}>
          <input
            type="file"
            multiple
            accept=".jpg,.jpeg,.png,.pdf"
            onChange={(e) => {
              pick(e.target.files);
              e.target.value = '';
            }}
            data-testid="ethics-files"
          />
          {files.length > 0 && (
            <ul style={{ paddingLeft: 20, margin: '8px 0 0' }}>
              {files.map((f, i) => (
                <li key={`${f.name}-${i}`}>
                  {f.name}{' '}
                  <Button type="link" size="small" onClick={() => setFiles(files.filter((_, j) => j !== i))}>
                    移除
                  </Button>
                </li>
              ))}
            </ul>
          )}
          {fileError && <Alert type="error" showIcon style={{ marginTop: 8 }} title={fileError} data-testid="ethics-file-error" />}
        </Form.Item>
        <Form.Item name="anonymous" label="举报方式">
          <Radio.Group>
            <Radio value={true} data-testid="ethics-anonymous">
              匿名
            </Radio>
            <Radio value={false} data-testid="ethics-named">
              实名
            </Radio>
          </Radio.Group>
        </Form.Item>
        {anonymous === false && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Form.Item name="name" label="您的姓名" rules={[{ required: true, whitespace: true, message: '实名举报请填写姓名' }]}>
              <Input maxLength={50} autoComplete="name" />
            </Form.Item>
            <Form.Item name="phone" label="联系电话" rules={[{ required: true, whitespace: true, message: '请填写联系电话' }]}>
              <Input maxLength={20} inputMode="tel" autoComplete="tel" />
            </Form.Item>
            <Form.Item name="relation" label="与被举报人的关系">
              <Input maxLength={50} placeholder="例如 学生家长" />
            </Form.Item>
          </Space>
        )}
        {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} data-testid="ethics-error" />}
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="ethics-submit">
          提交举报
        </Button>
      </Form>
      {cats.data && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
          收到后 {cats.data.respondWorkingDays} 个工作日内答复是否受理，受理后 {cats.data.concludeWorkingDays} 个工作日内办结（依据：{cats.data.source}）。
        </Typography.Paragraph>
      )}
      <div style={{ textAlign: 'center', marginTop: 8 }}>
        <Link to="/report/track">已举报？查询办理情况</Link>
      </div>
    </PublicCard>
  );
}
