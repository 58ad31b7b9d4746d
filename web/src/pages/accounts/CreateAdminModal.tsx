import { useState } from 'react';
import { App, Col, Form, Input, Modal, Row, Select, TreeSelect, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { OrgNode, Role } from '../../api/types';
import { useAuth } from '../../auth';
import { useOrgTree } from '../../components/orgs';
import { applyFormError, useIsMobile } from '../../hooks';
import { type CreateAdminResult, GRANTABLE_ROLES, invalidateAccounts, placeText, ROLE_ORG_KINDS } from './api';
import PasswordResultModal, { type PasswordResult } from './PasswordResultModal';
import { orgOptions, ROLE_OPTIONS } from './roles';

interface CreateForm {
  username: string;
  displayName: string;
  nationalId?: string;
  phone?: string;
  role: Role;
  orgId: number;
}

/** 新建管理员账号: for a person without a teacher record, with their first role; the initial password once. */
export default function CreateAdminModal({ onClose }: { onClose: () => void }) {
  const { me } = useAuth();
  const { tree } = useOrgTree(me?.id);
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [form] = Form.useForm<CreateForm>();
  const role = Form.useWatch('role', form);
  const [result, setResult] = useState<PasswordResult | null>(null);
  const m = useMutation({
    mutationFn: (v: CreateForm) =>
      api.post<CreateAdminResult>('/accounts/admins', {
        ...v,
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        nationalId: v.nationalId?.trim() || undefined,
        phone: v.phone?.trim() || undefined,
      }),
    onSuccess: async (r, v) => {
      await invalidateAccounts();
      const org = findName(tree, v.orgId);
      setResult({
        title: `已新建账号 ${r.username}（可用${r.signIn}登录）`,
        lines: [{ key: r.userId, name: r.displayName, orgName: org, username: r.username, password: r.initialPassword }],
        slipId: r.slipId,
        expiresAt: r.expiresAt,
      });
    },
    onError: (e) => applyFormError(form, e, (t) => message.error(t)),
  });
  if (result) return <PasswordResultModal result={result} onClose={onClose} />;
  return (
    <Modal
      title="新建管理员账号"
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="新建"
      confirmLoading={m.isPending}
      width={mobile ? '100%' : 620}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        用于没有教师档案的人员（如教育局、培训机构工作人员）。在册教师请在“教师账号”中开通，再在“角色”中授予管理角色。
      </Typography.Paragraph>
      <Form<CreateForm> form={form} layout="vertical" onFinish={(v) => m.mutate(v)} data-testid="create-admin-form">
        <Row gutter={12}>
          <Col span={mobile ? 24 : 12}>
            <Form.Item
              name="username"
              label="用户名"
              rules={[
                { required: true, whitespace: true, message: '请填写用户名' },
                { pattern: /^[A-Za-z][A-Za-z0-9._-]{2,39}$/, message: '3–40 位，以字母开头，可含字母、数字、点、下划线、连字符' },
                { pattern: /^(?![tT]\d+$)/, message: '“t + 数字”形式的用户名保留给教师账号' },
              ]}
            >
              <Input placeholder="如：wang.jyj" autoComplete="off" autoCapitalize="off" />
            </Form.Item>
          </Col>
          <Col span={mobile ? 24 : 12}>
            <Form.Item
              name="displayName"
              label="姓名"
              rules={[
                { required: true, whitespace: true, message: '请填写姓名' },
                { max: 30, message: '不超过 30 字' },
              ]}
            >
              <Input placeholder="真实姓名" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={mobile ? 24 : 12}>
            <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
              <Select
                options={ROLE_OPTIONS.filter((o) => GRANTABLE_ROLES.includes(o.value))}
                placeholder="选择角色"
                onChange={() => form.setFieldValue('orgId', undefined)}
              />
            </Form.Item>
          </Col>
          <Col span={mobile ? 24 : 12}>
            <Form.Item name="orgId" label="任职单位" rules={[{ required: true, message: '请选择任职单位' }]} extra={role ? placeText(role) : undefined}>
              <TreeSelect<number>
                treeData={orgOptions(tree, role ? ROLE_ORG_KINDS[role] : [])}
                disabled={!role}
                placeholder={role ? '本单位及下级单位' : '先选择角色'}
                showSearch={{ treeNodeFilterProp: 'title' }}
                popupMatchSelectWidth={false}
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={mobile ? 24 : 12}>
            <Form.Item
              name="nationalId"
              label="身份证号（选填）"
              extra="填写后可用身份证号登录；只保存不可逆的索引和掩码"
              rules={[{ pattern: /^\s*\d{17}[\dXx]\s*$/, message: '身份证号应为 18 位' }]}
            >
              <Input maxLength={18} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={mobile ? 24 : 12}>
            <Form.Item
              name="phone"
              label="手机号（选填）"
              extra="填写后可用手机号登录"
              rules={[{ pattern: /^\s*1[3-9]\d{9}\s*$/, message: '手机号应为 11 位，以 1 开头' }]}
            >
              <Input maxLength={11} inputMode="numeric" autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function findName(nodes: OrgNode[], id: number): string {
  for (const n of nodes) {
    if (n.id === id) return n.name;
    const sub = findName(n.children, id);
    if (sub) return sub;
  }
  return '';
}
