import { Empty, Tabs } from 'antd';
import { apiUrl } from '../../api/client';
import type { ClaimFile } from './types';

/**
 * The claim's evidence shown in the page: images as <img>, PDFs in a same-origin <iframe> (the download
 * route with inline=1 may be framed by the app alone). One tab per file.
 */
export default function EvidencePreview({ claimId, files }: { claimId: number; files: ClaimFile[] }) {
  if (!files.length) return <Empty description="尚未上传证明材料" />;
  return (
    <Tabs
      size="small"
      items={files.map((f) => {
        const src = apiUrl(`/claims/${claimId}/files/${f.id}`, { inline: 1 });
        return {
          key: String(f.id),
          label: f.name,
          children:
            f.kind === 'pdf' ? (
              <iframe title={`预览：${f.name}`} src={src} style={{ width: '100%', height: 520, border: '1px solid #f0f0f0' }} />
            ) : (
              <img alt={`预览：${f.name}`} src={src} style={{ maxWidth: '100%', maxHeight: 520, display: 'block', margin: '0 auto' }} />
            ),
        };
      })}
    />
  );
}
