import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { App, Button, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Select, Space, Spin, Tag, Timeline, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { api, apiUrl, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import type { Wire } from '../../api/wire';
import PageCard from '../../components/PageCard';
import { LoadError } from '../../components/Status';
import { dateTime } from '../../format';
import { applyFormError } from '../../hooks';
import { options } from '../../vocab';
import type { CaseDto as ServerCaseDto } from '../../../../server/src/modules/ethics-cases/cases.service';
import { NO_END, OUTCOME_LABELS, REDECISION_LABELS, TERM_REQUIRED } from '../../../../server/src/modules/ethics-cases/cases.vocab';
import type { SanctionKind } from '../../../../server/src/modules/integrity/sanctions.repository';
import { STAGE_COLOR } from './CaseListPage';
import { chinaToday } from '../../china-time';

type CaseDto = Wire<ServerCaseDto>;
type Dialog = 'investigate' | 'findings' | 'decide' | 'notify' | 'redecide' | 'close' | 'informSchool' | null;

const ACCEPT = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';

/** One case: facts, the timeline of every step, and buttons for the steps the server says are legal now. */
export default function CasePage() {
  const id = Number(useParams().id);
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  const q = useQuery({ queryKey: ['ethics', 'cases', id], queryFn: () => api.get<CaseDto>(`/ethics/cases/${id}`) });
  const c = q.data;
  const upload = useMutation({
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file, file.name);
      return api.post(`/ethics/cases/${id}/files`, fd);
    },
    onSuccess: () => {
      message.success('证据材料已上传');
      void invalidate(['ethics']);
    },
    onError: (e) => message.error(errorText(e)),
  });
  if (q.error) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;
  if (!c) return <Spin />;
  const can = (a: string) => c.actions.some((x) => x.action === a);
  const evidenceIds = c.timeline.filter((e) => e.action === 'evidence').flatMap((e) => e.files.map((f) => f.id));
  return (
    <PageCard title={`案件 #${c.id} · ${c.teacherName}`} testId="ethics-case" actions={<Link to="/ethics/cases">返回案件列表</Link>}>
      <Space orientation="vertical" style={{ width: '100%' }} size="large">
        <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
          <Descriptions.Item label="阶段">
            <Tag color={STAGE_COLOR[c.stage]} data-testid="case-stage">
              {c.stageLabel}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label="来源">
            {c.originLabel}
            {c.trackingCode ? `（查询码 ${c.trackingCode}）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label="教师">
            {c.teacherName}（{c.teacherOrgName}）
          </Descriptions.Item>
          <Descriptions.Item label="问题类别">{c.categoryLabel}</Descriptions.Item>
          <Descriptions.Item label="受理单位">{c.handlingOrgName}</Descriptions.Item>
          <Descriptions.Item label="调查人">{c.investigatorName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="处理结果">
            <span data-testid="case-outcome">{c.outcomeLabel ?? '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label="期限">
            {c.concludeBy ? `办结期限 ${c.concludeBy}` : ''}
            {c.appealBy ? ` 申诉截至 ${c.appealBy}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label="告知学校">{c.schoolInformed ? `已告知（${dateTime(c.schoolInformedAt)}）` : '未告知'}</Descriptions.Item>
          <Descriptions.Item label="立案时间">{dateTime(c.openedAt)}</Descriptions.Item>
          {c.description && (
            <Descriptions.Item label="案情描述" span={2}>
              {c.description}
            </Descriptions.Item>
          )}
        </Descriptions>
        <Space wrap>
          {can('investigate') && (
            <Button type="primary" onClick={() => setDialog('investigate')} data-testid="case-investigate">
              开始调查
            </Button>
          )}
          {c.canAddEvidence && (
            <Upload accept={ACCEPT} showUploadList={false} beforeUpload={(f) => (upload.mutate(f as File), false)}>
              <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="case-upload">
                上传证据材料
              </Button>
            </Upload>
          )}
          {c.canRecordFindings && (
            <Button onClick={() => setDialog('findings')} data-testid="case-findings">
              填写调查结论
            </Button>
          )}
          {can('decide') && (
            <Button type="primary" onClick={() => setDialog('decide')} data-testid="case-decide">
              处理决定
            </Button>
          )}
          {can('notify') && (
            <Button type="primary" onClick={() => setDialog('notify')} data-testid="case-notify">
              告知教师
            </Button>
          )}
          {can('redecide') && (
            <Button type="primary" onClick={() => setDialog('redecide')} data-testid="case-redecide">
              复核决定
            </Button>
          )}
          {can('close') && (
            <Button type="primary" onClick={() => setDialog('close')} data-testid="case-close">
              办结
            </Button>
          )}
          {c.canInformSchool && (
            <Button onClick={() => setDialog('informSchool')} data-testid="case-inform-school">
              告知学校
            </Button>
          )}
        </Space>
        {c.stage === 'notified' && !can('close') && c.appealBy && (
          <Typography.Text type="secondary">申诉期限 {c.appealBy} 届满且无申诉后可办结。</Typography.Text>
        )}
        <div>
          <Typography.Title level={5}>办理记录</Typography.Title>
          <Timeline
            data-testid="case-timeline"
            items={c.timeline.map((e) => ({
              color: e.action === 'appeal' ? 'red' : e.action === 'close' ? 'green' : 'blue',
              content: (
                <div>
                  <div>
                    <strong>{e.actionLabel}</strong> · {e.byName ?? '系统'} · {dateTime(e.at)}
                  </div>
                  {e.decision && (
                    <div>
                      {e.decision.resultLabel ? `${e.decision.resultLabel}：` : ''}
                      {e.decision.outcomeLabel}
                      {e.decision.validFrom ? `，${e.decision.validFrom} 起${e.decision.validUntil ? `至 ${e.decision.validUntil}` : ''}` : ''}
                      {e.decision.decisionNo ? `（${e.decision.decisionNo}）` : ''}。理由：{e.decision.reason}
                    </div>
                  )}
                  {e.text && <div style={{ whiteSpace: 'pre-wrap' }}>{e.text}</div>}
                  {e.comment && <div>{e.comment}</div>}
                  {e.effects && <div>对教师信息的影响：{e.effects}</div>}
                  {e.files.map((f) => (
                    <div key={f.id}>
                      <a href={apiUrl(`/ethics/cases/${c.id}/files/${f.id}`)}>{f.name}</a>
                    </div>
                  ))}
                </div>
              ),
            }))}
          />
        </div>
      </Space>
      {dialog && <StepDialog c={c} dialog={dialog} evidenceIds={evidenceIds} onClose={() => setDialog(null)} />}
    </PageCard>
  );
}

interface DecisionValues {
  result?: string;
  outcome?: string;
  decidedOn: Dayjs;
  decisionNo?: string;
  reason: string;
  validFrom?: Dayjs;
  validUntil?: Dayjs;
  termMonths?: number;
}

const day = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null);

