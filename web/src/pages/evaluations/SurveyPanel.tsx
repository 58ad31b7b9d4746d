import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, List, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import SurveyQrButton from '../../components/SurveyQrButton';
import { api, ApiError, errorText } from '../../api/client';
import { useAuth } from '../../auth';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { useApi, useFormSubmit, useIsMobile } from '../../hooks';
import { SURVEY_STATUS } from '../../vocab';
import EvalChart from './EvalChart';
import type { ProjectSurvey, SurveyDto, SurveyResults } from './types';

interface SurveyForm {
  title?: string;
  questions: string[];
  commentLabel: string;
}

function SurveyModal({
  projectId,
  data,
  open,
  onClose,
  onSaved,
}: {
  projectId: number;
  data: ProjectSurvey;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<SurveyForm>();
  const { message } = App.useApp();
  const editing = !!data.survey;
  const { busy, submit } = useFormSubmit(form, async (v: SurveyForm) => {
    const body = { title: v.title?.trim() || undefined, questions: v.questions.map((q) => q.trim()).filter(Boolean), commentLabel: v.commentLabel.trim() };
    if (editing) await api.put<SurveyDto>(`/projects/${projectId}/survey`, body);
    else await api.post<SurveyDto>(`/projects/${projectId}/survey`, body);
    message.success(editing ? '问卷已修改' : '问卷已发布，已通知参训教师');
    onSaved();
  });
  return (
    <Modal
      title={editing ? '编辑问卷' : '发布匿名评价问卷'}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={editing ? '保存' : '发布'}
      confirmLoading={busy}
      destroyOnHidden
      forceRender
    >
      <Form<SurveyForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          title: data.survey?.title,
          questions: data.survey ? data.survey.questions.map((q) => q.label) : data.defaults.questions,
          commentLabel: data.survey?.commentLabel ?? data.defaults.commentLabel,
        }}
      >
        <Form.Item name="title" label="问卷标题" rules={[{ max: 100, message: '不超过 100 字' }]} extra="留空则使用「项目名称 + 培训效果匿名评价」">
          <Input placeholder="问卷标题（选填）" />
        </Form.Item>
        <Form.Item name="questions" label="评分项（每项 1–5 分）" rules={[{ required: true, type: 'array', min: 1, message: '至少需要一个评分项' }]}>
          <Select mode="tags" placeholder="输入评分项后回车" open={false} aria-label="评分项" />
        </Form.Item>
        <Form.Item
          name="commentLabel"
          label="文字题"
          rules={[
            { required: true, whitespace: true, message: '请填写文字题' },
            { max: 40, message: '不超过 40 字' },
          ]}
        >
          <Input placeholder="如：意见和建议" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Results({ projectId, version }: { projectId: number; version: number }) {
  const mobile = useIsMobile();
  const { data, loading, error, reload } = useApi(() => api.get<SurveyResults>(`/projects/${projectId}/survey/results`), [projectId, version]);
  if (loading && !data) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data || data.status === 'none') return null;
  if (data.status === 'insufficient')
    return (
      <Alert
        type="info"
        showIcon
        data-testid="survey-insufficient"
        title={`答卷不足 ${data.threshold} 份，暂不显示结果`}
        description={`已收到 ${data.count} 份答卷。为保护匿名，收到 ${data.threshold} 份以上答卷后才显示汇总结果。`}
      />
    );
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="survey-results">
      {data.waiting > 0 && (
        // Results move only by whole batches, so comparing two readings never reveals a single answer.
        <Alert
          type="info"
          showIcon
          data-testid="survey-waiting"
          title={`另有 ${data.waiting} 份答卷等待下一批发布`}
          description={`为保护匿名，答卷每满 ${data.releaseBatch} 份才一起计入结果（问卷结束时不足一批的答卷也不计入）。以下结果基于已发布的 ${data.count} 份答卷。`}
        />
      )}
      <Descriptions
        size="small"
        bordered
        column={mobile ? 1 : 3}
        items={[
          { key: 'n', label: '答卷份数', children: data.count },
          { key: 'avg', label: '平均评分', children: `${data.average} / 5` },
          { key: 's', label: '折合百分制', children: data.score100 },
        ]}
      />
      <EvalChart
        testId="survey-chart"
        height={Math.max(200, data.questions.length * 48)}
        option={{
          grid: { left: 110, right: 40, top: 10, bottom: 30 },
          tooltip: { trigger: 'axis' },
          xAxis: { type: 'value', min: 0, max: 5 },
          yAxis: { type: 'category', inverse: true, data: data.questions.map((q) => q.label) },
          series: [{ type: 'bar', data: data.questions.map((q) => q.average), label: { show: true, position: 'right' }, barMaxWidth: 28 }],
        }}
      />
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={data.questions}
        scroll={{ x: 520 }}
        columns={[
          { title: '评分项', dataIndex: 'label', fixed: 'left', width: 120 },
          { title: '平均分', dataIndex: 'average', width: 80, align: 'right' },
          ...(['5', '4', '3', '2', '1'] as const).map((k) => ({
            title: `${k}分`,
            key: k,
            width: 64,
            align: 'right' as const,
            render: (_: unknown, q: (typeof data.questions)[number]) => q.distribution[k],
          })),
        ]}
      />
      <Card size="small" title={`${data.commentLabel}（${data.comments.length} 条，随机排序）`}>
        <List size="small" dataSource={data.comments} locale={{ emptyText: '没有文字意见' }} renderItem={(c, i) => <List.Item key={i}>{c}</List.Item>} />
      </Card>
    </Space>
  );
}

