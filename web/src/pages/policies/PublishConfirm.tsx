import { useMemo, useState } from 'react';
import { Alert, Input, Modal, Typography } from 'antd';
import { errorText } from '../../api/client';
import { diffHunks, diffLines } from '../../../../server/src/modules/policies/policy.diff';
import { changeSummary, changeText } from '../../../../server/src/modules/policies/policy.form';

const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', 'WenQuanYi Micro Hei Mono', monospace";

/** The line diff of two policy texts: changed lines with three lines of context, removed in red, added in green. */
export function PolicyDiff({ from, to }: { from: string; to: string }) {
  const hunks = useMemo(() => diffHunks(diffLines(from, to)), [from, to]);
  if (!hunks.length) return <Typography.Text type="secondary">文本没有变化</Typography.Text>;
  return (
    <div
      data-testid="policy-diff"
      style={{ fontFamily: MONO, fontSize: 12, lineHeight: '18px', border: '1px solid #f0f0f0', borderRadius: 6, maxHeight: 320, overflow: 'auto' }}
    >
      {hunks.map((l, i) =>
        l === null ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: hunks are positional
          <div key={i} style={{ color: '#999', background: '#fafafa', padding: '0 8px' }}>
            ⋯
          </div>
        ) : (
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
            key={i}
            data-testid={l.type === 'same' ? undefined : `diff-${l.type}`}
            style={{
              whiteSpace: 'pre',
              padding: '0 8px',
              background: l.type === 'add' ? '#f6ffed' : l.type === 'del' ? '#fff1f0' : undefined,
              color: l.type === 'add' ? '#237804' : l.type === 'del' ? '#a8071a' : 'rgba(0,0,0,0.65)',
            }}
          >
            <span style={{ display: 'inline-block', width: 36, color: '#bbb', textAlign: 'right', marginRight: 8 }}>{l.newLine ?? l.oldLine}</span>
            {l.type === 'add' ? '+ ' : l.type === 'del' ? '- ' : '  '}
            {l.text}
          </div>
        ),
      )}
    </div>
  );
}

/**
 * 发布确认: what changes against the published version — the figures, roles, windows, deadlines and reminder
 * days in words (“班主任研修 · 要求：40 学时 → 48 学时”) and the line diff of the text — then publish on confirm.
 */
export default function PublishConfirm({
  published,
  text,
  version,
  initialNote,
  onCancel,
  onPublish,
}: {
  published: string;
  text: string;
  version: number;
  initialNote?: string;
  onCancel: () => void;
  onPublish: (note: string | undefined) => Promise<void>;
}) {
  const [note, setNote] = useState(initialNote ?? '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const changes = useMemo(() => changeSummary(published, text), [published, text]);
  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await onPublish(note.trim() || undefined);
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`确认发布第 ${version} 版`}
      width={860}
      okText="确认发布"
      cancelText="返回修改"
      onOk={() => void confirm()}
      onCancel={onCancel}
      okButtonProps={{ loading: busy, 'data-testid': 'confirm-publish' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        与当前已发布版本相比的改动如下。发布后新的评估按新版本计算，此前的评估结果仍按旧版本保留。
      </Typography.Paragraph>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        主要改动
      </Typography.Title>
      {changes.length ? (
        <ul style={{ margin: '0 0 12px', paddingInlineStart: 20 }} data-testid="change-summary">
          {changes.map((c) => (
            <li key={`${c.subject}-${c.field}-${c.to}`}>{changeText(c)}</li>
          ))}
        </ul>
      ) : (
        <Typography.Paragraph type="secondary" data-testid="change-summary">
          数字、统计期、截止日期、提醒天数和适用岗位都没有变化；其他改动见下方逐行对比。
        </Typography.Paragraph>
      )}
      <Typography.Title level={5}>逐行对比（红色为删除，绿色为新增）</Typography.Title>
      <PolicyDiff from={published} to={text} />
      <Input
        value={note}
        onChange={(e) => setNote(e.target.value)}
        maxLength={200}
        placeholder="版本说明（可选），例如：按 2026 年文件调整班主任学时"
        aria-label="发布说明"
        style={{ marginTop: 12 }}
      />
      {failure && <Alert type="error" showIcon style={{ marginTop: 12 }} title={failure} data-testid="publish-error" />}
    </Modal>
  );
}
