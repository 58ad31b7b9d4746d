import { Link, useNavigate } from 'react-router-dom';
import { App, Card, Typography } from 'antd';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import type { PublishResult } from '../../api/types';
import PolicyEditor from './PolicyEditor';

/** A starting point that validates: one hours rule, every field a new policy needs. */
export const POLICY_TEMPLATE = `# 新政策：修改下面的内容，或“从文件载入”；点“校验”检查，无误后“上传并发布”。
# 格式说明见 policies/README.md；原文没有给出的数字写 atLeast: null 并用 openFigure 说明。
policy: my-region-2026            # 政策编号：小写英文字母、数字、连字符，发布后不可修改
version: 1
title: XX市教师培训实施方案（2026年）
issuer: XX市教育局
source:
  file: 原文文件名.txt
appliesTo:
  name: XX市                       # 可加 org: "组织代码"；省略时挂接到本单位
period:
  from: 2026-01-01
  to: 2026-12-31
rules:
  - id: it-annual
    kind: hours
    title: 信息技术应用能力培训每人每年不少于 8 学时
    label: 信息技术应用能力培训
    who: { all: true }
    categories: [it]
    atLeast: 8
    window: { every: year }
    cite:
      section: 二（一）
      text: '（此处粘贴原文原话）'
`;

/** 上传政策: a new policy (version 1) from a file or typed text, attached to appliesTo.org or the caller's org. */
export default function PolicyNewPage() {
  const nav = useNavigate();
  const { message } = App.useApp();
  const submit = async (text: string, note: string | undefined) => {
    const r = await api.post<PublishResult>('/policies', { text, note });
    message.success('政策已上传并发布为第 1 版');
    void invalidate(['policies'], ['compliance']);
    nav(`/policies/${r.id}`);
  };
  return (
    <Card title="上传政策" extra={<Link to="/policies">返回政策列表</Link>}>
      <Typography.Paragraph type="secondary">
        从文件载入 .yaml / .yml / .json 政策文件（在浏览器中读取，不会上传原文件），或直接编辑下面的文本。政策挂接到 appliesTo.org
        所写代码的组织（须在您的管辖范围内），未写时挂接到本单位。
      </Typography.Paragraph>
      <PolicyEditor initialText={POLICY_TEMPLATE} submitLabel="上传并发布" onSubmit={submit} />
    </Card>
  );
}
