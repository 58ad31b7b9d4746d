import { lazy, Suspense } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { api } from '../../../api/client';
import type { AllowedAction, ProjectDetail } from '../../../api/types';
import { PageLoading } from '../../../components/Status';
import { useFormSubmit } from '../../../hooks';
import { ConfirmWarningsField } from '../CloseWarnings';
import { needsComment } from '../status';
import { BACKWARD, RECOGNITION, type TransitionResult } from './shared';

const RecognitionPanel = lazy(() => import('../RecognitionPanel'));

/** Confirm a lifecycle action; return/reject need a comment (the proposer must know why). */
export default function ActionModal({
  project,
  action,
  onClose,
  onDone,
}: {
  project: ProjectDetail;
  action: AllowedAction | null;
  onClose: () => void;
  onDone: (r: TransitionResult) => void;
}) {
  const [form] = Form.useForm<{ comment?: string; confirmWarnings?: boolean }>();
  const required = !!action && needsComment(action.action);
  const { busy, submit } = useFormSubmit(form, async ({ comment, confirmWarnings }: { comment?: string; confirmWarnings?: boolean }) => {
    if (!action) return;
    const r = await api.post<TransitionResult>(`/projects/${project.id}/actions/${action.action}`, {
      comment: comment?.trim() || undefined,
      ...(action.action === 'submitRecognition' && confirmWarnings ? { confirmWarnings: true } : {}),
    });
    onDone(r);
  });
  const hint: Record<string, string> = {
    submit: '提交后按审批链逐级审批，审批期间不能修改。',
    approve: '审批通过后，项目进入“已审定待备案”。',
    approveStep: '本级审批通过后，报上一级教育局审批。',
    file: '备案后生成备案号；申报单位随后提交培训方案审核。',
    approvePlan: '方案审核通过后项目开放报名，可添加学员、安排场次和签到。',
    start: '开始实施。',
    submitRecognition: '提交后考勤和学员名单冻结，由审批单位确认后按下列出勤记录生成学时记录并结项。',
    confirmRecognition: '确认后按下列出勤记录为学员生成学时记录（学时认定），项目结项，不能再修改。',
    returnRecognition: '退回后项目回到“实施中”，组织单位可修改考勤后重新提交。',
    discard: '删除后草稿不再出现在项目列表中；流转记录和审计日志保留。只能删除本单位的草稿。',
  };
  return (
    <Modal
      title={action ? `${action.label}：${project.name}` : ''}
      open={!!action}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={action?.label ?? '确定'}
      okButtonProps={{ danger: !!action && BACKWARD.has(action.action), loading: busy }}
      width={action && RECOGNITION.has(action.action) ? 760 : undefined}
      destroyOnHidden
    >
      {action && hint[action.action] && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={hint[action.action]} />}
      {action && RECOGNITION.has(action.action) && (
        <div style={{ marginBottom: 12 }}>
          <Suspense fallback={<PageLoading />}>
            <RecognitionPanel projectId={project.id} compact />
          </Suspense>
        </div>
      )}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item
          name="comment"
          label={required ? '意见（必填）' : '意见（选填）'}
          rules={[
            { required, whitespace: true, message: '请填写意见' },
            { max: 500, message: '不超过 500 字' },
          ]}
        >
          <Input.TextArea rows={3} placeholder={required ? '请说明原因，申报单位将看到此意见' : ''} />
        </Form.Item>
        {action?.action === 'submitRecognition' && <ConfirmWarningsField projectId={project.id} />}
      </Form>
    </Modal>
  );
}
