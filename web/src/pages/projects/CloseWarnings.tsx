import { Alert, Checkbox, Form } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { RecognitionView } from './workflow-types';

/** The 学时认定 preview of the project (the same query as RecognitionPanel: one request, one cache entry). */
const useRecognition = (projectId: number) =>
  useQuery({ queryKey: ['projects', projectId, 'recognition'], queryFn: () => api.get<RecognitionView>(`/projects/${projectId}/recognition`) });

/** 结项提醒: what is odd about closing now (hours short of the plan, low attendance, sessions still ahead). */
export function CloseWarningsAlert({ warnings }: { warnings: RecognitionView['warnings'] }) {
  if (warnings.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="close-warnings"
      title="结项提醒：请核对以下情况"
      description={
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {warnings.map((w) => (
            <li key={w.kind}>{w.message}</li>
          ))}
        </ul>
      }
    />
  );
}

/**
 * In the 提交学时认定 dialog: when there are warnings, the organiser ticks that they know them (the server
 * refuses the close with 409 otherwise). The value goes to the action as `confirmWarnings`.
 */
export function ConfirmWarningsField({ projectId }: { projectId: number }) {
  const { data } = useRecognition(projectId);
  if (!data || data.warnings.length === 0) return null;
  return (
    <Form.Item
      name="confirmWarnings"
      valuePropName="checked"
      rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error('请先确认已知晓以上结项提醒'))) }]}
    >
      <Checkbox data-testid="confirm-warnings">我已知晓以上 {data.warnings.length} 项提醒，仍要提交学时认定（结项）</Checkbox>
    </Form.Item>
  );
}
