/** Shapes of the platform hour-import API, taken from the server module (type-only imports, erased at build). */
import type { Returned } from '../../api/wire';
import type { analyse, getRun, listRuns } from '../../../../server/src/modules/hour-imports/hour-imports.service';
import type { ImportMapping } from '../../../../server/src/modules/hour-imports/hour-imports.schema';

export type { ImportReport } from '../../../../server/src/modules/hour-imports/hour-imports.service';
export type { RowProblem } from '../../../../server/src/modules/hour-imports/hour-imports.parse';

export type Mapping = ImportMapping;
export type MappedField = keyof Mapping['columns'];
export type Analysis = Returned<typeof analyse>;
export type RunSummary = Returned<typeof listRuns>['items'][number];
export type RunDetail = Returned<typeof getRun>;

export const FIELD_LABELS: Record<MappedField, { label: string; required: boolean }> = {
  nationalId: { label: '身份证号', required: true },
  name: { label: '姓名（用于核对）', required: false },
  course: { label: '课程名称', required: true },
  hours: { label: '学时', required: true },
  date: { label: '完成时间', required: true },
  category: { label: '培训类别', required: false },
};
