import { useEffect, useState } from 'react';
import { App, Alert, Form, Input, InputNumber, Modal, Select } from 'antd';
import { api, ApiError, errorText } from '../../api/client';
import type { OrgNode } from '../../api/types';
import { OrgTreeSelect } from '../../components/orgs';
import { applicableRules, RuleRefs } from './RuleRefs';
import type { FigureDto, IndicatorKind, MetricInfo, MetricsDto } from './types';
import { chinaYear } from '../../china-time';

export interface RecordDefaults {
  orgId?: number;
  year?: number;
  metric?: string;
}

interface Values {
  orgId?: number;
  year?: number;
  metric?: string;
  value?: number;
  source?: string;
  reason?: string;
}

/**
 * 记录数值: org, year, metric, value and 来源/依据. The server checks everything again and answers with
 * field errors, which are shown on the fields. A new value never overwrites: the old one stays in 历史.
 */
export default function RecordModal({
  kind,
  open,
  defaults,
  metrics,
  tree,
  onClose,
}: {
  kind: IndicatorKind;
  open: boolean;
  defaults: RecordDefaults;
  metrics: MetricsDto;
  tree: OrgNode[];
  onClose: (saved: FigureDto | null) => void;
}) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const metric = Form.useWatch('metric', form);
  const orgId = Form.useWatch('orgId', form);
  const list: MetricInfo[] = kind === 'funding' ? metrics.funding : [...metrics.targets, ...metrics.otherTargets];
  const info = list.find((m) => m.metric === metric);
  const year = Form.useWatch('year', form);
  // The platform's own figure for the chosen region, year and metric (targets): what the override replaces.
  const platform = kind === 'targets' ? metrics.targets.find((m) => m.metric === metric)?.figures.find((f) => f.orgId === orgId && f.year === year) : undefined;

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    form.setFieldsValue({ year: chinaYear(), ...defaults });
  }, [open, defaults, form]);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.post<FigureDto>(`/indicators/${kind}`, {
        orgId: v.orgId,
        year: v.year,
        metric: v.metric,
        value: v.value,
        source: v.source ?? '',
        ...(kind === 'targets' ? { reason: v.reason ?? '' } : {}),
      });
      message.success(`已记录：${saved.orgName} ${saved.year} 年 ${saved.metricLabel}`);
      onClose(saved);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) {
        const known = ['orgId', 'year', 'metric', 'value', 'source', 'reason'];
        form.setFields(e.fields.filter((f) => known.includes(f.field)).map((f) => ({ name: f.field as keyof Values, errors: [f.message] })));
        if (!e.fields.some((f) => known.includes(f.field))) setError(e.message);
      } else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={kind === 'funding' ? '记录经费数据' : '记录区域目标数据'}
      onCancel={() => onClose(null)}
      onOk={() => form.submit()}
      okText="保存"
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'record-submit' } as Record<string, string>}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {kind === 'targets' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="override-notice"
          title="区域目标由平台根据工作室命名、骨干教师认定记录自动统计"
          description={
            <>
              此处填报的数值为<b>手工填报（覆盖平台记录）</b>，仅用于平台以外的数据（如平台上线前命名的工作室），须写明覆盖原因，并记入审计日志。
              {platform && (
                <div>
                  平台记录：{platform.orgName} {platform.year} 年 {platform.platform} {info?.unit ?? ''}
                  {platform.override ? `（当前已被手工覆盖为 ${platform.override.value}）` : ''}
                </div>
              )}
            </>
          }
        />
      )}
      <Form form={form} layout="vertical" onFinish={submit} data-testid="record-form">
        <Form.Item name="orgId" label={kind === 'funding' ? '单位（学校或教育局）' : '区域（教育局）'} rules={[{ required: true, message: '请选择单位' }]}>
          <OrgTreeSelect tree={tree} placeholder="选择单位" allowClear={false} id="record-org" />
        </Form.Item>
        <Form.Item name="year" label="年度" rules={[{ required: true, message: '请填写年度' }]}>
          <InputNumber min={metrics.years.min} max={metrics.years.max} precision={0} style={{ width: 140 }} id="record-year" />
        </Form.Item>
        <Form.Item
          name="metric"
          label="指标"
          rules={[{ required: true, message: '请选择指标' }]}
          extra={
            info ? (
              <div style={{ marginTop: 4 }}>
                用于：
                <RuleRefs rules={applicableRules('rules' in info ? info.rules : [], tree, orgId)} />
              </div>
            ) : undefined
          }
        >
          <Select id="record-metric" placeholder="选择指标" options={list.map((m) => ({ value: m.metric, label: m.label }))} />
        </Form.Item>
        <Form.Item
          name="value"
          label={kind === 'funding' ? '金额' : '数值'}
          rules={[{ required: true, message: kind === 'funding' ? '请填写金额' : '请填写数值' }]}
        >
          <InputNumber
            min={0}
            precision={kind === 'funding' ? 2 : 0}
            style={{ width: 240 }}
            suffix={info?.unit ?? (kind === 'funding' ? '元' : '')}
            id="record-value"
          />
        </Form.Item>
        <Form.Item
          name="source"
          label="来源/依据"
          rules={[
            { required: true, whitespace: true, message: '请填写来源/依据（如文件号）' },
            { max: 200, message: '不能超过 200 字' },
          ]}
        >
          <Input placeholder="例如：巴教发〔2025〕12号、2025 年部门预算批复" id="record-source" />
        </Form.Item>
        {kind === 'targets' && (
          <Form.Item
            name="reason"
            label="覆盖原因"
            rules={[
              { required: true, whitespace: true, message: '请填写覆盖原因：为什么平台记录中没有这些数据' },
              { min: 4, message: '覆盖原因至少 4 个字' },
              { max: 200, message: '不能超过 200 字' },
            ]}
          >
            <Input.TextArea rows={2} placeholder="例如：平台上线前命名的工作室未在平台登记" id="record-reason" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
