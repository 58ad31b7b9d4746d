import { useState } from 'react';
import { App, Button, Tooltip } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { errorText } from '../../api/client';
import { downloadCertificate, loadMyCompletions, useMyCompletions } from './certificates';

/** 下载证书 for one of the teacher's projects: shown only when the project is finished and completed. */
export function DownloadCertificateButton({ path, name, size }: { path: string; name: string; size?: 'small' | 'middle' }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      size={size}
      icon={<SafetyCertificateOutlined />}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await downloadCertificate(path, name);
          void loadMyCompletions(true).catch(() => undefined);
        } catch (e) {
          message.error(errorText(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      下载证书
    </Button>
  );
}

/** For the 我的培训 list: renders nothing unless this project earns the teacher a certificate. */
export default function MyCertificateButton({ projectId, size = 'small' }: { projectId: number; size?: 'small' | 'middle' }) {
  const list = useMyCompletions();
  const c = list?.find((x) => x.projectId === projectId);
  if (!c) return null;
  if (!c.completed)
    return (
      <Tooltip title={c.reason}>
        <Button size={size} disabled icon={<SafetyCertificateOutlined />}>
          未达结业条件
        </Button>
      </Tooltip>
    );
  return <DownloadCertificateButton path={`/my/certificates/${projectId}/pdf`} name={`结业证书-${c.projectName}.pdf`} size={size} />;
}
