import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Badge, Button, Card, Col, Descriptions, Input, Popconfirm, Row, Select, Space, Table, Tabs, Tag, Timeline, Tree, Typography } from 'antd';
import {
  BarChartOutlined,
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  MergeCellsOutlined,
  PlusOutlined,
  SwapOutlined,
  TeamOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { api, apiUrl, errorText } from '../../api/client';
import type { OrgNode } from '../../api/types';
import { useAuth } from '../../auth';
import { flattenOrgs, invalidateOrgs, useOrgTree } from '../../components/orgs';
import { EmptyState, LoadError, PageLoading } from '../../components/Status';
import { label, LOCALES, ORG_KINDS, ORG_LEVELS, OWNERSHIPS, SCHOOL_TYPES } from '../../vocab';
import { HISTORY_FIELDS, type OrgDetail, useOrgDetail } from './api';
import { OrgActionModal, OrgFormModal } from './OrgForms';
import OrgImportModal from './OrgImportModal';

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
          {n.kind === 'bureau' ? label(ORG_LEVELS, n.level) : n.kind === 'school' && n.stage ? label(SCHOOL_TYPES, n.stage) : label(ORG_KINDS, n.kind)}
        </Tag>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {n.totalTeachers} 人
        </Typography.Text>
      </span>
    ),
    children: toTree(n.children),
  }));
}

type Dialog = { kind: 'create' } | { kind: 'edit' } | { kind: 'move' | 'merge' | 'close' } | { kind: 'import' } | null;

/** 组织机构: the caller's org subtree with teacher counts; a manager creates, edits, moves, merges and closes orgs below its own. */
export default function OrgsPage() {
  const { me, can } = useAuth();
  const { tree, loading, error } = useOrgTree(me?.id);
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const all = useMemo(() => flattenOrgs(tree), [tree]);
  const shown = useMemo(() => filterTree(tree, q.trim()), [tree, q]);
  const node = all.find((n) => n.id === (selected ?? tree[0]?.id));
  const detail = useOrgDetail(node?.id);
  const manage = can('orgs.manage');
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

  const d = detail.data;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={13}>
        <Card
          title="组织机构"
          extra={
            <Space wrap>
              <Input.Search allowClear placeholder="搜索单位名称" onChange={(e) => setQ(e.target.value)} style={{ width: 180 }} />
              {manage && (
                <Button icon={<UploadOutlined />} onClick={() => setDialog({ kind: 'import' })}>
                  导入
                </Button>
              )}
              <Button icon={<DownloadOutlined />} href={apiUrl('/orgs/export')} download data-testid="org-export">
                导出
              </Button>
            </Space>
          }
        >
          <Tree<TreeNode>
            key={q.trim() ? `q-${q}` : `all-${all.length}`}
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
      <Col xs={24} lg={11}>
        {node && (
          <Card
            title={
              <Space>
                {node.name}
                {d?.closedAt && <Tag color="red">已撤销</Tag>}
              </Space>
            }
            data-testid="org-detail"
          >
            <Space style={{ marginBottom: 12 }} wrap>
              {manage && node.kind === 'bureau' && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })}>
                  新建下级单位
                </Button>
              )}
              {d?.manageable && !d.closedAt && (
                <>
                  <Button icon={<EditOutlined />} onClick={() => setDialog({ kind: 'edit' })}>
                    编辑
                  </Button>
                  <Button icon={<SwapOutlined />} onClick={() => setDialog({ kind: 'move' })}>
                    移动
                  </Button>
                  <Button icon={<MergeCellsOutlined />} onClick={() => setDialog({ kind: 'merge' })}>
                    合并
                  </Button>
                  <Button danger icon={<DeleteOutlined />} onClick={() => setDialog({ kind: 'close' })}>
                    撤销
                  </Button>
                </>
              )}
            </Space>
            <Tabs
              items={[
                { key: 'info', label: '基本信息', children: <Info node={node} d={d} /> },
                { key: 'history', label: '历史', children: <History d={d} /> },
                ...(node.kind === 'district' || node.kind === 'eduGroup'
                  ? [{ key: 'members', label: '成员学校', children: d && <Members d={d} schools={all.filter((n) => n.kind === 'school')} /> }]
                  : []),
              ]}
            />
            <Space style={{ marginTop: 8 }} wrap>
              <Link to={`/teachers?orgId=${node.id}`}>
                <Button icon={<TeamOutlined />}>查看教师</Button>
              </Link>
              <Link to={`/hours/summary?orgId=${node.id}`}>
                <Button icon={<BarChartOutlined />}>学时统计</Button>
              </Link>
            </Space>
          </Card>
        )}
      </Col>
      {dialog?.kind === 'create' && node && <OrgFormModal parent={node} onClose={(id) => (setDialog(null), id && setSelected(id))} />}
      {dialog?.kind === 'edit' && d && <OrgFormModal org={d} onClose={() => setDialog(null)} />}
      {(dialog?.kind === 'move' || dialog?.kind === 'merge' || dialog?.kind === 'close') && d && (
        <OrgActionModal action={dialog.kind} org={d} tree={tree} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'import' && <OrgImportModal onClose={() => setDialog(null)} />}
    </Row>
  );
}

