import { App, Form, Input, Modal, Select, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { OrgNode } from '../../api/types';
import { flattenOrgs, invalidateOrgs, OrgTreeSelect } from '../../components/orgs';
import { applyFormError } from '../../hooks';
import { LOCALES, options, ORG_KINDS, OWNERSHIPS, SCHOOL_TYPES } from '../../vocab';
import type { OrgDetail } from './api';

interface OrgFormValues {
  name: string;
  code: string;
  kind: string;
  schoolType?: string;
  ownership?: string;
  locale?: string;
  schoolIdCode?: string;
  reason?: string;
}

const KIND_OPTIONS = options(ORG_KINDS);

/** 新建 (under a bureau) or 编辑 one org; school attributes only for schools. */
export function OrgFormModal({ parent, org, onClose }: { parent?: { id: number; name: string }; org?: OrgDetail; onClose: (id?: number) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<OrgFormValues>();
  const kind = Form.useWatch('kind', form) ?? org?.kind;
  const m = useMutation({
    mutationFn: async (v: OrgFormValues) => {
      const attrs = {
        name: v.name,
        code: v.code,
        schoolType: v.schoolType ?? null,
        ownership: v.ownership ?? null,
        locale: v.locale ?? null,
        schoolIdCode: v.schoolIdCode?.trim() || null,
        reason: v.reason || undefined,
      };
      if (org) {
        await api.put(`/orgs/${org.id}`, { ...attrs, version: org.version });
        return org.id;
      }
      return (await api.post<{ id: number }>('/orgs', { ...attrs, kind: v.kind, parentId: parent?.id })).id;
    },
    onSuccess: async (id) => {
      await invalidateOrgs();
      message.success(org ? '已保存' : '已新建');
      onClose(id);
    },
    onError: (e) => applyFormError(form, e, (t) => message.error(t)),
  });
  return (
    <Modal
      title={org ? `编辑：${org.name}` : `新建单位（上级：${parent?.name ?? ''}）`}
      open
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      okText={org ? '保存' : '新建'}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        data-testid="org-form"
        initialValues={
          org
            ? {
                name: org.name,
                code: org.code,
                kind: org.kind,
                schoolType: org.schoolType ?? undefined,
                ownership: org.ownership ?? undefined,
                locale: org.locale ?? undefined,
                schoolIdCode: org.schoolIdCode ?? undefined,
              }
            : { kind: 'school', ownership: 'public' }
        }
        onFinish={(v) => m.mutate(v)}
      >
        <Form.Item name="kind" label="单位类型" rules={[{ required: true, message: '请选择单位类型' }]}>
          <Select options={KIND_OPTIONS} disabled={!!org} />
        </Form.Item>
        <Form.Item
          name="name"
          label="单位名称"
          rules={[
            { required: true, message: '请填写单位名称' },
            { min: 2, message: '单位名称至少 2 个字' },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="code"
          label="单位代码"
          rules={[
            { required: true, message: '请填写单位代码' },
            { pattern: /^[A-Za-z0-9_-]+$/, message: '单位代码只能包含字母、数字、“-”和“_”' },
          ]}
        >
          <Input maxLength={40} />
        </Form.Item>
        {kind === 'school' && (
          <>
            <Form.Item name="schoolType" label="学校类型" rules={[{ required: true, message: '请选择学校类型' }]}>
              <Select options={options(SCHOOL_TYPES)} />
            </Form.Item>
            <Form.Item name="ownership" label="办学性质">
              <Select options={options(OWNERSHIPS)} allowClear />
            </Form.Item>
            <Form.Item name="locale" label="城乡类型">
              <Select options={options(LOCALES)} allowClear />
            </Form.Item>
            <Form.Item name="schoolIdCode" label="学校标识码" rules={[{ pattern: /^\d{10}$/, message: '学校标识码应为 10 位数字' }]}>
              <Input maxLength={10} placeholder="10 位数字" />
            </Form.Item>
          </>
        )}
        {org && (
          <Form.Item name="reason" label="修改原因">
            <Input maxLength={200} placeholder="如：更名批复文号" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

type Action = 'move' | 'merge' | 'close';

const ACTION_TEXT: Record<Action, { title: string; ok: string; reason: string }> = {
  move: { title: '移动单位', ok: '移动', reason: '调整原因' },
  merge: { title: '合并单位', ok: '合并', reason: '合并原因' },
  close: { title: '撤销单位', ok: '撤销', reason: '撤销原因' },
};

/** 移动 / 合并 / 撤销: each with its reason; the server's refusal (e.g. teachers still there) shows as it says. */
export function OrgActionModal({ action, org, tree, onClose }: { action: Action; org: OrgDetail; tree: OrgNode[]; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ targetId?: number; reason: string }>();
  const text = ACTION_TEXT[action];
  const all = flattenOrgs(tree);
  const m = useMutation({
    mutationFn: (v: { targetId?: number; reason: string }) =>
      action === 'move'
        ? api.post(`/orgs/${org.id}/move`, { parentId: v.targetId, reason: v.reason })
        : action === 'merge'
          ? api.post(`/orgs/${org.id}/merge`, { targetId: v.targetId, reason: v.reason })
          : api.post(`/orgs/${org.id}/close`, { reason: v.reason }),
    onSuccess: async () => {
      await invalidateOrgs();
      message.success(`已${text.ok}`);
      onClose();
    },
    onError: (e) => applyFormError(form, e, (t) => message.error(t)),
  });
  // Move: bureaus only; merge: orgs of the same kind; never the org itself.
  const pickable = (n: OrgNode) => n.id !== org.id && (action === 'move' ? n.kind === 'bureau' : n.kind === org.kind && n.level === org.level);
  return (
    <Modal
      title={`${text.title}：${org.name}`}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={text.ok}
      okButtonProps={{ danger: action !== 'move' }}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      {action === 'merge' && (
        <Typography.Paragraph type="secondary">合并后，本单位的教师、下级单位和培训项目转入目标单位，本单位的管理员角色终止，本单位撤销。</Typography.Paragraph>
      )}
      {action === 'close' && (
        <Typography.Paragraph type="secondary">
          撤销前须先将在职教师调往其他学校、移走或撤销下级单位。撤销后单位及其历史保留，不能再添加教师。
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} data-testid="org-action-form">
        {action !== 'close' && (
          <Form.Item
            name="targetId"
            label={action === 'move' ? '新的上级单位' : '合并到'}
            rules={[
              { required: true, message: action === 'move' ? '请选择新的上级单位' : '请选择目标单位' },
              {
                validator: (_, v?: number) =>
                  v === undefined || pickable(all.find((n) => n.id === v) as OrgNode)
                    ? Promise.resolve()
                    : Promise.reject(new Error(action === 'move' ? '请选择教育局' : '请选择同类单位')),
              },
            ]}
          >
            <OrgTreeSelect tree={tree} placeholder="选择单位" style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item name="reason" label={text.reason} rules={[{ required: true, whitespace: true, message: `请填写${text.reason}` }]}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
