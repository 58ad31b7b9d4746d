import { z } from 'zod';
import { Id, IdList, IsoDate, Page, PageSize, RequiredText, Text } from '../../platform/schemas.js';
import { CASE_STAGES, NO_END, OUTCOMES, REDECISIONS, TERM_REQUIRED } from './cases.vocab.js';
import type { SanctionKind } from '../integrity/sanctions.repository.js';

/** 受理 a report as a case: the teacher the report concerns, identified by the officer. */
export const AcceptReportBody = z.object({ teacherId: Id, comment: Text(500, '受理意见').optional().nullable() });

/** A case without a report: 上级交办 or found in an inspection. */
export const OpenCaseBody = z.object({
  origin: z.enum(['assigned', 'inspection'], { error: '案件来源只能是上级交办或检查发现' }),
  teacherId: Id,
  category: RequiredText(60, '问题类别'),
  description: RequiredText(4000, '案情描述'),
});

export const CaseListQuery = z.object({
  stage: z.enum(CASE_STAGES, { error: '办理阶段无效' }).optional(),
  page: Page,
  pageSize: PageSize(100, 20),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;

export const InvestigateBody = z.object({ investigatorId: Id, comment: Text(500, '说明').optional().nullable() });
export const FindingsBody = z.object({ findings: RequiredText(8000, '调查结论'), fileIds: IdList(20).optional() });
export const InformSchoolBody = z.object({ comment: Text(500, '说明').optional().nullable() });

/** Term validation shared by 处理决定 and a changed 复核决定. */
const decisionShape = {
  outcome: z.enum(OUTCOMES, { error: '请选择处理结果' }),
  decidedOn: IsoDate,
  decisionNo: Text(60, '决定文号').optional().nullable(),
  reason: RequiredText(2000, '处理理由'),
  validFrom: IsoDate.optional().nullable(),
  validUntil: IsoDate.optional().nullable(),
  termMonths: z.coerce
    .number('处分期限应为月数')
    .int('处分期限应为整月数')
    .min(1, '处分期限至少 1 个月')
    .max(120, '处分期限最多 120 个月')
    .optional()
    .nullable(),
};

type DecisionFields = { outcome: string; validFrom?: string | null; validUntil?: string | null; termMonths?: number | null; decidedOn: string };

function checkTerm(b: DecisionFields, c: z.RefinementCtx) {
  const add = (path: string, message: string) => c.addIssue({ code: 'custom', path: [path], message });
  if (b.outcome === 'noViolation') {
    if (b.validFrom) add('validFrom', '不构成违规时不设处分期');
    if (b.validUntil) add('validUntil', '不构成违规时不设处分期');
    if (b.termMonths) add('termMonths', '不构成违规时不设处分期');
    return;
  }
  const kind = b.outcome as SanctionKind;
  if (b.validUntil && b.termMonths) add('termMonths', '截止日期和期限月数只填一项');
  if (TERM_REQUIRED.includes(kind) && !b.validUntil && !b.termMonths) add('termMonths', '该处分须填写处分期（截止日期或月数）');
  if (NO_END.includes(kind) && (b.validUntil || b.termMonths)) add('validUntil', '该处理没有截止日期');
  const from = b.validFrom || b.decidedOn;
  if (b.validUntil && b.validUntil < from) add('validUntil', '截止日期不能早于起始日期');
}

export const DecideBody = z.object(decisionShape).superRefine(checkTerm);
export type DecideBody = z.infer<typeof DecideBody>;

export const RedecideBody = z
  .object({
    result: z.enum(REDECISIONS, { error: '请选择复核结果（维持、变更或撤销）' }),
    ...decisionShape,
    outcome: decisionShape.outcome.optional().nullable(),
  })
  .superRefine((b, c) => {
    if (b.result === 'change') {
      if (!b.outcome) c.addIssue({ code: 'custom', path: ['outcome'], message: '变更处理决定须选择新的处理结果' });
      else checkTerm({ ...b, outcome: b.outcome }, c);
    } else if (b.outcome) c.addIssue({ code: 'custom', path: ['outcome'], message: '维持或撤销时不选择新的处理结果' });
  });
export type RedecideBody = z.infer<typeof RedecideBody>;

export const CloseBody = z.object({
  /** What the reporter reads with the tracking code (件件有回音). Required when the case came from a report. */
  answer: Text(2000, '答复内容').optional().nullable(),
});

export const AppealBody = z.object({ text: RequiredText(4000, '申诉理由'), fileIds: IdList(5).optional() });

export const CaseFileParam = z.object({ id: Id, fileId: Id });
