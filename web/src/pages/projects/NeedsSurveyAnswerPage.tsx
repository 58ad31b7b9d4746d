import { Link, useParams } from 'react-router-dom';
import { App, Button, Card, Checkbox, Form, Input, List, Radio, Space, Tag, Typography } from 'antd';
import { api } from '../../api/client';
import { PhoneSurveyPage, useSubmitOnce, type SurveyOutcome } from '../../components/PhoneSurvey';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { applyFormError, useApi, useIsMobile } from '../../hooks';
import type { Answer, MyNeedsSurvey } from './workflow-types';

/** 需求调研 list for a teacher: questionnaires of projects aimed at them. */
export function MyNeedsSurveysPage() {
  const mobile = useIsMobile();
  const { data, loading, error, reload } = useApi(() => api.get<{ items: MyNeedsSurvey[] }>('/my/needs-surveys'), []);
  if (loading && !data) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  return (
    <Card size={mobile ? 'small' : undefined} title={mobile ? undefined : '训前需求调研'} data-testid="my-needs-surveys">
      <List
        dataSource={data?.items ?? []}
        locale={{ emptyText: <EmptyState text="暂无需要填写的调研问卷" /> }}
        renderItem={(s) => (
          <List.Item
            key={s.id}
            extra={
              s.answered ? (
                <Tag color="green">已提交</Tag>
              ) : (
                <Link to={`/m/needs-surveys/${s.id}`}>
                  <Button type="primary" size="small">
                    填写
                  </Button>
                </Link>
              )
            }
          >
            <List.Item.Meta title={s.title} description={s.projectName} />
          </List.Item>
        )}
      />
    </Card>
  );
}

type FormValues = { answers: (Answer | undefined)[] };

/** A teacher answers a needs survey once, on a phone. The survey is named (the organiser sees who wrote what). */
export default function NeedsSurveyAnswerPage() {
  const id = Number(useParams().id);
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const { data, loading, error, reload } = useApi(() => api.get<MyNeedsSurvey>(`/needs-surveys/${id}`), [id]);
  const { busy, done, submit } = useSubmitOnce(
    (v: FormValues) => {
      const answers = (data?.questions ?? []).map((q, i) => {
        const a = v.answers?.[i];
        if (a === undefined || a === null) return q.type === 'multiple' ? [] : null;
        return typeof a === 'string' ? a.trim() : a;
      });
      return api.post(`/needs-surveys/${id}/answers`, { answers });
    },
    (e) => applyFormError(form, e, (t) => message.error(t)),
  );

  let outcome: SurveyOutcome | null = null;
  if (data && (done || data.answered))
    outcome = {
      status: 'success',
      testId: 'needs-survey-done',
      title: done ? '提交成功，感谢您的反馈' : '您已提交过该问卷',
      subTitle: `${data.projectName}：每人填写一次。`,
      extra: <Link to="/my/needs-surveys">返回</Link>,
    };
  else if (data && data.status !== 'published') outcome = { status: 'info', title: '需求调研已结束', subTitle: data.projectName };

  return (
    <PhoneSurveyPage
      maxWidth={520}
      loading={loading && !data}
      error={error}
      onRetry={reload}
      outcome={outcome}
      form={
        data && {
          title: data.title,
          testId: 'needs-survey-form',
          content: (
            <>
              <Typography.Paragraph type="secondary">{data.projectName} · 实名填写，仅用于设计培训内容</Typography.Paragraph>
              <Form form={form} layout="vertical" onFinish={(v) => data && submit(v)}>
                {data.questions.map((q, i) => (
                  <Form.Item
                    key={i}
                    name={['answers', i]}
                    label={`${i + 1}. ${q.title}${q.type === 'multiple' ? '（可多选）' : ''}`}
                    rules={q.required ? [{ required: true, message: '此题必答' }] : []}
                  >
                    {q.type === 'single' ? (
                      <Radio.Group>
                        <Space orientation="vertical">
                          {q.options.map((o, k) => (
                            <Radio key={k} value={k}>
                              {o}
                            </Radio>
                          ))}
                        </Space>
                      </Radio.Group>
                    ) : q.type === 'multiple' ? (
                      <Checkbox.Group>
                        <Space orientation="vertical">
                          {q.options.map((o, k) => (
                            <Checkbox key={k} value={k}>
                              {o}
                            </Checkbox>
                          ))}
                        </Space>
                      </Checkbox.Group>
                    ) : (
                      <Input.TextArea rows={3} maxLength={1000} placeholder="请填写" />
                    )}
                  </Form.Item>
                ))}
                <Button type="primary" htmlType="submit" block size="large" loading={busy}>
                  提交问卷
                </Button>
              </Form>
            </>
          ),
        }
      }
    />
  );
}
