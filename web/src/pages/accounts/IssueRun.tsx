import { useEffect, useRef, useState } from 'react';
import { Button, Modal, Progress, Typography } from 'antd';
import { api, errorText } from '../../api/client';
import { invalidateAccounts, ISSUE_CHUNK, type IssueResult } from './api';
import PasswordResultModal, { type PasswordResult } from './PasswordResultModal';

/** What to issue: the selected teachers, or every teacher of an org (subtree) without an account. */
export type IssueTarget = { kind: 'teachers'; teacherIds: number[]; label: string } | { kind: 'org'; orgId: number; label: string; expected: number };

const toLines = (r: IssueResult['issued']) =>
  r.map((a) => ({ key: a.teacherId, name: a.name, orgName: a.orgName, username: a.username, password: a.initialPassword }));

/**
 * 开通账号 in rounds of ISSUE_CHUNK (each a few seconds of password hashing on the server, each its own
 * transaction, all on one 账号单), with a progress bar and 停止 between rounds; then the passwords.
 */
export default function IssueRun({ target, onClose }: { target: IssueTarget; onClose: () => void }) {
  const [done, setDone] = useState(0);
  const [total, setTotal] = useState(target.kind === 'teachers' ? target.teacherIds.length : target.expected);
  const [result, setResult] = useState<PasswordResult | null>(null);
  const stop = useRef(false);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const acc: PasswordResult = { title: `开通账号：${target.label}`, lines: [], skipped: [], slipId: null, expiresAt: null };
    const add = (r: IssueResult) => {
      acc.slipId = r.slipId;
      acc.expiresAt = r.expiresAt;
      acc.lines.push(...toLines(r.issued));
      acc.skipped?.push(...r.skipped.map((s) => ({ key: s.teacherId, name: s.name, reason: s.reason })));
    };
    const slip = () => (acc.slipId ? { slipId: acc.slipId } : {});
    (async () => {
      try {
        if (target.kind === 'teachers') {
          for (let i = 0; i < target.teacherIds.length && !stop.current; i += ISSUE_CHUNK) {
            const ids = target.teacherIds.slice(i, i + ISSUE_CHUNK);
            add(await api.post<IssueResult>('/accounts/issue', { teacherIds: ids, ...slip() }));
            setDone(i + ids.length);
          }
        } else {
          for (;;) {
            const r = await api.post<IssueResult>('/accounts/issue', { orgId: target.orgId, ...slip() });
            add(r);
            setDone(acc.lines.length);
            setTotal(acc.lines.length + r.remaining);
            if (r.remaining === 0 || r.issued.length === 0 || stop.current) break;
          }
        }
        if (stop.current) acc.error = '已停止：其余教师尚未开通，可稍后继续';
      } catch (e) {
        acc.error = `开通中断：${errorText(e)}`;
      } finally {
        await invalidateAccounts();
        if (!acc.lines.length && !acc.error && !acc.skipped?.length) acc.error = '没有需要开通账号的教师';
        setResult({ ...acc, lines: [...acc.lines], skipped: [...(acc.skipped ?? [])] });
      }
    })();
  }, [target]);

  if (result) return <PasswordResultModal result={result} onClose={onClose} />;
  const percent = total ? Math.round((done / total) * 100) : 0;
  return (
    <Modal
      title={`正在开通账号：${target.label}`}
      open
      closable={false}
      maskClosable={false}
      footer={
        <Button onClick={() => (stop.current = true)} data-testid="issue-stop">
          停止
        </Button>
      }
    >
      <Progress percent={percent} status="active" data-testid="issue-progress" />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        已处理 {done} / {total || '…'} 人。每人生成初始密码并加密保存，约需几十毫秒；请勿关闭页面。
      </Typography.Paragraph>
    </Modal>
  );
}
