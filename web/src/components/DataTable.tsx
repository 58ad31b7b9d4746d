import { Table, type TableProps } from 'antd';
import { ResponsiveTable } from './ResponsiveTable';
import { EmptyState, LoadError } from './Status';

/**
 * The list table of a page or tab: small, fed from a query's items (useQuery), with a worded empty state;
 * a failed load shows the error with a retry (the query's refetch) instead of the table. With phoneCards,
 * a card per row on phones (ResponsiveTable) instead of a table squeezed into 390 px.
 */
export function DataTable<T extends object>({
  items,
  empty,
  error,
  onRetry,
  phoneCards,
  ...rest
}: Omit<TableProps<T>, 'dataSource' | 'locale'> & {
  items: readonly T[] | undefined;
  empty: string;
  error?: unknown;
  onRetry?: () => void;
  phoneCards?: boolean;
}) {
  if (error) return <LoadError error={error} onRetry={onRetry} />;
  const Component = phoneCards ? ResponsiveTable<T> : Table<T>;
  return <Component size="small" dataSource={items ?? []} locale={{ emptyText: <EmptyState text={empty} /> }} {...rest} />;
}
