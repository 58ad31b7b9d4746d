import { z } from 'zod';
import { Id, IsoDate, Name, Page, PageSize, RequiredText, Text } from '../../platform/schemas.js';

/** 举报受理 inputs. Every text field goes through Text/RequiredText (NFC, no control or bidi characters). */

export const CHANNELS = { web: '网上举报', phone: '举报电话', letter: '来信', visit: '来访', referral: '上级转办' } as const;
export type Channel = keyof typeof CHANNELS;

/** What the reporter can read, by status (and, once a case is open, by its stage). */
export const PUBLIC_STATUS = {
  received: '已收到',
  accepted: '已受理',
  investigating: '调查中',
  closed: '已办结',
  rejected: '不予受理',
} as const;

const phone = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .refine((s) => s === '' || /^\+?\d{5,20}$/.test(s), '联系电话应为数字（可含区号）');

/** The reporter's identity (named reports): sealed as one JSON. */
export const Reporter = z.strictObject({
  name: Name(1, 50, '举报人姓名'),
  phone: phone.refine((s) => s.length > 0, '请填写联系电话'),
  relation: Text(50, '与被举报人的关系').optional().default(''),
});

/** The facts of a report, the same on every channel. */
const Facts = {
  handlingOrgId: Id.describe('受理的教育局（区县）'),
  schoolOrgId: Id.nullish(),
  subjectName: Text(50, '被举报教师姓名').optional().default(''),
  category: z.string({ error: '请选择举报类别' }).min(1, '请选择举报类别').max(40, '举报类别无效'),
  content: RequiredText(5000, '举报内容').refine((s) => s.length >= 10, '请把事情经过写清楚（至少 10 个字）'),
  occurredOn: IsoDate.nullish(),
};

/** The public form (multipart fields, parsed from strings). */
export const PublicReportInput = z
  .strictObject({
    ...Facts,
    anonymous: z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]),
    reporter: Reporter.nullish(),
  })
  .superRefine((r, c) => {
    if (!r.anonymous && !r.reporter) c.addIssue({ code: 'custom', path: ['reporter', 'name'], message: '实名举报请填写姓名和联系电话，或选择匿名举报' });
  });
export type PublicReportInput = z.output<typeof PublicReportInput>;

/** A call, letter or visit the 师德专干 records (举报电话登记). The caller may give a name and phone, or not. */
export const LoggedReportInput = z.strictObject({
  ...Facts,
  channel: z.enum(['phone', 'letter', 'visit'], { error: '渠道应为 举报电话 / 来信 / 来访' }),
  /** When the call came (default: now). */
  receivedAt: z.iso.datetime({ offset: true, error: '接听时间格式无效' }).nullish(),
  callerName: Text(50, '来电人姓名').optional().default(''),
  callerPhone: phone.optional().default(''),
  relation: Text(50, '与被举报人的关系').optional().default(''),
});
export type LoggedReportInput = z.output<typeof LoggedReportInput>;

export const TrackInput = z.strictObject({
  code: z
    .string({ error: '请填写查询码' })
    .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
    .refine((s) => s.length > 0 && s.length <= 20, '查询码格式不正确'),
  secret: z
    .string({ error: '请填写查询密码' })
    .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
    .refine((s) => s.length > 0 && s.length <= 40, '查询密码格式不正确'),
});

export const ReportListQuery = z.object({
  status: z.enum(['received', 'accepted', 'rejected', 'closed', 'open', 'all']).default('open'),
  overdue: z.enum(['true', 'false']).optional(),
  page: Page,
  pageSize: PageSize(100, 20),
});

export const RejectBody = z.strictObject({
  reason: RequiredText(1000, '不予受理的理由').refine((s) => s.length >= 5, '请写明不予受理的理由（至少 5 个字），举报人会看到'),
});
export const TransferBody = z.strictObject({ orgId: Id, comment: RequiredText(500, '转办说明') });
export const NoteBody = z.strictObject({ comment: RequiredText(2000, '补充内容') });
export const OrgIdQuery = z.object({ orgId: Id });
export const ReportFileParams = z.object({ id: Id, fileId: Id });
