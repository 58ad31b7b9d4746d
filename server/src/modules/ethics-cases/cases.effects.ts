import type { Queryable } from '../../db/db.js';
import type { SanctionKind } from '../integrity/sanctions.repository.js';
import { bumpVersion } from '../teachers/teacher-facts.repository.js';
import { recordCredentials, setStatus } from '../teachers/teacher-facts.service.js';
import { SANCTION_LABELS } from '../integrity/sanctions.repository.js';

/** The 教师资格 fields: 撤销教师资格 ends them all on the sanction's start date. */
const QUALIFICATION_FIELDS = ['qualification_type', 'qualification_stage', 'qualification_subject', 'qualification_no', 'qualification_expiry'] as const;

/**
 * A final sanction's effects on the teacher's dated facts (written at 办结, dated from the sanction's start, so the
 * teacher keeps the account to read the decision and appeal until then): 撤销教师资格 ends the 教师资格
 * credential; 开除 ends employment (status 离职 from the start: the status vocabulary has no separate 开除);
 * 行业禁入 sets the status 禁入. The teacher's account ends by itself when the status leaves 在职 (0021/0023).
 * Returns what was changed, for the case's trail.
 */
export async function applySanctionEffects(
  q: Queryable,
  by: number | null,
  s: { id: number; teacherId: number; kind: SanctionKind; validFrom: string; decisionNo: string | null },
): Promise<string | null> {
  const note = `${SANCTION_LABELS[s.kind]}${s.decisionNo ? `（${s.decisionNo}）` : ''}，处分记录 #${s.id}`;
  if (s.kind === 'credentialRevoked') {
    await recordCredentials(q, by, s.teacherId, Object.fromEntries(QUALIFICATION_FIELDS.map((f) => [f, null])), s.validFrom);
    await bumpVersion(q, s.teacherId);
    return `教师资格自 ${s.validFrom} 起撤销`;
  }
  if (s.kind === 'dismissal') {
    await setStatus(q, by, s.teacherId, 'resigned', s.validFrom, note);
    await bumpVersion(q, s.teacherId);
    return `自 ${s.validFrom} 起解除聘用（开除）`;
  }
  if (s.kind === 'barred') {
    await setStatus(q, by, s.teacherId, 'banned', s.validFrom, note);
    await bumpVersion(q, s.teacherId);
    return `自 ${s.validFrom} 起状态为禁入`;
  }
  return null;
}
