import { z } from 'zod';
import { Id, IsoDate, Name, Page, PageSize, RequiredText, Text, Year } from '../../platform/schemas.js';

/** 师德考核 results (优秀 / 合格 / 基本合格 / 不合格). */
export const APPRAISAL_RESULTS = ['excellent', 'pass', 'basicPass', 'fail'] as const;
export type AppraisalResult = (typeof APPRAISAL_RESULTS)[number];
export const APPRAISAL_LABELS: Record<AppraisalResult, string> = { excellent: '优秀', pass: '合格', basicPass: '基本合格', fail: '不合格' };

export const PLEDGE_KINDS = ['pledge', 'oath'] as const;
export const PLEDGE_LABELS: Record<(typeof PLEDGE_KINDS)[number], string> = { pledge: '师德承诺书', oath: '新教师入职宣誓' };

export const HONOUR_LEVELS = ['national', 'province', 'city', 'county', 'school'] as const;
export const HONOUR_LEVEL_LABELS: Record<(typeof HONOUR_LEVELS)[number], string> = {
  national: '国家级',
  province: '省级',
  city: '市级',
  county: '县级',
  school: '校级',
};

export const AppraisalInput = z.object({
  year: Year,
  result: z.enum(APPRAISAL_RESULTS, { error: '考核结果只能是优秀、合格、基本合格或不合格' }),
  note: Text(500, '备注').optional().nullable(),
  /** Required when the year already has a result: the new one supersedes it (更正), never edits it. */
  correctionReason: Text(200, '更正原因').optional().nullable(),
});
export type AppraisalInput = z.infer<typeof AppraisalInput>;

export const PledgeInput = z.object({
  kind: z.enum(PLEDGE_KINDS, { error: '类型只能是师德承诺书（pledge）或入职宣誓（oath）' }),
  signedOn: IsoDate,
  fileId: Id.optional().nullable(),
  note: Text(500, '备注').optional().nullable(),
});
export type PledgeInput = z.infer<typeof PledgeInput>;

export const HonourInput = z.object({
  title: Name(2, 100, '荣誉名称'),
  level: z.enum(HONOUR_LEVELS, { error: '级别只能是国家级、省级、市级、县级或校级' }),
  awardedOn: IsoDate,
  awardingOrg: Name(2, 100, '授予单位'),
});
export type HonourInput = z.infer<typeof HonourInput>;

export const BanInputSchema = z.object({
  nationalId: RequiredText(30, '身份证号'),
  name: Name(1, 50, '姓名'),
  source: RequiredText(200, '决定（来源、文号）'),
  decidedOn: IsoDate,
  validFrom: IsoDate,
  validUntil: IsoDate.optional().nullable(),
});

export const LiftBody = z.object({ reason: RequiredText(200, '解除原因'), liftedOn: IsoDate.optional().nullable() });

export const EntryCheckBody = z.object({ nationalId: RequiredText(30, '身份证号') });

export const IntegrityLookup = z.object({ teacherId: Id });

export const BanListQuery = z.object({ page: Page, pageSize: PageSize(100, 20) });
