import type { ProjectDto } from '../../api/types';

/** Shapes of the project workflow endpoints (quotas, nomination, self-enrolment, needs survey, share-back). */

export interface QuotaRow {
  orgId: number;
  orgName: string;
  parentOrgId: number | null;
  quota: number;
  /** Nominations charged to the org plus quotas it passed on. */
  used: number;
  nominated: number;
}

export interface QuotaView {
  project: ProjectDto;
  canAllocate: boolean;
  allocated: number;
  mine: QuotaRow | null;
  items: QuotaRow[];
}

export interface NominationProject extends ProjectDto {
  quota: number;
  used: number;
  nominated: number;
}

export interface Candidate {
  teacherId: number;
  name: string;
  orgName: string;
  nationalIdMasked: string;
  stage: string;
  subjects: string[];
  title: string | null;
  roles: string[];
  enrolmentStatus: string | null;
  enrolmentStatusLabel: string | null;
  eligibility: string | null;
  load: { projects: number; days: number; schoolMedian: number };
  warning: string | null;
}

export interface CandidatesView {
  project: ProjectDto;
  year: number;
  quota: QuotaRow | null;
  items: Candidate[];
}

export interface EnrolmentRequest {
  projectId: number;
  projectName: string;
  projectCode: string;
  teacherId: number;
  teacherName: string;
  orgName: string;
  stage: string;
  enrolledAt: string;
}

export interface EnrollableProject extends ProjectDto {
  myStatus: string | null;
  myStatusLabel: string | null;
  eligibility: string | null;
  seatsLeft: number | null;
  canApply: boolean;
  canWithdraw: boolean;
}

export interface EnrolmentLogEntry {
  id: number;
  at: string;
  teacherId: number;
  teacherName: string;
  action: string;
  actionLabel: string;
  from: string | null;
  to: string;
  toLabel: string;
  reason: string | null;
  otherTeacherId: number | null;
  otherTeacherName: string | null;
  userName: string | null;
}

export type QuestionType = 'single' | 'multiple' | 'text';

export interface Question {
  type: QuestionType;
  title: string;
  options: string[];
  required: boolean;
}

export interface NeedsSurvey {
  id: number;
  projectId: number;
  title: string;
  questions: Question[];
  status: 'draft' | 'published' | 'closed';
  statusLabel: string;
  publishedAt: string | null;
  closedAt: string | null;
}

export interface NeedsSurveyView {
  survey: NeedsSurvey | null;
  responses: number;
  targets: number;
  canEdit: boolean;
  allowedActions: { action: 'publish' | 'close'; label: string; to: string }[];
}

export interface NeedsSurveyResults {
  survey: NeedsSurvey;
  responses: number;
  targets: number;
  questions: (
    | { index: number; type: 'text'; title: string; answered: number; texts: { teacherName: string; orgName: string; text: string }[] }
    | { index: number; type: 'single' | 'multiple'; title: string; answered: number; options: { label: string; count: number }[] }
  )[];
}

export interface MyNeedsSurvey extends NeedsSurvey {
  projectName: string;
  answered: boolean;
}

export type Answer = number | number[] | string | null;

export interface ShareBack {
  id: number;
  projectId: number;
  projectName: string;
  teacherId: number;
  teacherName: string;
  orgName: string;
  status: 'assigned' | 'submitted' | 'confirmed' | 'returned';
  statusLabel: string;
  kind: string | null;
  kindLabel: string | null;
  title: string | null;
  heldOn: string | null;
  place: string | null;
  summary: string | null;
  evidence: { fileId: number; name: string | null } | null;
  submittedAt: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
}

/** GET /projects/:id/recognition: the 学时认定 preview (per attending teacher), totals and where it stands. */
export interface RecognitionView {
  status: string;
  statusLabel: string;
  /** Attendance can no longer change (submitted, or closed). */
  frozen: boolean;
  approverOrgId: number | null;
  approverOrgName: string | null;
  submitted: RecognitionStep | null;
  returned: RecognitionStep | null;
  confirmed: RecognitionStep | null;
  totals: RecognitionTotals;
  enrolledCount: number;
  items: { teacherId: number; name: string; orgName: string; sessions: number; hours: number }[];
}

export interface RecognitionStep {
  at: string;
  userName: string | null;
  orgName: string | null;
  comment: string | null;
}

export interface RecognitionTotals {
  teachers: number;
  /** Ledger entries confirmation writes: one per attendance. */
  entries: number;
  hours: number;
}
