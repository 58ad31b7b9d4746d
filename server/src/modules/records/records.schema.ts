import { z } from 'zod';
import { Id, IdParam, MinText, Page, PageSize, Text } from '../../platform/schemas.js';
import { CHANGE_ACTIONS, CHANGE_STATES } from './records.machine.js';
import { SECTION_KEYS } from './records.sections.js';
import { keysOf } from '../../platform/vocab.js';

export const MAX_CHANGE_FILES = 5;

export { IdParam };
export const FileParam = z.object({ id: Id, fileId: Id });

/** An entry's fields as the form sends them; each is checked against its section's definition by the service. */
const Fields = z.record(z.string().max(40), z.union([z.string().max(1000, '内容过长'), z.null()])).refine((r) => Object.keys(r).length <= 20, '字段过多');

const Note = Text(500, '说明').default('');

/** A new change: add an entry to a section, or edit or remove one of the teacher's entries. */
export const ChangeInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('add'), section: z.enum(SECTION_KEYS, '请选择档案栏目'), fields: Fields, note: Note }),
  z.object({ kind: z.literal('edit'), entryId: Id, fields: Fields, note: Note }),
  z.object({ kind: z.literal('remove'), entryId: Id, note: Note }),
]);
export type ChangeInput = z.infer<typeof ChangeInput>;

/** Changing a draft or returned change: its fields (not for a removal) and the note. */
export const ChangeUpdate = z.object({ fields: Fields.optional(), note: Note });
export type ChangeUpdate = z.infer<typeof ChangeUpdate>;

export const ChangeListQuery = z.object({
  status: z.enum(keysOf(CHANGE_STATES)).optional(),
  /** 1 = the review queue: changes waiting for a decision, oldest first. */
  pending: z.enum(['0', '1']).default('0'),
  q: Text(30, '姓名').optional(),
  page: Page,
  pageSize: PageSize(100, 20),
});
export type ChangeListQuery = z.infer<typeof ChangeListQuery>;

export const TransitionBody = z.object({ action: z.enum(CHANGE_ACTIONS, '操作无效'), comment: Text(500, '意见').optional() });
export type TransitionBody = z.infer<typeof TransitionBody>;

/** 登记错误: why an entry is deleted outright (audited). */
export const PurgeBody = z.object({ reason: MinText(2, 500, '删除原因', '请填写删除原因（至少 2 个字）') });