function Info({ node, d }: { node: OrgNode; d: OrgDetail | undefined }) {
  const school = node.kind === 'school';
  return (
    <Descriptions
      column={1}
      size="small"
      items={[
        { key: 'code', label: '单位代码', children: node.code },
        { key: 'kind', label: '类型', children: label(ORG_KINDS, node.kind) },
        { key: 'level', label: '层级', children: label(ORG_LEVELS, node.level) },
        ...(d?.parentName ? [{ key: 'parent', label: '上级单位', children: d.parentName }] : []),
        ...(school
          ? [
              { key: 'type', label: '学校类型', children: label(SCHOOL_TYPES, node.stage) },
              { key: 'own', label: '办学性质', children: label(OWNERSHIPS, d?.ownership) },
              { key: 'locale', label: '城乡类型', children: label(LOCALES, d?.locale) },
              { key: 'sid', label: '学校标识码', children: d?.schoolIdCode ?? '—' },
            ]
          : []),
        { key: 'teachers', label: '本单位教师', children: `${node.teacherCount} 人` },
        { key: 'total', label: '含下级教师', children: <Badge color="blue" text={`${node.totalTeachers} 人`} /> },
        { key: 'children', label: '下级单位', children: `${node.children.length} 个` },
        ...(d?.closedAt ? [{ key: 'closed', label: '撤销原因', children: d.closedReason ?? '—' }] : []),
      ]}
    />
  );
}

function History({ d }: { d: OrgDetail | undefined }) {
  if (!d) return null;
  return (
    <Timeline
      data-testid="org-history"
      items={d.history.map((h) => ({
        key: h.id,
        children: (
          <div>
            <Typography.Text strong>{HISTORY_FIELDS[h.field] ?? h.field}</Typography.Text>{' '}
            <Typography.Text type="secondary">{h.validFrom.slice(0, 10)}</Typography.Text>
            <div>
              {h.field === 'created' ? h.to : h.field === 'closed' ? (h.to ? `并入 ${h.to}` : '') : `${h.from ?? '—'} → ${h.to ?? '—'}`}
              {h.by && <Typography.Text type="secondary">（{h.by}）</Typography.Text>}
            </div>
            {h.reason && <Typography.Text type="secondary">原因：{h.reason}</Typography.Text>}
          </div>
        ),
      }))}
    />
  );
}

function Members({ d, schools }: { d: OrgDetail; schools: OrgNode[] }) {
  const { message } = App.useApp();
  const [orgId, setOrgId] = useState<number>();
  const add = useMutation({
    mutationFn: () => api.post(`/orgs/${d.id}/members`, { orgId }),
    onSuccess: async () => (await invalidateOrgs(), setOrgId(undefined), message.success('已添加')),
    onError: (e) => message.error(errorText(e)),
  });
  const end = useMutation({
    mutationFn: (memberId: number) => api.post(`/orgs/${d.id}/members/${memberId}/end`, {}),
    onSuccess: async () => (await invalidateOrgs(), message.success('已结束成员关系')),
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <>
      {d.manageable && !d.closedAt && (
        <Space style={{ marginBottom: 8 }}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="选择学校"
            style={{ width: 220 }}
            value={orgId}
            onChange={setOrgId}
            options={schools.map((s) => ({ value: s.id, label: s.name }))}
          />
          <Button disabled={!orgId} loading={add.isPending} onClick={() => add.mutate()}>
            添加成员
          </Button>
        </Space>
      )}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={d.memberships.filter((m) => m.groupId === d.id)}
        columns={[
          { title: '学校', dataIndex: 'orgName' },
          { title: '加入日期', dataIndex: 'validFrom', width: 110 },
          { title: '结束日期', dataIndex: 'validTo', width: 110, render: (v: string | null) => v ?? '—' },
          {
            title: '',
            width: 80,
            render: (_: unknown, m: OrgDetail['memberships'][number]) =>
              d.manageable &&
              !m.validTo && (
                <Popconfirm title="结束该学校的成员关系？" onConfirm={() => end.mutate(m.id)}>
                  <Button size="small" type="link">
                    结束
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </>
  );
}