function StepDialog({ c, dialog, evidenceIds, onClose }: { c: CaseDto; dialog: Exclude<Dialog, null>; evidenceIds: number[]; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const outcome = Form.useWatch('outcome', form) as string | undefined;
  const result = Form.useWatch('result', form) as string | undefined;
  const staff = useQuery({
    queryKey: ['ethics', 'cases', c.id, 'investigators'],
    queryFn: () => api.get<{ items: { id: number; name: string }[] }>(`/ethics/cases/${c.id}/investigators`),
    enabled: dialog === 'investigate',
  });
  const path = {
    investigate: 'investigate',
    findings: 'findings',
    decide: 'decide',
    notify: 'notify',
    redecide: 'redecide',
    close: 'close',
    informSchool: 'inform-school',
  }[dialog];
  const step = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<CaseDto>(`/ethics/cases/${c.id}/${path}`, body),
    onSuccess: () => {
      message.success('已办理');
      void invalidate(['ethics']);
      onClose();
    },
    onError: (e) => applyFormError(form, e, (t) => message.error(t)),
  });
  const decisionBody = (v: DecisionValues) => ({
    outcome: v.outcome,
    decidedOn: day(v.decidedOn),
    decisionNo: v.decisionNo || null,
    reason: v.reason,
    validFrom: day(v.validFrom),
    validUntil: day(v.validUntil),
    termMonths: v.termMonths ?? null,
  });
  const onFinish = (v: Record<string, unknown>) => {
    if (dialog === 'decide') step.mutate(decisionBody(v as unknown as DecisionValues));
    else if (dialog === 'redecide') {
      const d = v as unknown as DecisionValues;
      step.mutate(
        d.result === 'change'
          ? { result: 'change', ...decisionBody(d) }
          : { result: d.result, decidedOn: day(d.decidedOn), decisionNo: d.decisionNo || null, reason: d.reason },
      );
    } else if (dialog === 'findings') step.mutate({ findings: v.findings, fileIds: evidenceIds });
    else step.mutate(v);
  };
  const title = {
    investigate: '开始调查',
    findings: '调查结论',
    decide: '处理决定',
    notify: '告知教师',
    redecide: '申诉复核决定',
    close: '办结',
    informSchool: '告知学校',
  }[dialog];
  const kind = outcome as SanctionKind | 'noViolation' | undefined;
  const termFields = kind && kind !== 'noViolation' && (dialog === 'decide' || result === 'change') && (
    <>
      <Form.Item name="validFrom" label="处分起始日期（默认为决定日期）">
        <DatePicker style={{ width: 200 }} />
      </Form.Item>
      {!NO_END.includes(kind) && (
        <Space wrap>
          <Form.Item
            name="termMonths"
            label={TERM_REQUIRED.includes(kind) ? '处分期（月）' : '期限（月，选填）'}
            extra={TERM_REQUIRED.includes(kind) ? '填写月数或截止日期其一' : undefined}
          >
            <InputNumber min={1} max={120} style={{ width: 160 }} data-testid="decide-months" />
          </Form.Item>
          <Form.Item name="validUntil" label="截止日期">
            <DatePicker style={{ width: 200 }} />
          </Form.Item>
        </Space>
      )}
      {NO_END.includes(kind) && <Typography.Paragraph type="secondary">该处理无截止日期，办结时写入教师信息（自起始日期起）。</Typography.Paragraph>}
    </>
  );
  const decisionFields = (
    <>
      <Form.Item name="decidedOn" label="决定日期" rules={[{ required: true, message: '请选择决定日期' }]}>
        <DatePicker style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="decisionNo" label="决定文号（选填）">
        <Input maxLength={60} data-testid="decide-no" />
      </Form.Item>
      <Form.Item name="reason" label="理由" rules={[{ required: true, whitespace: true, message: '请填写理由' }]}>
        <Input.TextArea rows={3} maxLength={2000} showCount data-testid="decide-reason" />
      </Form.Item>
    </>
  );
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="确定"
      okButtonProps={{ loading: step.isPending, 'data-testid': 'step-submit' } as never}
      destroyOnHidden
      width={600}
    >
      <Form form={form} layout="vertical" initialValues={{ decidedOn: chinaToday() }} onFinish={onFinish}>
        {dialog === 'investigate' && (
          <>
            <Form.Item name="investigatorId" label="调查人" rules={[{ required: true, message: '请选择调查人' }]}>
              <Select loading={staff.isLoading} options={(staff.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))} data-testid="investigator" />
            </Form.Item>
            <Form.Item name="comment" label="说明（选填）">
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        )}
        {dialog === 'findings' && (
          <Form.Item
            name="findings"
            label="调查结论"
            rules={[{ required: true, whitespace: true, message: '请填写调查结论' }]}
            extra="已上传的证据材料一并列入结论。"
          >
            <Input.TextArea rows={6} maxLength={8000} showCount data-testid="findings-text" />
          </Form.Item>
        )}
        {dialog === 'decide' && (
          <>
            <Form.Item name="outcome" label="处理结果" rules={[{ required: true, message: '请选择处理结果' }]}>
              <Select options={options(OUTCOME_LABELS)} data-testid="decide-outcome" />
            </Form.Item>
            {termFields}
            {decisionFields}
          </>
        )}
        {dialog === 'redecide' && (
          <>
            <Form.Item name="result" label="复核结果" rules={[{ required: true, message: '请选择复核结果' }]}>
              <Select options={options(REDECISION_LABELS)} />
            </Form.Item>
            {result === 'change' && (
              <Form.Item name="outcome" label="新的处理结果" rules={[{ required: true, message: '请选择新的处理结果' }]}>
                <Select options={options(OUTCOME_LABELS)} />
              </Form.Item>
            )}
            {termFields}
            {decisionFields}
          </>
        )}
        {dialog === 'notify' && (
          <Typography.Paragraph>
            将通过消息通知教师本人，教师可在“师德处理告知”页查看处理决定及理由
            {c.outcome !== 'noViolation' ? '，并可在 15 日内提出申诉' : ''}。
          </Typography.Paragraph>
        )}
        {dialog === 'close' && (
          <Form.Item
            name="answer"
            label="答复举报人"
            rules={c.needsAnswer ? [{ required: true, whitespace: true, message: '请填写给举报人的答复' }] : []}
            extra="举报人凭查询码看到这段文字。请勿写入教师的处分细节，除非确需告知。"
          >
            <Input.TextArea rows={3} maxLength={2000} showCount placeholder="例：经调查，反映的问题已依规处理。" data-testid="close-answer" />
          </Form.Item>
        )}
        {dialog === 'informSchool' && (
          <>
            <Typography.Paragraph>学校将只看到“有一件案件涉及本校教师 {c.teacherName}”及立案日期，看不到举报内容、举报人和调查情况。</Typography.Paragraph>
            <Form.Item name="comment" label="说明（选填）">
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
