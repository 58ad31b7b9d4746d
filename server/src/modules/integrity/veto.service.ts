/**
 * 一票否决 (issue 12 item 5): THE function every module asks — "is this teacher vetoed for X on date D, and why".
 * The rules are policy data (policies/*.yaml `vetoes`, schema in policies/policy.veto.ts): the vetoes of every
 * policy in force at the teacher's school on that date (attached to the school or an org above it, its period
 * covering the date); when none of them has vetoes, the platform default (DEFAULT_VETOES, the national rules).
 * Sanctions are read from ethics_sanctions: a superseded one never counts (its correction does), a revoked one
 * only before its revocation date, and each veto lasts as its `lasts` says (the term, the decision's calendar
 * year, or N months from the decision).
 */
import type { Queryable } from '../../db/db.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { policiesInForceAt } from '../policies/policies.service.js';
import {
  DEFAULT_VETOES,
  describeVeto,
  evaluateVetoes,
  VETO_PURPOSES,
  type Veto,
  type VetoPurpose,
  type VetoReason,
  type VetoSanction,
} from '../policies/policy.veto.js';

export type { VetoPurpose, VetoReason };

export interface VetoResult {
  vetoed: boolean;
  reasons: VetoReason[];
  /** Where the rules came from: the policies' titles, or the platform default. */
  source: 'policy' | 'default';
}

const DEFAULT_TITLE = '平台默认规则（全国性规定）';

/** The vetoes that apply at this org path on `date`: those of the policies in force there, else the platform default. */
export async function vetoesAt(
  q: Queryable,
  orgPath: string,
  date: string,
): Promise<{ vetoes: { veto: Veto; policyTitle: string }[]; source: 'policy' | 'default' }> {
  const policies = (await policiesInForceAt(q, orgPath)).filter((p) => p.policy.period.from <= date && date <= p.policy.period.to);
  const vetoes = policies.flatMap((p) => (p.policy.vetoes ?? []).map((veto) => ({ veto, policyTitle: p.policy.title })));
  if (vetoes.length) return { vetoes, source: 'policy' };
  return { vetoes: DEFAULT_VETOES.map((veto) => ({ veto, policyTitle: DEFAULT_TITLE })), source: 'default' };
}

/**
 * Is the teacher vetoed for `purpose` on `date` (YYYY-MM-DD), and why. Accepts the app context or a transaction.
 * A teacher that does not exist is not vetoed (callers check existence and scope themselves).
 */
export async function vetoFor(ctxOrQ: AppContext | Queryable, teacherId: number, purpose: VetoPurpose, date: string): Promise<VetoResult> {
  const q: Queryable = 'db' in ctxOrQ ? ctxOrQ.db : ctxOrQ;
  const t = (await q.query<{ path: string }>('SELECT o.path FROM teachers t JOIN orgs o ON o.id = t.org_id WHERE t.id = $1', [teacherId])).rows[0];
  if (!t) return { vetoed: false, reasons: [], source: 'default' };
  const sanctions = (
    await q.query<VetoSanction>(
      `SELECT id, kind, decided_on::text AS "decidedOn", valid_from::text AS "validFrom", valid_until::text AS "validUntil",
              superseded_at::text AS "supersededAt", revoked_on::text AS "revokedOn"
         FROM ethics_sanctions WHERE teacher_id = $1 AND superseded_at IS NULL AND decided_on <= $2::date ORDER BY valid_from, id`,
      [teacherId, date],
    )
  ).rows;
  if (!sanctions.length) return { vetoed: false, reasons: [], source: 'default' };
  const { vetoes, source } = await vetoesAt(q, t.path, date);
  const reasons = evaluateVetoes(vetoes, sanctions, purpose, date);
  return { vetoed: reasons.length > 0, reasons, source };
}

/** 「不能…：受警告处理（… 至 …），依据《…》§…」 — the refusal every caller shows. */
export function vetoMessage(r: VetoResult, purpose: VetoPurpose): string {
  return `一票否决（${VETO_PURPOSES[purpose]}）：${r.reasons.map(describeVeto).join('；')}`;
}

/** Refuse (409 naming the sanction and the citation) when the teacher is vetoed for `purpose` on `date`. */
export async function assertNotVetoed(
  ctxOrQ: AppContext | Queryable,
  teacherId: number,
  purpose: VetoPurpose,
  date: string,
  field = 'teacherId',
): Promise<void> {
  const r = await vetoFor(ctxOrQ, teacherId, purpose, date);
  if (r.vetoed) throw new AppError('CONFLICT', vetoMessage(r, purpose), [{ field, message: vetoMessage(r, purpose) }]);
}
