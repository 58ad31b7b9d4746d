import { z } from 'zod';
import { Page, PageSize, RequiredText, Text } from '../../platform/schemas.js';

/** Who in the publisher's subtree receives an announcement (shared with the web form). */
export const AUDIENCE_LABELS = {
  all: '全体（学校、教师及各单位人员）',
  schools: '仅学校（学校管理人员，不含教师）',
  teachers: '仅教师',
} as const;
export type Audience = keyof typeof AUDIENCE_LABELS;
const AUDIENCES = Object.keys(AUDIENCE_LABELS) as [Audience, ...Audience[]];

export const PublishBody = z.object({
  title: RequiredText(100, '标题').refine((s) => !/[\r\n\t]/.test(s), '标题须为一行'),
  // Plain text; line breaks are kept and shown as such (no markup, no attachments).
  body: Text(5000, '正文').default(''),
  audience: z.enum(AUDIENCES, { message: '请选择发布范围' }),
});
export type PublishInput = z.infer<typeof PublishBody>;

export const ListQuery = z.object({ page: Page, pageSize: PageSize(100, 20) });
