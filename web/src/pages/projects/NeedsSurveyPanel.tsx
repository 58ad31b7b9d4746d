import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Input, List, Progress, Select, Space, Switch, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import SurveyQrButton from '../../components/SurveyQrButton';
import { applyFormError, useApi } from '../../hooks';
import type { NeedsSurveyResults, NeedsSurveyView, Question, QuestionType } from './workflow-types';

const TYPES: Record<QuestionType, string> = { single: '单选', multiple: '多选', text: '填空' };
const MAX_QUESTIONS = 20;

interface FormQuestion {
  type: QuestionType;
  title: string;
  options?: string[];
  required: boolean;
}

const STARTER: FormQuestion[] = [
  { type: 'single', title: '您目前最需要提升的能力是', options: ['课堂教学', '作业设计', '班级管理', '信息技术应用'], required: true },
  { type: 'text', title: '您对本次培训内容和形式的建议', required: false },
];

/**
 * 训前需求调研 for the organiser: build the questionnaire (≤ 20 questions: single, multiple, text), publish it
 * to the project's target teachers before the plan is final, and read the aggregated answers.
 */
export default function NeedsSurveyPanel({ projectId, canManage }: { projectId: number; canManage: boolean }) {
  const { message } = App.useApp();
  const { data, loading, error, reload } = useApi(() => api.get<NeedsSurveyView>(`/projects/${projectId}/needs-survey`), [projectId]);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ title: string; questions: FormQuestion[] }>();

  if (loading && !data) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return null;
  const s = data.survey;

  const startEdit = () => {
    form.setFieldsValue(s ? { title: s.title, questions: s.questions } : { title: '训前需求调研', questions: STARTER });
    setEditing(true);
  };
  const save = async (v: { title: string; questions: FormQuestion[] }) => {
    setBusy(true);
    try {
      const questions: Question[] = (v.questions ?? []).map((q) => ({
        type: q.type,
        title: q.title?.trim() ?? '',
        options: q.type === 'text' ? [] : (q.options ?? []).map((o) => o.trim()).filter(Boolean),
        required: !!q.required,
      }));
      await api.put(`/projects/${projectId}/needs-survey`, { title: v.title.trim(), questions });
      message.success('问卷已保存');
      setEditing(false);
      reload();
    } catch (e) {
      applyFormError(form, e, (t) => message.error(t));
    } finally {
      setBusy(false);
    }
  };
  const act = async (action: 'publish' | 'close') => {
    setBusy(true);
    try {
      await api.post(`/projects/${projectId}/needs-survey/${action}`);
      message.success(action === 'publish' ? '问卷已发布，目标教师会收到通知' : '调研已结束');
      reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (editing)
    return (
      <Form form={form} layout="vertical" onFinish={save} data-testid="survey-builder">
        <Form.Item name="title" label="问卷标题" rules={[{ required: true, whitespace: true, message: '请填写问卷标题' }]}>
          <Input maxLength={100} placeholder="问卷标题" />
        </Form.Item>
        <Form.List name="questions">
          {(fields, { add, remove, move }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {fields.map((f, i) => (
                <Card
                  key={f.key}
                  size="small"
                  title={`第 ${i + 1} 题`}
                  extra={
                    <Space size={4}>
                      <Button size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, i - 1)} aria-label="上移" />
                      <Button size="small" icon={<ArrowDownOutlined />} disabled={i === fields.length - 1} onClick={() => move(i, i + 1)} aria-label="下移" />
                      <Button size="small" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除题目" />
                    </Space>
                  }
                >
                  <Space wrap align="start">
                    <Form.Item name={[f.name, 'type']} label="题型" style={{ marginBottom: 8 }}>
                      <Select style={{ width: 100 }} options={Object.entries(TYPES).map(([value, label]) => ({ value, label }))} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'required']} label="必答" valuePropName="checked" style={{ marginBottom: 8 }}>
                      <Switch />
                    </Form.Item>
                  </Space>
                  <Form.Item
                    name={[f.name, 'title']}
                    label="题目"
                    rules={[{ required: true, whitespace: true, message: '请填写题目' }]}
                    style={{ marginBottom: 8 }}
                  >
                    <Input maxLength={200} placeholder="题目" />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() =>
                      form.getFieldValue(['questions', f.name, 'type']) === 'text' ? null : (
                        <Form.Item name={[f.name, 'options']} label="选项（回车添加，2–10 个）" style={{ marginBottom: 0 }}>
                          <Select mode="tags" open={false} placeholder="输入选项后按回车" tokenSeparators={['\n']} />
                        </Form.Item>
                      )
                    }
                  </Form.Item>
                </Card>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                disabled={fields.length >= MAX_QUESTIONS}
                onClick={() => add({ type: 'single', title: '', options: [], required: true })}
              >
                添加题目（{fields.length}/{MAX_QUESTIONS}）
              </Button>
            </Space>
          )}
        </Form.List>
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={busy}>
            保存问卷
          </Button>
          <Button onClick={() => setEditing(false)}>取消</Button>
        </Space>
      </Form>
    );

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="needs-survey">
      {!s ? (
        <Empty description={data.canEdit ? '尚未发起训前需求调研。可在培训方案确定前，向目标教师发放问卷了解需求。' : '未开展训前需求调研'}>
          {canManage && data.canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={startEdit}>
              创建调研问卷
            </Button>
          )}
        </Empty>
      ) : (
        <>
          <Space wrap>
            <Typography.Text strong>{s.title}</Typography.Text>
            <Tag color={s.status === 'published' ? 'processing' : s.status === 'closed' ? 'default' : 'orange'}>{s.statusLabel}</Tag>
            <Typography.Text type="secondary">
              已答 {data.responses} / 目标教师 {data.targets} 人
            </Typography.Text>
            {s.status === 'published' && <SurveyQrButton path={`/m/needs-surveys/${s.id}`} title={s.title} />}
          </Space>
          {canManage && (
            <Space wrap>
              {data.canEdit && (
                <Button icon={<EditOutlined />} onClick={startEdit}>
                  编辑问卷
                </Button>
              )}
              {data.allowedActions.map((a) => (
                <Button
                  key={a.action}
                  type={a.action === 'publish' ? 'primary' : 'default'}
                  loading={busy}
                  onClick={() => void act(a.action)}
                  data-testid={`survey-${a.action}`}
                >
                  {a.label}
                </Button>
              ))}
            </Space>
          )}
          {s.status === 'draft' ? (
            <List
              size="small"
              bordered
              dataSource={s.questions}
              renderItem={(q, i) => <List.Item>{`${i + 1}. [${TYPES[q.type]}] ${q.title}${q.options.length ? `：${q.options.join(' / ')}` : ''}`}</List.Item>}
            />
          ) : (
            <SurveyResults projectId={projectId} />
          )}
        </>
      )}
    </Space>
  );
}

