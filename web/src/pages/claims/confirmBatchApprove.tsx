import type { App } from 'antd';
import { ledgerSummary } from './ApproveClaimModal';
import type { ClaimListItem } from './types';

type ModalApi = ReturnType<typeof App.useApp>['modal'];

/**
 * The county's bulk approval writes hours: list what will be written ("将写入学时：张三 8 学时（…）") and
 * ask to confirm. Likely duplicates are not approved in bulk (the server reports them for a decision each).
 */
export function confirmBatchApprove(modal: ModalApi, claims: ClaimListItem[], onOk: () => void): void {
  const dupes = claims.filter((c) => c.duplicateCount > 0).length;
  modal.confirm({
    title: `确认写入 ${claims.length} 条学时？`,
    okText: '确认写入',
    cancelText: '取消',
    width: 560,
    content: (
      <div data-testid="batch-ledger-summary">
        {claims.slice(0, 20).map((c) => (
          <div key={c.id}>{ledgerSummary(c.teacherName, c.approvedHours ?? c.hours, c.category, c.occurredOn)}</div>
        ))}
        {claims.length > 20 && <div>……共 {claims.length} 条</div>}
        {dupes > 0 && <div style={{ color: '#d46b08', marginTop: 8 }}>其中 {dupes} 条可能重复，不会批量通过，请逐条审核。</div>}
      </div>
    ),
    onOk,
  });
}
