/** Response shapes of /api/appraisals and /api/my/appraisal (server/src/modules/appraisals). */
export interface Inputs {
  asOf: string;
  hours: { met: boolean; short: string[] } | null;
  academicReview: { met: boolean; terms: { term: string; classes: number; students: number; reviewed: number }[]; missing: string[] };
  homeVisits: { met: boolean; count: number; families: number; required: number };
  trainings: { met: boolean; required: number; attended: number; missed: string[] };
  veto: { excellent: string | null; pass: string | null };
  blocksExcellent: string[];
  blocksPass: string[];
}
export interface Result {
  id: number;
  year: number;
  grade: string;
  gradeLabel: string;
  source: string;
  orgName: string;
  note: string | null;
  correctionReason: string | null;
  recordedAt: string;
  inForce: boolean;
  roundTitle: string | null;
}
export interface HomeVisit {
  id: number;
  visitedOn: string;
  className: string;
  families: number;
  mode: string;
  note: string | null;
}
export interface AcademicReview {
  id: number;
  year: number;
  term: string;
  className: string;
  students: number;
  reviewed: number;
  completedOn: string;
}
export const GRADE_OPTIONS = [
  { value: 'excellent', label: '优秀' },
  { value: 'qualified', label: '合格' },
  { value: 'basicallyQualified', label: '基本合格' },
  { value: 'unqualified', label: '不合格' },
];
export const GRADE_COLOR: Record<string, string> = { excellent: 'gold', qualified: 'green', basicallyQualified: 'orange', unqualified: 'red' };
export const TERM_LABEL: Record<string, string> = { spring: '春季学期', autumn: '秋季学期' };
