import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Form, Input, Radio, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { invalidate } from '../../api/query';
import { PhoneSurveyPage, useSubmitOnce, type SurveyOutcome } from '../../components/PhoneSurvey';
import type { TeacherSurvey } from './types';

export const RATING_WORDS = ['很不满意', '不满意', '一般', '满意', '很满意'];

type FormValues = { ratings: Record<string, number>; comment?: string };

/** The teacher's phone page for the anonymous participant survey: rate each item 1–5, one free text, submit once. */
export default function SurveyAnswerPage() {
  const id = Number(useParams().id);
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const { data, isPending, error, refetch } = useQuery({ queryKey: ['surveys', id], queryFn: () => api.get<TeacherSurvey>(`/surveys/${id}`) });
  const { busy, done, submit } = useSubmitOnce(
    async (v: FormValues) => {
      await api.post(`/surveys/${id}/answers`, { ratings: v.ratings, comment: v.comment?.trim() || undefined });
      void invalidate(['my', 'surveys']);
    },
    (e) => {
      message.error(errorText(e));
      void refetch();
    },
  );

  let outcome: SurveyOutcome | null = null;
  if (data && (done || data.answered))
    outcome = {
      status: 'success',
      testId: 'survey-done',
      title: done ? '提交成功，感谢您的评价' : '您已提交过评价',
      subTitle: `${data.projectName}：每人只能评价一次。您的答卷与您的身份没有任何关联。`,
    };
  else if (data && !data.canAnswer) outcome = { status: 'info', title: '评价已结束', subTitle: data.projectName };

  return (
    <PhoneSurveyPage
      maxWidth={480}
      loading={isPending}
      error={error}
      onRetry={() => void refetch()}
      outcome={outcome}
      heading={
        <Typography.Title level={4} style={{ textAlign: 'center', margin: '0 0 16px' }}>
          培训效果匿名评价
        </Typography.Title>
      }
      footer={
        <div style={{ textAlign: 'center', marginTop: 16, fontSize: 13 }}>
          <Link to="/my/surveys">我的评价</Link>
          <span style={{ color: '#bbb', margin: '0 8px' }}>|</span>
          <Link to="/my/projects">我的培训</Link>
        </div>
      }
      form={
        data && {
          title: data.title,
          testId: 'survey-form',
          content: (
            <>
              <Typography.Paragraph type="secondary">
                {data.projectName} · {data.orgName}
              </Typography.Paragraph>
              <Alert
                type="info"
                showIcon
                icon={<LockOutlined />}
                style={{ marginBottom: 16 }}
                title="匿名评价"
                description="系统只记录您“已提交”，答卷中不保存您的姓名、账号、IP 或提交时间，组织方在收到 5 份以上答卷后才能看到汇总结果。"
              />
              <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
                {data.questions.map((q, i) => (
                  <Form.Item
                    key={q.key}
                    name={['ratings', q.key]}
                    label={`${i + 1}. ${q.label}`}
                    rules={[{ required: true, message: `请为「${q.label}」打分` }]}
                    extra="1 分很不满意，5 分很满意"
                  >
                    <Radio.Group
                      optionType="button"
                      buttonStyle="solid"
                      aria-label={q.label}
                      data-testid={`rate-${q.key}`}
                      options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: `${n}分`, title: RATING_WORDS[n - 1] }))}
                    />
                  </Form.Item>
                ))}
                <Form.Item name="comment" label={data.commentLabel} rules={[{ max: 500, message: '不超过 500 字' }]}>
                  <Input.TextArea rows={4} maxLength={500} showCount placeholder="选填，请勿填写可识别您身份的信息" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block size="large" loading={busy}>
                  提交评价
                </Button>
              </Form>
            </>
          ),
        }
      }
    />
  );
}
