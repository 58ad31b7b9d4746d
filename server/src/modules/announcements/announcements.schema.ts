import { z } from 'zod';
import { Page, PageSize, RequiredText, Text } from '../../platform/schemas.js';
import { AUDIENCE_LABELS, type Audience } from './announcements.vocab.js';

export { AUDIENCE_LABELS, type Audience };
const AUDIENCES = Object.keys(AUDIENCE_LABELS) as [Audience, ...Audience[]];

export const PublishBody = z.object({
  title: RequiredText(100, '标题').refine((s) => !/[\r\n\t]/.test(s), '标题须为一行'),
  // Plain text; line breaks are kept and shown as such (no markup, no attachments).
  body: Text(5000, '正文').default(''),
  audience: z.enum(AUDIENCES, { message: '请选择发布范围' }),
});
export type PublishInput = z.infer<typeof PublishBody>;

export const ListQuery = z.object({ page: Page, pageSize: PageSize(100, 20) });
