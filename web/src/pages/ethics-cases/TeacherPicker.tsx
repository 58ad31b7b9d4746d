import { useEffect, useRef, useState } from 'react';
import { Select, Spin } from 'antd';
import { api } from '../../api/client';
import type { Page, TeacherDto } from '../../api/types';

/** Pick one teacher of the caller's subtree by name (GET /teachers?q=; never an ID number in the URL). */
export default function TeacherPicker({ value, onChange, testId }: { value?: number; onChange?: (v: number) => void; testId?: string }) {
  const [opts, setOpts] = useState<{ value: number; label: string }[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const search = (q: string) => {
    if (timer.current) clearTimeout(timer.current);
    if (/\d{6,}/.test(q)) return;
    timer.current = setTimeout(async () => {
      const my = ++seq.current;
      setLoading(true);
      try {
        const r = await api.get<Page<TeacherDto>>('/teachers', { q: q.trim(), page: 1, pageSize: 30 });
        if (my === seq.current) setOpts(r.items.map((t) => ({ value: t.id, label: `${t.name} · ${t.orgName}` })));
      } finally {
        if (my === seq.current) setLoading(false);
      }
    }, 300);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the first page once; search reads refs only
  useEffect(() => {
    search('');
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);
  return (
    <Select<number>
      value={value}
      onChange={(v) => onChange?.(v)}
      options={opts}
      showSearch={{ onSearch: search, filterOption: false }}
      notFoundContent={loading ? <Spin size="small" /> : '没有找到教师（请按姓名搜索）'}
      placeholder="输入姓名搜索"
      data-testid={testId}
    />
  );
}
