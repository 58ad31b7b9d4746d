import { isValidElement, type Key, type ReactNode } from 'react';
import { Checkbox, List, Pagination, Table, type TableColumnType, type TableProps } from 'antd';
import { useIsMobile } from '../hooks';

type Column<T> = TableColumnType<T> & { children?: unknown };

/** The value a column shows for a row: its render, or the field its dataIndex names. */
function cellOf<T extends object>(col: Column<T>, row: T, index: number): ReactNode {
  const path = col.dataIndex === undefined ? [] : Array.isArray(col.dataIndex) ? col.dataIndex : [col.dataIndex];
  let value: unknown = row;
  for (const k of path) value = value == null ? undefined : (value as Record<string | number, unknown>)[k as string | number];
  if (!path.length) value = undefined;
  const out = col.render ? col.render(value, row, index) : (value as ReactNode);
  // A render may return { children, props } (cell spans): on a card only the content counts.
  if (out && typeof out === 'object' && !isValidElement(out) && 'children' in (out as object)) return (out as { children: ReactNode }).children;
  return out === null || out === undefined || out === '' ? '—' : (out as ReactNode);
}

function keyOf<T extends object>(rowKey: TableProps<T>['rowKey'], row: T, index: number): Key {
  if (typeof rowKey === 'function') return rowKey(row, index);
  const k = (row as Record<string, unknown>)[(rowKey as string | undefined) ?? 'key'];
  return (k as Key | undefined) ?? index;
}

/**
 * A table on a desk, a list of cards on a phone: on a 390 px screen a wide table either scrolls sideways
 * or squeezes its headers to one character per line, so each row becomes a card — the first column as its
 * heading, every other column as a "标题 值" line that wraps. Same props as antd's Table (columns, rowKey,
 * rowSelection, pagination, loading, locale), so a page switches by changing the component's name.
 */
export function ResponsiveTable<T extends object>(props: TableProps<T>) {
  const mobile = useIsMobile();
  if (!mobile) return <Table<T> {...props} />;
  const { columns = [], dataSource, rowKey, rowSelection, pagination, loading, locale } = props;
  const cols = (columns as Column<T>[]).filter((c) => !c.hidden && !c.children);
  const [head, ...rest] = cols;
  const selected = new Set(rowSelection?.selectedRowKeys ?? []);
  const rows = [...(dataSource ?? [])];
  const toggle = (key: Key, on: boolean) => {
    const keys = on ? [...selected, key] : [...selected].filter((k) => k !== key);
    const picked = rows.filter((r, i) => keys.includes(keyOf(rowKey, r, i)));
    rowSelection?.onChange?.(keys, picked, { type: 'multiple' });
  };
  const allKeys = rows.map((r, i) => keyOf(rowKey, r, i));
  const all = allKeys.length > 0 && allKeys.every((k) => selected.has(k));
  const title = (c: Column<T>) => (typeof c.title === 'function' ? null : (c.title as ReactNode));
  return (
    <div data-testid={(props as { 'data-testid'?: string })['data-testid']} className="responsive-cards">
      {rowSelection && rows.length > 0 && (
        <Checkbox
          checked={all}
          indeterminate={!all && allKeys.some((k) => selected.has(k))}
          onChange={(e) => rowSelection.onChange?.(e.target.checked ? allKeys : [], e.target.checked ? rows : [], { type: 'all' })}
          style={{ marginBottom: 8 }}
        >
          全选本页
        </Checkbox>
      )}
      <List<T>
        dataSource={rows}
        loading={typeof loading === 'boolean' ? loading : undefined}
        locale={{ emptyText: locale?.emptyText as ReactNode }}
        renderItem={(row, i) => {
          const key = keyOf(rowKey, row, i);
          return (
            <List.Item key={key} style={{ display: 'block', paddingInline: 4 }} className="responsive-card">
              <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start', fontWeight: 500, marginBottom: 4 }}>
                {rowSelection && <Checkbox checked={selected.has(key)} onChange={(e) => toggle(key, e.target.checked)} aria-label="选择" />}
                <div style={{ flex: 1, minWidth: 0, overflowWrap: 'anywhere' }}>{head ? cellOf(head, row, i) : null}</div>
              </div>
              {rest.map((c, j) => (
                <div key={String(c.key ?? c.dataIndex ?? j)} style={{ display: 'flex', gap: 8, fontSize: 13, lineHeight: '22px' }}>
                  {title(c) && <span style={{ flex: 'none', width: '5.5em', color: 'rgba(0,0,0,0.45)' }}>{title(c)}</span>}
                  <div style={{ flex: 1, minWidth: 0, overflowWrap: 'anywhere' }}>{cellOf(c, row, i)}</div>
                </div>
              ))}
            </List.Item>
          );
        }}
      />
      {/* Server paging (a total is given): the pager below; client paging: every row, one scroll. */}
      {pagination && pagination.total !== undefined && pagination.total > (pagination.pageSize ?? 10) && (
        <Pagination
          size="small"
          simple
          align="center"
          style={{ marginTop: 12 }}
          current={pagination.current}
          pageSize={pagination.pageSize}
          total={pagination.total}
          onChange={pagination.onChange}
        />
      )}
    </div>
  );
}
