import { Table, type TableProps } from 'antd';
import { EmptyState, LoadError } from './Status';

/**
 * The list table of a page or tab: small, fed from a query's items (useQuery), with a worded empty state;
 * a failed load shows the error with a retry (the query's refetch) instead of the table.
 */
export function DataTable<T extends object>({
  items,
  empty,
  error,
  onRetry,
  ...rest
}: Omit<TableProps<T>, 'dataSource' | 'locale'> & { items: readonly T[] | undefined; empty: string; error?: unknown; onRetry?: () => void }) {
  if (error) return <LoadError error={error} onRetry={onRetry} />;
  return <Table<T> size="small" dataSource={items ?? []} locale={{ emptyText: <EmptyState text={empty} /> }} {...rest} />;
}
