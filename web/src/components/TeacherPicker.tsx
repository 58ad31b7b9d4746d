import { useEffect, useRef, useState } from 'react';
import { Select, Spin } from 'antd';
import { api } from '../api/client';
import type { Page, TeacherDto } from '../api/types';

interface Option {
  value: number;
  label: string;
}

/** Multi-select of teachers found by name via GET /teachers?q= (a 身份证号 or phone never goes into a URL). */
export default function TeacherPicker({ value, onChange, orgId }: { value?: number[]; onChange?: (v: number[]) => void; orgId?: number }) {
  const [opts, setOpts] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const chosen = useRef(new Map<number, Option>());

  const search = (q: string) => {
    if (timer.current) clearTimeout(timer.current);
    if (/\d{6,}/.test(q)) return setOpts([]);
    timer.current = setTimeout(async () => {
      const my = ++seq.current;
      setLoading(true);
      try {
        const r = await api.get<Page<TeacherDto>>('/teachers', { q: q.trim(), orgId, status: 'active', page: 1, pageSize: 30 });
        if (my === seq.current) setOpts(r.items.map((t) => ({ value: t.id, label: `${t.name} · ${t.orgName} · ${t.nationalIdMasked}` })));
      } catch {
        if (my === seq.current) setOpts([]);
      } finally {
        if (my === seq.current) setLoading(false);
      }
    }, 300);
  };
  useEffect(() => {
    search('');
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [orgId]); // eslint-disable-line react-hooks/exhaustive-deps

  // Keep labels of already chosen teachers when a new search replaces the options.
  const merged = [...opts, ...[...chosen.current.values()].filter((c) => !opts.some((o) => o.value === c.value) && value?.includes(c.value))];
  return (
    <Select<number[], Option>
      mode="multiple"
      value={value}
      onChange={(v, o) => {
        for (const x of Array.isArray(o) ? o : [o]) if (x) chosen.current.set(x.value, x);
        onChange?.(v);
      }}
      options={merged}
      showSearch={{ onSearch: search, filterOption: false }}
      notFoundContent={loading ? <Spin size="small" /> : '没有找到教师（请按姓名搜索）'}
      placeholder="输入姓名搜索"
      style={{ width: '100%' }}
      data-testid="teacher-picker"
    />
  );
}

/**
 * Pick one teacher of the caller's subtree by name (GET /teachers?q=; never an ID or phone in the URL): `status`
 * narrows the list (e.g. 在职 only), `initialId` shows a preset teacher, the chosen one stays listed while searching.
 */
export function OneTeacherPicker({
  value,
  onChange,
  initialId,
  status,
  testId,
}: {
  value?: number;
  onChange?: (v: number) => void;
  initialId?: number;
  status?: string;
  testId?: string;
}) {
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
        const r = await api.get<Page<TeacherDto>>('/teachers', { q: q.trim(), ...(status ? { status } : {}), page: 1, pageSize: 30 });
        if (my === seq.current)
          setOpts((old) => {
            const keep = old.filter((o) => o.value === value);
            const found = r.items.map((t) => ({ value: t.id, label: `${t.name} · ${t.orgName}` }));
            return [...keep.filter((k) => !found.some((f) => f.value === k.value)), ...found];
          });
      } finally {
        if (my === seq.current) setLoading(false);
      }
    }, 300);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per preset teacher; search reads refs only
  useEffect(() => {
    if (initialId)
      void api
        .get<TeacherDto>(`/teachers/${initialId}`)
        .then((t) => setOpts((o) => [{ value: t.id, label: `${t.name} · ${t.orgName}` }, ...o.filter((x) => x.value !== t.id)]))
        .catch(() => undefined);
    search('');
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [initialId]);
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
