import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Collapse, Input, List, Modal, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, apiUrl, errorText } from '../../api/client';
import { LoadError, PageLoading } from '../../components/Status';
import EntryDrawer, { type EntryMode } from './EntryDrawer';
import { recordsChanged } from './query';
import { CHANGE_STATUS_COLORS, type ChangeDto, type RecordEntry, type RecordSection, type TeacherRecord } from './types';

const { Text } = Typography;

/** One entry: its name, its filled-in fields, its evidence, and 修改 / 删除 unless a change of it is open. */
function EntryItem({ teacherId, entry, onEdit, onRemove }: { teacherId: number; entry: RecordEntry; onEdit?: () => void; onRemove?: () => void }) {
  const open = entry.openChange;
  return (
    <List.Item
      data-testid={`entry-${entry.entryId}`}
      actions={
        open
          ? [
              <Tag key="s" color={CHANGE_STATUS_COLORS[open.status]}>
                {open.kind === 'remove' ? '删除' : '修改'}
                {open.statusLabel}
              </Tag>,
            ]
          : !onEdit || !onRemove
            ? undefined
            : [
                <Button key="e" size="small" type="link" icon={<EditOutlined />} onClick={onEdit}>
                  修改
                </Button>,
                <Button key="r" size="small" type="link" danger icon={<DeleteOutlined />} onClick={onRemove}>
                  删除
                </Button>,
              ]
      }
    >
      <List.Item.Meta
        title={
          <Space wrap size={4}>
            <span>{entry.title}</span>
            <Tag color="success">已生效</Tag>
          </Space>
        }
        description={
          <div style={{ fontSize: 13 }}>
            {entry.display
              .filter((d) => d.value !== '—')
              .map((d) => (
                <div key={d.key}>
                  <Text type="secondary">{d.label}：</Text>
                  {d.value}
                </div>
              ))}
            {entry.files.map((f) => (
              <div key={f.id}>
                <a href={apiUrl(`/records/teachers/${teacherId}/files/${f.id}`)} target="_blank" rel="noreferrer">
                  <PaperClipOutlined /> {f.name}
                </a>
              </div>
            ))}
          </div>
        }
      />
    </List.Item>
  );
}

/** A change not yet decided (or returned): what it is, its state, the return reason, and what the teacher can do. */
function OpenChange({ c, onFix }: { c: ChangeDto; onFix: () => void }) {
  const { message } = App.useApp();
  const act = useMutation({
    mutationFn: (action: string) => api.post(`/records/changes/${c.id}/transitions`, { action }),
    onSuccess: (_r, action) => message.success(action === 'withdraw' ? '已撤回' : '已报送'),
    onError: (e) => message.error(errorText(e)),
    onSettled: recordsChanged,
  });
  const can = (a: string) => c.allowedActions.some((x) => x.action === a);
  return (
    <List.Item
      data-testid={`change-${c.id}`}
      actions={[
        ...(c.editable && c.kind !== 'remove'
          ? [
              <Button key="fix" size="small" type="link" onClick={onFix}>
                修改后报送
              </Button>,
            ]
          : []),
        ...(can('submit') && (c.kind === 'remove' || c.status === 'draft')
          ? [
              <Button key="submit" size="small" type="link" loading={act.isPending} onClick={() => act.mutate('submit')}>
                报送
              </Button>,
            ]
          : []),
        ...(can('withdraw')
          ? [
              <Button key="withdraw" size="small" type="link" danger loading={act.isPending} onClick={() => act.mutate('withdraw')}>
                撤回
              </Button>,
            ]
          : []),
      ]}
    >
      <List.Item.Meta
        title={
          <Space wrap size={4}>
            <span>
              {c.sectionLabel} · {c.kindLabel}：{c.title}
            </span>
            <Tag color={CHANGE_STATUS_COLORS[c.status]}>{c.statusLabel}</Tag>
          </Space>
        }
        description={c.status === 'returned' && c.returnReason ? <Text type="warning">退回原因：{c.returnReason}</Text> : null}
      />
    </List.Item>
  );
}

/**
 * 我的档案: the teacher's own record by section (学习经历 … 教学科研成果), what is missing, the changes waiting for the
 * school, and the history of every approved change. Built of Cards and Lists so it reads on a phone.
 */
export default function MyRecordPage() {
  return <RecordPage />;
}

/** A teacher's record as a reader sees it (信息管理员, 学校/教育局管理员): the same page without the buttons. */
export function TeacherRecordPage() {
  const { id } = useParams();
  return <RecordPage teacherId={Number(id)} />;
}

