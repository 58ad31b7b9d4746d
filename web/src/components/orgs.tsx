import { useEffect, useState } from 'react';
import { TreeSelect } from 'antd';
import { api } from '../api/client';
import type { OrgNode } from '../api/types';
import { ORG_KINDS, label } from '../vocab';

// One org tree per page load: it changes rarely and several pages and filters use it.
let cache: { key: string; promise: Promise<OrgNode[]> } | null = null;

/** GET /orgs/tree, shared by all callers; `key` (the user id) drops the cache when the user changes. */
export function loadOrgTree(key: string | number, force = false): Promise<OrgNode[]> {
  if (!cache || cache.key !== String(key) || force) {
    const promise = api.get<OrgNode[]>('/orgs/tree');
    cache = { key: String(key), promise };
    promise.catch(() => {
      if (cache?.promise === promise) cache = null;
    });
  }
  return cache.promise;
}

export function useOrgTree(key: string | number | undefined): { tree: OrgNode[]; loading: boolean; error: unknown } {
  const [tree, setTree] = useState<OrgNode[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (key === undefined) return;
    let live = true;
    loadOrgTree(key).then(
      (t) => live && (setTree(t), setLoading(false)),
      (e: unknown) => live && (setError(e), setLoading(false)),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return { tree, loading, error };
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
