import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { api } from '../api/client';
import { queryClient } from '../api/query';
import type { OrgNode } from '../api/types';
import { ORG_KINDS, label } from '../vocab';

/** GET /orgs/tree through TanStack Query (key ['orgs', 'tree', user]); 组织机构管理 invalidates ['orgs'] after a change. */
export function useOrgTree(key: string | number | undefined): { tree: OrgNode[]; loading: boolean; error: unknown } {
  const q = useQuery({
    queryKey: ['orgs', 'tree', key],
    queryFn: () => api.get<OrgNode[]>('/orgs/tree'),
    enabled: key !== undefined,
    staleTime: 5 * 60_000,
  });
  return { tree: q.data ?? EMPTY, loading: q.isPending, error: q.error };
}

const EMPTY: OrgNode[] = [];

/** After an org changes (created, renamed, moved, merged, closed): every tree, list and detail reloads. */
export function invalidateOrgs(): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: ['orgs'] });
}

/** The chain root → … → id, or [] if id is not in the tree. */
export function findOrgPath(tree: OrgNode[], id: number): OrgNode[] {
  for (const n of tree) {
    if (n.id === id) return [n];
    const sub = findOrgPath(n.children, id);
    if (sub.length) return [n, ...sub];
  }
  return [];
}

export function flattenOrgs(tree: OrgNode[]): OrgNode[] {
  return tree.flatMap((n) => [n, ...flattenOrgs(n.children)]);
}

interface TreeSelectNode {
  value: number;
  title: string;
  disabled?: boolean;
  children: TreeSelectNode[];
}

function toSelectNodes(nodes: OrgNode[], schoolsOnly: boolean): TreeSelectNode[] {
  return nodes.map((n) => ({
    value: n.id,
    title: n.kind === 'school' || n.kind === 'bureau' ? n.name : `${n.name}（${label(ORG_KINDS, n.kind)}）`,
    disabled: schoolsOnly && n.kind !== 'school',
    children: toSelectNodes(n.children, schoolsOnly),
  }));
}

/** TreeSelect over the caller's org tree; `schoolsOnly` makes only schools selectable (a teacher belongs to a school). */
export function OrgTreeSelect({
  tree,
  value,
  onChange,
  schoolsOnly = false,
  placeholder = '学校/单位',
  style,
  allowClear = true,
  id,
}: {
  tree: OrgNode[];
  value?: number | null;
  onChange?: (v: number | undefined) => void;
  schoolsOnly?: boolean;
  placeholder?: string;
  style?: React.CSSProperties;
  allowClear?: boolean;
  id?: string;
}) {
  return (
    <TreeSelect<number>
      id={id}
      treeData={toSelectNodes(tree, schoolsOnly)}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll={flattenOrgs(tree).length <= 60}
      style={{ minWidth: style?.width ? undefined : 200, ...style }}
      popupMatchSelectWidth={false}
    />
  );
}