function RecordPage({ teacherId }: { teacherId?: number }) {
  const { message } = App.useApp();
  const own = teacherId === undefined;
  const { data, error, isLoading, refetch } = useQuery({
    queryKey: own ? ['my', 'record'] : ['records', 'teachers', teacherId],
    queryFn: () => api.get<TeacherRecord>(own ? '/my/record' : `/records/teachers/${teacherId}`),
  });
  const [drawer, setDrawer] = useState<{ section: RecordSection; mode: EntryMode } | null>(null);
  const [removing, setRemoving] = useState<RecordEntry | null>(null);
  const [reason, setReason] = useState('');
  const remove = useMutation({
    mutationFn: async (entry: RecordEntry) => {
      const c = await api.post<ChangeDto>('/records/changes', { kind: 'remove', entryId: entry.entryId, note: reason.trim() });
      await api.post(`/records/changes/${c.id}/transitions`, { action: 'submit' });
    },
    onSuccess: () => {
      message.success('删除申请已报送，审核通过后生效');
      setRemoving(null);
      setReason('');
    },
    onError: (e) => message.error(errorText(e)),
    onSettled: recordsChanged,
  });

  if (error) return <LoadError error={error} onRetry={() => void refetch()} />;
  if (isLoading || !data) return <PageLoading />;
  const sectionOf = (key: string) => data.sections.find((s) => s.key === key) as RecordSection;

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small" title={own ? '我的档案' : `教师档案：${data.teacher.name}`} extra={<Text type="secondary">{data.teacher.orgName}</Text>}>
        {own && (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            新增或修改的内容报送学校信息管理员审核，审核通过后生效。
          </Typography.Paragraph>
        )}
        {data.missing.length ? (
          <Alert
            type="warning"
            showIcon
            title="档案还不完整"
            description={
              <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="record-missing">
                {data.missing.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            }
          />
        ) : (
          <Alert type="success" showIcon title="档案完整" />
        )}
      </Card>

      {own && data.openChanges.length > 0 && (
        <Card size="small" title={`待处理的变更（${data.openChanges.length}）`}>
          <List
            dataSource={data.openChanges}
            renderItem={(c) => <OpenChange c={c} onFix={() => setDrawer({ section: sectionOf(c.section), mode: { kind: 'fix', change: c } })} />}
          />
        </Card>
      )}

      {data.sections.map((s) => (
        <Card
          key={s.key}
          size="small"
          title={s.label}
          data-testid={`section-${s.key}`}
          extra={
            own && (
              <Button size="small" icon={<PlusOutlined />} aria-label={`新增${s.label}`} onClick={() => setDrawer({ section: s, mode: { kind: 'add' } })}>
                新增
              </Button>
            )
          }
        >
          {s.entries.length ? (
            <List
              dataSource={s.entries}
              renderItem={(e) => (
                <EntryItem
                  teacherId={data.teacher.id}
                  entry={e}
                  onEdit={own ? () => setDrawer({ section: s, mode: { kind: 'edit', entry: e } }) : undefined}
                  onRemove={own ? () => setRemoving(e) : undefined}
                />
              )}
            />
          ) : (
            <Text type="secondary">{s.pendingAdds.length ? `${s.pendingAdds.length} 条新增待审核` : '暂无记录'}</Text>
          )}
        </Card>
      ))}

      <Card size="small" title="变更历史">
        {data.history.length ? (
          <Collapse
            size="small"
            items={data.history.map((h, i) => ({
              key: String(i),
              label: `${h.at.slice(0, 10)} ${h.sectionLabel}${h.action}：${h.title}`,
              children: (
                <div style={{ fontSize: 13 }}>
                  {h.changes.map((c) => (
                    <div key={c.key}>
                      {c.label}：{c.from} → {c.to}
                    </div>
                  ))}
                  <Text type="secondary">
                    报送：{h.submittedBy ?? '—'}，审核：{h.approvedBy ?? '—'}
                  </Text>
                </div>
              ),
            }))}
          />
        ) : (
          <Text type="secondary">暂无变更</Text>
        )}
      </Card>

      {drawer && <EntryDrawer section={drawer.section} mode={drawer.mode} onClose={() => setDrawer(null)} />}
      <Modal
        open={!!removing}
        title={`删除：${removing?.title ?? ''}`}
        okText="报送删除"
        cancelText="取消"
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2 }}
        confirmLoading={remove.isPending}
        onOk={() => removing && remove.mutate(removing)}
        onCancel={() => setRemoving(null)}
      >
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder="删除原因（至少 2 个字），如：录入重复"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </Space>
  );
}
