import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Space, Typography } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client';
import { LoadError } from '../../components/Status';
import { downloadCertificate } from '../certificates/certificates';
import { EligibilityCard } from './EligibilityCard';
import type { TitleEligibility } from './types';

/** 我的职称申报条件 (phone friendly): 可申报 or 还差 … with citations, and the 学时证明 to download. */
export default function MyTitlePage() {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const { data, error, isPending, refetch } = useQuery({
    queryKey: ['my', 'title-eligibility'],
    queryFn: () => api.get<TitleEligibility>('/my/title-eligibility'),
  });
  const download = async (cycle: 'last' | 'current') => {
    setBusy(true);
    try {
      await downloadCertificate(`/my/hours-proof?cycle=${cycle}`, '继续教育学时证明.pdf');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        我的职称申报条件
      </Typography.Title>
      {error ? <LoadError error={error} onRetry={() => void refetch()} /> : isPending || !data ? <Card loading /> : <EligibilityCard e={data} />}
      <Card size="small" title="继续教育学时证明">
        <Typography.Paragraph type="secondary">职称评审时提交：周期内学时按年度和类别列出，加注出具单位和编号。</Typography.Paragraph>
        <Space wrap>
          <Button type="primary" icon={<FilePdfOutlined />} loading={busy} onClick={() => void download('last')}>
            下载学时证明（上一周期）
          </Button>
          <Button icon={<FilePdfOutlined />} loading={busy} onClick={() => void download('current')}>
            本周期学时证明
          </Button>
        </Space>
      </Card>
    </Space>
  );
}
