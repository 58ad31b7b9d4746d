import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { api } from '../../api/client';

/** Find teachers of the caller's subtree by name (one or several). */
export function TeacherPicker({
  value,
  onChange,
  multiple,
  id,
}: {
  value?: number | number[];
  onChange?: (v: number | number[]) => void;
  multiple?: boolean;
  id?: string;
}) {
  const [q, setQ] = useState('');
  const hits = useQuery({
    queryKey: ['teachers', { q, pageSize: 20 }],
    queryFn: () => api.get<{ items: { id: number; name: string; orgName: string }[] }>('/teachers', { q, pageSize: 20 }),
    enabled: q.length > 0,
  });
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: (v) => setQ(v.trim()) }}
      mode={multiple ? 'multiple' : undefined}
      value={value}
      onChange={onChange}
      placeholder="输入姓名查找教师"
      notFoundContent={q ? '没有找到' : '请输入姓名'}
      options={(hits.data?.items ?? []).map((t) => ({ value: t.id, label: `${t.name}（${t.orgName}）` }))}
    />
  );
}
