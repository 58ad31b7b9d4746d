import { lazy, Suspense } from 'react';
import { Button, Space } from 'antd';
import type { AllowedAction, ProjectDetail } from '../../../api/types';
import { PageLoading } from '../../../components/Status';
import { BACKWARD, RECOGNITION } from './shared';

const RecognitionPanel = lazy(() => import('../RecognitionPanel'));

/** 学时认定 tab: the recognition steps the caller may take, above the per-teacher preview. */
export default function RecognitionTab({ project: p, onAction }: { project: ProjectDetail; onAction: (a: AllowedAction) => void }) {
  const recognitionActions = p.allowedActions.filter((a) => RECOGNITION.has(a.action));
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {recognitionActions.length > 0 && (
        <Space wrap>
          {recognitionActions.map((a) => (
            <Button key={a.action} type={BACKWARD.has(a.action) ? 'default' : 'primary'} onClick={() => onAction(a)} data-testid={`recognition-${a.action}`}>
              {a.action === 'returnRecognition' ? '退回' : a.label}
            </Button>
          ))}
        </Space>
      )}
      <Suspense fallback={<PageLoading />}>
        <RecognitionPanel key={p.status} projectId={p.id} />
      </Suspense>
    </Space>
  );
}
