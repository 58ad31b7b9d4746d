import { useEffect, useState } from 'react';
import { Alert, Button, Modal, Space, Spin, Typography } from 'antd';
import { PrinterOutlined, QrcodeOutlined } from '@ant-design/icons';
import QRCode from 'qrcode';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A questionnaire's QR code (评价问卷, 需求调研): teachers scan it with their phone and land on the answer page
 * (signing in first if needed). The dialog shows the code and the link; 打印 opens a printable page with the
 * code, the project and the questionnaire title, for posting in the training room.
 */
export default function SurveyQrButton({ path, title, projectName = '', disabled }: { path: string; title: string; projectName?: string; disabled?: boolean }) {
  const [open, setOpen] = useState(false);
  const [dataUrl, setDataUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const url = `${window.location.origin}${path}`;
  useEffect(() => {
    if (!open) return;
    let live = true;
    QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 320 })
      .then((d) => live && setDataUrl(d))
      .catch(() => live && setError('二维码生成失败，请复制链接发给教师'));
    return () => {
      live = false;
    };
  }, [open, url]);

  const print = () => {
    if (!dataUrl) return;
    const w = window.open('', '_blank');
    if (!w) return;
    w.document.write(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:"WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;text-align:center;padding:40px}h1{font-size:28px;margin:0 0 8px}
h2{font-size:20px;font-weight:normal;color:#555;margin:0 0 24px}img{width:360px;height:360px}p{font-size:16px;color:#333}</style></head>
<body><h1>${escapeHtml(title)}</h1>${projectName ? `<h2>${escapeHtml(projectName)}</h2>` : ''}<img src="${dataUrl}" alt="问卷二维码">
<p>请用手机扫描二维码填写（需登录强师平台教师账号）</p><p style="font-size:12px;color:#888">${escapeHtml(url)}</p></body></html>`);
    w.document.close();
    w.focus();
    w.print();
  };

  return (
    <>
      <Button size="small" icon={<QrcodeOutlined />} disabled={disabled} onClick={() => setOpen(true)} data-testid="survey-qr">
        问卷二维码
      </Button>
      <Modal
        title={`问卷二维码：${title}`}
        open={open}
        onCancel={() => setOpen(false)}
        footer={[
          <Button key="print" type="primary" icon={<PrinterOutlined />} disabled={!dataUrl} onClick={print} data-testid="survey-qr-print">
            打印
          </Button>,
          <Button key="close" onClick={() => setOpen(false)}>
            关闭
          </Button>,
        ]}
        destroyOnHidden
      >
        <Space orientation="vertical" align="center" style={{ width: '100%' }}>
          {error ? (
            <Alert type="error" showIcon title={error} />
          ) : dataUrl ? (
            <img src={dataUrl} alt="问卷二维码" width={280} height={280} data-testid="survey-qr-image" />
          ) : (
            <Spin />
          )}
          <Typography.Text type="secondary">教师用手机扫码即可填写（需登录教师账号）</Typography.Text>
          <Typography.Text copyable={{ text: url }} style={{ fontSize: 12 }}>
            {url}
          </Typography.Text>
        </Space>
      </Modal>
    </>
  );
}
