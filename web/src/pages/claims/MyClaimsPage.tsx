import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { LoadError } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { CATEGORIES, label } from '../../vocab';
import ClaimFormModal from './ClaimFormModal';
import { CLAIM_STATUS_COLORS, type ClaimDto } from './types';

interface ClaimPage {
  items: ClaimDto[];
  total: number;
}

/** 我的申报: the teacher's own hour claims (drafts included) and the 新建申报 button. */
export default function MyClaimsPage() {
  const nav = useNavigate();
  const mobile = useIsMobile();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const query = { page, pageSize: 20 };
  const { data, isFetching, error, refetch } = useQuery({
    queryKey: ['claims', 'list', query],
    queryFn: () => api.get<ClaimPage>('/claims', query),
    placeholderData: keepPreviousData,
  });
  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  return (
    <Card
      title="学时申报"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          新建申报
        </Button>
      }
    >
      <Table<ClaimDto>
        rowKey="id"
        loading={isFetching}
        dataSource={data?.items}
        scroll={mobile ? undefined : { x: 700 }}
        pagination={{ current: page, pageSize: 20, total: data?.total, onChange: setPage, showSizeChanger: false }}
        locale={{ emptyText: '还没有申报。在其他平台或单位参加的培训，可在这里申报学时。' }}
        columns={
          mobile
            ? // On a phone: the claim with its figures stacked, and the status.
              [
                {
                  title: '培训名称',
                  dataIndex: 'title',
                  render: (t: string, c) => (
                    <span>
                      <Link to={`/claims/${c.id}`}>{t}</Link>
                      <div style={{ fontSize: 12, color: '#8c8c8c' }}>
                        {label(CATEGORIES, c.category)} · {c.hours} 学时 · {c.occurredOn}
                      </div>
                    </span>
                  ),
                },
                { title: '状态', dataIndex: 'status', width: 96, render: (_: string, c) => <Tag color={CLAIM_STATUS_COLORS[c.status]}>{c.statusLabel}</Tag> },
              ]
            : [
                { title: '培训名称', dataIndex: 'title', render: (t: string, c) => <Link to={`/claims/${c.id}`}>{t}</Link> },
                { title: '类别', dataIndex: 'category', width: 110, render: (v: string) => label(CATEGORIES, v) },
                { title: '学时', dataIndex: 'hours', width: 70 },
                { title: '培训日期', dataIndex: 'occurredOn', width: 110 },
                { title: '材料', dataIndex: 'fileCount', width: 70, render: (n: number) => `${n} 份` },
                { title: '状态', dataIndex: 'status', width: 110, render: (_: string, c) => <Tag color={CLAIM_STATUS_COLORS[c.status]}>{c.statusLabel}</Tag> },
              ]
        }
        onRow={(c) => ({ onDoubleClick: () => nav(`/claims/${c.id}`) })}
      />
      <ClaimFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(id) => {
          setCreating(false);
          nav(`/claims/${id}`);
        }}
      />
    </Card>
  );
}
