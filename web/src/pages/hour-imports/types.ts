/** Shapes of the platform hour-import API (server/src/modules/hour-imports). */
export type MappedField = 'nationalId' | 'name' | 'course' | 'hours' | 'date' | 'category';

export interface Analysis {
  fileName: string;
  sha256: string;
  headerRow: number;
  dataRows: number;
  columns: { index: number; letter: string; header: string }[];
  sample: { row: number; cells: string[] }[];
  columnValues: Record<string, string[]>;
  guess: { columns: Partial<Record<MappedField, number>>; categoryGuesses: Record<string, string> };
  previousRuns: { id: number; createdAt: string; added: number }[];
}

export interface Mapping {
  platform: string;
  headerRow: number;
  columns: { nationalId: number; course: number; hours: number; date: number; name?: number | null; category?: number | null };
  categoryMap: Record<string, string>;
  defaultCategory?: string | null;
}

export interface RowProblem {
  row: number;
  message: string;
}

export interface ImportReport {
  runId: number | null;
  dryRun: boolean;
  platform: string;
  fileName: string;
  total: number;
  added: number;
  skipped: number;
  rejected: number;
  hoursAdded: number;
  teachers: number;
  rejectedRows: RowProblem[];
  skippedRows: RowProblem[];
  truncated: boolean;
}

export interface RunSummary {
  id: number;
  userName: string;
  orgName: string;
  platform: string;
  fileName: string;
  added: number;
  skipped: number;
  rejected: number;
  hoursAdded: number;
  createdAt: string;
}

export interface RunDetail extends RunSummary {
  mapping: Mapping;
  report: ImportReport;
}

export const FIELD_LABELS: Record<MappedField, { label: string; required: boolean }> = {
  nationalId: { label: '身份证号', required: true },
  name: { label: '姓名（用于核对）', required: false },
  course: { label: '课程名称', required: true },
  hours: { label: '学时', required: true },
  date: { label: '完成时间', required: true },
  category: { label: '培训类别', required: false },
};
