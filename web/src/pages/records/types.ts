/** Shapes of the records API, taken from the server module (type-only imports, erased at build). */
import type { ChangeDto as ServerChangeDto, completeness, getChange, teacherRecord } from '../../../../server/src/modules/records/records.service';
import type { ChangeState } from '../../../../server/src/modules/records/records.machine';
import type { Returned, Wire } from '../../api/wire';

export type { ChangeState, ChangeAction } from '../../../../server/src/modules/records/records.machine';

export type ChangeDto = Wire<ServerChangeDto>;
export type ChangeDetail = Returned<typeof getChange>;
export type TeacherRecord = Returned<typeof teacherRecord>;
export type RecordSection = TeacherRecord['sections'][number];
export type RecordEntry = RecordSection['entries'][number];
export type SectionField = RecordSection['fields'][number];
export type Completeness = Returned<typeof completeness>;

export const CHANGE_STATUS_COLORS: Record<ChangeState, string> = {
  draft: 'default',
  pending: 'processing',
  returned: 'warning',
  approved: 'success',
  withdrawn: 'default',
};

export const MAX_CHANGE_FILES = 5;
export const MAX_FILE_MB = 10;
export const EVIDENCE_ACCEPT = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';