/** 学员匿名评价: attach the survey, open/close it, and see results once 5 answers exist. */
export default function SurveyPanel({ projectId }: { projectId: number }) {
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const { data, loading, error, reload } = useApi(() => api.get<ProjectSurvey>(`/projects/${projectId}/survey`), [projectId]);
  const [editing, setEditing] = useState(false);
  const [version, setVersion] = useState(0);
  const manage = can('projects.manage');
  if (loading && !data) return <PageLoading />;
  // A supervisor of the region reads the evaluation but the survey belongs to the organiser (404 for others).
  if (error instanceof ApiError && error.status === 404)
    return <Alert type="info" showIcon data-testid="survey-organiser-only" title="学员匿名评价由项目组织方发布和管理；其得分见「综合得分」。" />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return null;
  const s = data.survey;
  const act = (action: string, label: string) =>
    modal.confirm({
      title: `确定${label}？`,
      okText: label,
      onOk: async () => {
        try {
          await api.post(`/projects/${projectId}/survey/status`, { action });
          message.success(`已${label}`);
          reload();
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="survey-panel">
      {!s ? (
        <EmptyState text={`尚未发布匿名评价问卷（已出勤学员 ${data.eligibleCount} 人可参与）`}>
          {manage && (
            <Button type="primary" onClick={() => setEditing(true)}>
              发布问卷
            </Button>
          )}
        </EmptyState>
      ) : (
        <Card
          size="small"
          title={s.title}
          extra={
            <Space wrap>
              <Tag color={s.status === 'open' ? 'green' : 'default'}>{SURVEY_STATUS[s.status]}</Tag>
              {s.status === 'open' && <SurveyQrButton path={`/m/surveys/${s.id}`} title={s.title} />}
              {manage && s.editable && (
                <Button size="small" onClick={() => setEditing(true)}>
                  编辑问卷
                </Button>
              )}
              {manage &&
                s.allowedActions.map((a) => (
                  <Button key={a.action} size="small" onClick={() => act(a.action, a.label)}>
                    {a.label}
                  </Button>
                ))}
              <Button
                size="small"
                onClick={() => {
                  reload();
                  setVersion((v) => v + 1);
                }}
              >
                刷新
              </Button>
            </Space>
          }
        >
          <Typography.Paragraph>
            已收到 <b data-testid="survey-count">{s.answerCount}</b> 份答卷 / 已出勤学员 {data.eligibleCount} 人
            {s.waitingCount > 0 && (
              <>
                （已发布 {s.releasedCount} 份，<b data-testid="survey-waiting-count">{s.waitingCount}</b> 份等待下一批发布）
              </>
            )}
            。评分项：
            {s.questions.map((q) => q.label).join('、')}；文字题：{s.commentLabel}。
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            学员在“我的评价”或通知中打开问卷（手机链接 <Typography.Text copyable code>{`${window.location.origin}/m/surveys/${s.id}`}</Typography.Text>
            ）。答卷不保存答卷人、IP 或时间，只在收到 {data.threshold} 份以上后显示汇总，此后每满 {s.releaseBatch} 份发布一批。
          </Typography.Paragraph>
        </Card>
      )}
      {s && <Results projectId={projectId} version={version + s.answerCount} />}
      {editing && (
        <SurveyModal
          projectId={projectId}
          data={data}
          open={editing}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            reload();
          }}
        />
      )}
    </Space>
  );
}
