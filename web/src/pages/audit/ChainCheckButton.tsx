import { Alert, Button, List, Modal } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { queryClient } from '../../api/query';
import { chinaTime } from '../security/types';
import type { ChainCheck } from './types';

/** 完整性校验: walk the hash chain of the whole log; the result (first altered or removed rows) in a dialog. */
export default function ChainCheckButton() {
  const check = useMutation({
    mutationFn: () => api.post<ChainCheck>('/audit/verify'),
    // The check is itself a line of the log.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['audit'] }),
  });
  const r = check.data;
  return (
    <>
      <Button icon={<SafetyCertificateOutlined />} loading={check.isPending} onClick={() => check.mutate()} data-testid="chain-check">
        完整性校验
      </Button>
      <Modal
        open={!!r || check.isError}
        title="审计日志完整性校验"
        footer={
          <Button onClick={() => check.reset()} data-testid="chain-close">
            关闭
          </Button>
        }
        onCancel={() => check.reset()}
        width={640}
      >
        {check.isError && <Alert type="error" showIcon title={errorText(check.error)} />}
        {r &&
          (r.ok ? (
            <Alert
              type="success"
              showIcon
              data-testid="chain-ok"
              title={`校验通过：${r.checked} 条记录完整，未发现修改或删除`}
              description={`校验范围：第 ${r.firstSeq ?? 0}–${r.head.seq} 条；链尾校验值 ${r.head.hash.slice(0, 16)}…；校验时间 ${chinaTime(r.checkedAt, true)}`}
            />
          ) : (
            <>
              <Alert
                type="error"
                showIcon
                data-testid="chain-broken"
                title={`发现 ${r.problemCount} 处问题：审计日志被修改或删除`}
                description={`第一处：${r.problems[0]?.message ?? ''}。已校验 ${r.checked} 条。请立即报告安全管理员，并保全数据库备份。`}
                style={{ marginBottom: 12 }}
              />
              <List size="small" bordered dataSource={r.problems} renderItem={(p) => <List.Item>{p.message}</List.Item>} />
            </>
          ))}
      </Modal>
    </>
  );
}
