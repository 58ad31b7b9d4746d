import { Link } from 'react-router-dom';
import { Alert, Button, List, Space, Tag, Typography } from 'antd';
import type { DuplicateMatch } from './types';

const SOURCE_COLORS: Record<string, string> = { import: 'purple', project: 'blue', claim: 'green', claimPending: 'orange', schoolBased: 'cyan' };

/**
 * 可能重复: the teacher's records that look like the same course (another source, near date, similar
 * title and hours). While the claim waits for review the reviewer decides — approve anyway with a reason,
 * or reject as duplicate (onRejectAsDuplicate); once decided, the matches the reviewer saw.
 */
export default function ClaimDuplicates({
  matches,
  pending,
  onRejectAsDuplicate,
}: {
  matches: DuplicateMatch[];
  pending: boolean;
  onRejectAsDuplicate?: () => void;
}) {
  if (!matches.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="claim-duplicates"
      title={pending ? `可能重复：该教师已有 ${matches.length} 条相近的学时记录` : '审核时提示的可能重复记录'}
      description={
        <Space orientation="vertical" style={{ width: '100%' }}>
          <List
            size="small"
            dataSource={matches}
            renderItem={(m) => (
              <List.Item>
                <Space wrap size={4}>
                  <Tag color={SOURCE_COLORS[m.source] ?? 'default'}>{m.sourceLabel}</Tag>
                  {m.kind === 'claim' && m.claimId ? <Link to={`/claims/${m.claimId}`}>{m.title}</Link> : <strong>{m.title}</strong>}
                  <span>
                    {m.occurredOn}
                    {m.occurredTo ? ` 至 ${m.occurredTo}` : ''} · {m.hours} 学时
                  </span>
                  <Typography.Text type="secondary">名称相似度 {Math.round(m.similarity * 100)}%</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
          {pending && (
            <Space wrap>
              <Typography.Text type="secondary">请核对证明材料：确属同一培训请按重复驳回；不重复可通过，须填写理由。</Typography.Text>
              {onRejectAsDuplicate && (
                <Button danger size="small" onClick={onRejectAsDuplicate}>
                  按重复驳回
                </Button>
              )}
            </Space>
          )}
        </Space>
      }
    />
  );
}

/** The comment prefilled when rejecting as a duplicate: names the matching records. */
export const duplicateRejectComment = (matches: DuplicateMatch[]) =>
  `重复申报：与已有学时${matches
    .slice(0, 3)
    .map((m) => `「${m.title}」（${m.sourceLabel}，${m.occurredOn}${m.occurredTo ? ` 至 ${m.occurredTo}` : ''}，${m.hours} 学时）`)
    .join('、')}为同一培训`;
