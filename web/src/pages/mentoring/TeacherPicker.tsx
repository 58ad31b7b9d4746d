import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { api } from '../../api/client';

interface Hit {
  id: number;
  name: string;
  orgName: string;
}

/** A teacher of the caller's scope, found by name (a form control: value = teacher id; `id` ties it to its label). */
export function TeacherPicker({ id, value, onChange }: { id?: string; value?: number; onChange?: (v: number) => void }) {
  const [q, setQ] = useState('');
  const hits = useQuery({
    queryKey: ['teachers', { q, pageSize: 20 }],
    queryFn: () => api.get<{ items: Hit[] }>('/teachers', { q, pageSize: 20 }),
    enabled: q.length > 0,
  });
  return (
    <Select
      id={id}
      showSearch
      style={{ width: '100%' }}
      value={value}
      onChange={onChange}
      placeholder="输入姓名查找"
      filterOption={false}
      onSearch={(v) => setQ(v.trim())}
      notFoundContent={q ? '未找到教师' : '请输入姓名'}
      options={(hits.data?.items ?? []).map((t) => ({ value: t.id, label: `${t.name}（${t.orgName}）` }))}
    />
  );
}
