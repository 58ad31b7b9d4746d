import { App, Button } from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { projectsChanged } from './query';
import type { FastTrackOffer, FastTrackResult } from './organiser-types';

/**
 * 提交并开放报名 and the like: when the next steps of a project are all the caller's own org's (a bureau's own
 * project; the last approver of a proposal approving and filing it), one button takes them together after a
 * confirmation listing each step. Every step is still recorded in the history, labelled 一并办理.
 */
export default function FastTrackButton({ projectId, status, onDone }: { projectId: number; status: string; onDone: () => void }) {
  const { message, modal } = App.useApp();
  const { data } = useQuery({
    queryKey: ['projects', projectId, 'fast-track', status],
    queryFn: () => api.get<{ offer: FastTrackOffer }>(`/projects/${projectId}/fast-track`),
  });
  const run = useMutation({
    mutationFn: () => api.post<FastTrackResult>(`/projects/${projectId}/fast-track`),
    onSuccess: (r) => {
      message.success(`已办理：${r.steps.map((s) => s.label).join(' → ')}；项目状态：${r.project.statusLabel}`);
      onDone();
    },
    onError: (e) => modal.error({ title: '未能一并办理', content: errorText(e) }),
    onSettled: () => void projectsChanged(),
  });
  const offer = data?.offer;
  if (!offer) return null;
  const confirm = () =>
    modal.confirm({
      title: `${offer.label}？`,
      content: (
        <div data-testid="fast-track-steps">
          <p>将由本单位依次办理以下步骤，每一步都记入流转记录（标注“一并办理”）：</p>
          <ol style={{ paddingLeft: 20, margin: 0 }}>
            {offer.labels.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ol>
        </div>
      ),
      okText: offer.label,
      cancelText: '取消',
      onOk: () => run.mutateAsync().catch(() => undefined),
    });
  return (
    <Button type="primary" icon={<ThunderboltOutlined />} loading={run.isPending} onClick={confirm} data-testid="fast-track">
      {offer.label}
    </Button>
  );
}
