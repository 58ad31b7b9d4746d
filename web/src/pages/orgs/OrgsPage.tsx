import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Badge, Button, Card, Col, Descriptions, Input, Row, Space, Tag, Tree, Typography } from 'antd';
import { BarChartOutlined, TeamOutlined } from '@ant-design/icons';
import type { OrgNode } from '../../api/types';
import { useAuth } from '../../auth';
import { flattenOrgs, useOrgTree } from '../../components/orgs';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { label, ORG_KINDS, ORG_LEVELS, STAGES } from '../../vocab';

interface TreeNode {
  key: number;
  title: React.ReactNode;
  children: TreeNode[];
}

const KIND_COLORS: Record<string, string> = {
  bureau: 'blue',
  school: 'green',
  devCenter: 'purple',
  researchOffice: 'purple',
  institution: 'orange',
  district: 'cyan',
  eduGroup: 'cyan',
};

/** Keep nodes whose name matches, plus their ancestors. */
function filterTree(nodes: OrgNode[], q: string): OrgNode[] {
  if (!q) return nodes;
  return nodes.flatMap((n) => {
    const kids = filterTree(n.children, q);
    return n.name.includes(q) || kids.length ? [{ ...n, children: kids }] : [];
  });
}

function toTree(nodes: OrgNode[]): TreeNode[] {
  return nodes.map((n) => ({
    key: n.id,
    title: (
      <span data-testid={`org-node-${n.id}`}>
        {n.name}{' '}
        <Tag color={KIND_COLORS[n.kind]} style={{ marginInlineStart: 4 }}>
          {n.kind === 'bureau' || n.kind === 'school' ? label(ORG_LEVELS, n.level) : label(ORG_KINDS, n.kind)}
        </Tag>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {n.totalTeachers} 人
        </Typography.Text>
      </span>
    ),
    children: toTree(n.children),
  }));
}

/** 组织机构: the caller's org subtree with teacher counts; a node's details link to its teachers. */
export default function OrgsPage() {
  const { me } = useAuth();
  const { tree, loading, error } = useOrgTree(me?.id);
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const all = useMemo(() => flattenOrgs(tree), [tree]);
  const shown = useMemo(() => filterTree(tree, q.trim()), [tree, q]);
  const node = all.find((n) => n.id === (selected ?? tree[0]?.id));
  // Expand the first two levels by default; a search expands everything it kept.
  const expanded = q.trim() ? flattenOrgs(shown).map((n) => n.id) : tree.flatMap((n) => [n.id, ...n.children.map((c) => c.id)]);

  if (loading) return <PageLoading />;
  if (error) return <LoadError error={error} />;
  if (!tree.length)
    return (
      <Card>
        <EmptyState text="暂无组织机构" />
      </Card>
    );

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card title="组织机构" extra={<Input.Search allowClear placeholder="搜索单位名称" onChange={(e) => setQ(e.target.value)} style={{ width: 200 }} />}>
          <Tree<TreeNode>
            key={q.trim() ? `q-${q}` : 'all'}
            treeData={toTree(shown)}
            defaultExpandedKeys={expanded}
            selectedKeys={node ? [node.id] : []}
            onSelect={(keys) => keys.length && setSelected(Number(keys[0]))}
            showLine
            blockNode
            data-testid="org-tree"
          />
          {!shown.length && <EmptyState text="没有匹配的单位" />}
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        {node && (
          <Card title={node.name} data-testid="org-detail">
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'code', label: '单位代码', children: node.code },
                { key: 'level', label: '层级', children: label(ORG_LEVELS, node.level) },
                { key: 'kind', label: '类型', children: label(ORG_KINDS, node.kind) },
                ...(node.stage ? [{ key: 'stage', label: '学段', children: label(STAGES, node.stage) }] : []),
                { key: 'own', label: '本单位教师', children: `${node.teacherCount} 人` },
                { key: 'total', label: '含下级教师', children: <Badge color="blue" text={`${node.totalTeachers} 人`} /> },
                { key: 'children', label: '下级单位', children: `${node.children.length} 个` },
              ]}
            />
            <Space style={{ marginTop: 16 }} wrap>
              <Link to={`/teachers?orgId=${node.id}`}>
                <Button type="primary" icon={<TeamOutlined />}>
                  查看教师
                </Button>
              </Link>
              <Link to={`/hours/summary?orgId=${node.id}`}>
                <Button icon={<BarChartOutlined />}>学时统计</Button>
              </Link>
            </Space>
          </Card>
        )}
      </Col>
    </Row>
  );
}
