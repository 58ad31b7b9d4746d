import { useEffect, useState } from 'react';
import { Alert, Drawer, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { api, errorText } from '../../api/client';
import { useIsMobile } from '../../hooks';
import { formatValue } from './format';
import type { FigureDto, HistoryDto, HistoryItem, IndicatorKind } from './types';

/** Every value recorded for one org, metric and year, newest first; the first one is what counts. */
export default function HistoryDrawer({ kind, of, onClose }: { kind: IndicatorKind; of: FigureDto | null; onClose: () => void }) {
  const mobile = useIsMobile();
  const [data, setData] = useState<HistoryDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!of) return;
    let live = true;
    setData(null);
    setError(null);
    api.get<HistoryDto>(`/indicators/${kind}/history`, { orgId: of.orgId, metric: of.metric, year: of.year }).then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [kind, of]);

  return (
    <Drawer open={!!of} onClose={onClose} size={mobile ? '100%' : 720} title={of ? `历史记录：${of.orgName} ${of.year} 年 ${of.metricLabel}` : '历史记录'}>
      {error && <Alert type="error" showIcon title={error} />}
      <Typography.Paragraph type="secondary">记录只增不改：每次填报都新增一条，以最近一次为准，之前的数值保留在这里。</Typography.Paragraph>
      <Table<HistoryItem>
        rowKey="id"
        size="small"
        loading={!data && !error}
        dataSource={data?.items ?? []}
        pagination={false}
        data-testid="history-table"
        columns={[
          {
            title: '数值',
            dataIndex: 'value',
            render: (_, r) => (
              <>
                {r.cleared ? '撤销覆盖（采用平台记录）' : formatValue(r.value, r.unit)} {r.current && <Tag color="green">当前</Tag>}
              </>
            ),
          },
          { title: '来源/依据', dataIndex: 'source' },
          ...(kind === 'targets' ? [{ title: '覆盖原因', dataIndex: 'reason', render: (v: string | null) => v ?? '—' }] : []),
          { title: '记录时间', dataIndex: 'recordedAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
          { title: '记录人', dataIndex: 'recordedBy', render: (v: string | null) => v ?? '—' },
        ]}
      />
    </Drawer>
  );
}