function SurveyResults({ projectId }: { projectId: number }) {
  const { data, loading, error, reload } = useApi(() => api.get<NeedsSurveyResults>(`/projects/${projectId}/needs-survey/results`), [projectId]);
  if (loading && !data) return <PageLoading />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return null;
  if (!data.responses) return <Alert type="info" showIcon title="还没有教师提交问卷" />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="survey-results">
      {data.questions.map((q) => (
        <Card key={q.index} size="small" title={`${q.index + 1}. ${q.title}`} extra={<Typography.Text type="secondary">{q.answered} 人作答</Typography.Text>}>
          {q.type === 'text' ? (
            q.texts.length ? (
              <List
                size="small"
                dataSource={q.texts}
                renderItem={(t) => (
                  <List.Item>
                    {t.text}
                    <Typography.Text type="secondary">
                      （{t.teacherName} · {t.orgName}）
                    </Typography.Text>
                  </List.Item>
                )}
              />
            ) : (
              <EmptyState text="无文字回答" />
            )
          ) : (
            q.options.map((o) => (
              <div key={o.label} style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                <span style={{ width: 140, flexShrink: 0 }}>{o.label}</span>
                <Progress
                  percent={data.responses ? Math.round((o.count / data.responses) * 100) : 0}
                  format={() => `${o.count} 人`}
                  style={{ flex: 1, margin: 0 }}
                />
              </div>
            ))
          )}
        </Card>
      ))}
    </Space>
  );
}
