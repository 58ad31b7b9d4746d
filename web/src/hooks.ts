import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { App, Grid } from 'antd';
import type { FormInstance } from 'antd';
import { ApiError, errorText } from './api/client';
import { queryClient } from './api/query';

/** Narrow screens (below antd's md breakpoint, 768px) get the compact phone layout. */
export function useIsMobile(): boolean {
  const bp = Grid.useBreakpoint();
  // Before the first measurement useBreakpoint is empty; fall back to the window width.
  if (bp.md === undefined) return typeof window !== 'undefined' && window.innerWidth < 768;
  return !bp.md;
}

export interface AsyncState<T> {
  data: T | undefined;
  loading: boolean;
  error: unknown;
  reload(): void;
  setData(d: T): void;
}

/**
 * Load data for a page; re-runs when deps change and ignores answers that arrive after a newer request.
 * Superseded by TanStack Query (api/query.ts) and kept only for the pages not yet moved. Those pages call
 * reload() after their changes without knowing the query keys, so reload() also marks the whole query cache
 * stale: a migrated page never shows data older than a change made on an unmigrated one.
 */
export function useApi<T>(fn: () => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps say when fn asks for something else
  useEffect(() => {
    const my = ++seq.current;
    setLoading(true);
    fn().then(
      (d) => {
        if (my !== seq.current) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (my !== seq.current) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => {
    setTick((t) => t + 1);
    void queryClient.invalidateQueries();
  }, []);
  return { data, loading, error, reload, setData };
}

/** 'roles.0.since' → ['roles', 0, 'since'], the name path antd Form uses. */
export function fieldPath(field: string): (string | number)[] {
  return field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Show a server error on a form: field errors next to their fields (those the form has),
 * everything else as a message. Returns the text shown as a general message, if any.
 */
export function applyFormError(form: FormInstance, e: unknown, showMessage: (text: string) => void): void {
  if (e instanceof ApiError && e.fields.length) {
    // Only fields this form has registered can carry an error; the rest go into the message.
    const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
    const known = e.fields.filter((f) => f.field && registered.has(f.field));
    const byPath = new Map<string, string[]>();
    for (const f of known) byPath.set(f.field, [...(byPath.get(f.field) ?? []), f.message]);
    form.setFields([...byPath].map(([field, errors]) => ({ name: fieldPath(field), errors })));
    if (known.length) {
      const first = fieldPath(known[0].field);
      form.scrollToField(first, { block: 'center' });
    }
    const unknown = e.fields.filter((f) => !known.includes(f));
    showMessage(unknown.length ? e.message : '请修正标红的字段后再提交');
    return;
  }
  showMessage(errorText(e));
}

/**
 * A form's submit handler: `busy` while `run` sends and does what follows success (message, close,
 * reload); an error it throws goes onto the form's fields, or into a message (applyFormError).
 */
export function useFormSubmit<V>(form: FormInstance, run: (values: V) => Promise<void>): { busy: boolean; submit: (values: V) => Promise<void> } {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const submit = async (values: V) => {
    setBusy(true);
    try {
      await run(values);
    } catch (e) {
      applyFormError(form, e, (t) => message.error(t));
    } finally {
      setBusy(false);
    }
  };
  return { busy, submit };
}
