/** Response shapes of the evaluations and experts APIs (server/src/modules/evaluations, experts). */

export interface AllowedAction {
  action: string;
  label: string;
  to: string;
}

export interface SurveyQuestion {
  key: string;
  label: string;
}

export interface SurveyDto {
  id: number;
  projectId: number;
  title: string;
  questions: SurveyQuestion[];
  commentLabel: string;
  status: 'open' | 'closed';
  answerCount: number;
  allowedActions: AllowedAction[];
  editable: boolean;
}

export interface ProjectSurvey {
  project: { id: number; name: string; code: string; orgName: string };
  survey: SurveyDto | null;
  eligibleCount: number;
  threshold: number;
  defaults: { questions: string[]; commentLabel: string };
}

export type SurveyResults =
  | { status: 'none' }
  | { status: 'insufficient'; count: number; threshold: number }
  | {
      status: 'ok';
      count: number;
      threshold: number;
      average: number;
      score100: number;
      questions: { key: string; label: string; average: number; distribution: Record<'1' | '2' | '3' | '4' | '5', number> }[];
      commentLabel: string;
      comments: string[];
    };

export interface MySurvey {
  surveyId: number;
  projectId: number;
  projectName: string;
  orgName: string;
  title: string;
  status: 'open' | 'closed';
  answered: boolean;
  canAnswer: boolean;
}

export interface TeacherSurvey {
  id: number;
  projectName: string;
  orgName: string;
  title: string;
  questions: SurveyQuestion[];
  commentLabel: string;
  status: 'open' | 'closed';
  answered: boolean;
  canAnswer: boolean;
}

export interface InspectionDto {
  id: number;
  projectId: number;
  inspectedOn: string;
  inspectors: string;
  findings: string;
  score: number;
  issues: string[];
  recordedBy: string | null;
  recordedAt: string;
  files: { id: number; name: string; size: number; mime: string }[];
}

export interface ScorePartDto {
  part: 'participants' | 'experts' | 'inspection';
  label: string;
  weight: number;
  effectiveWeight: number;
  value: number | null;
}

export interface CombinedScore {
  score: number | null;
  parts: ScorePartDto[];
  renormalised: boolean;
  note: string;
}

export interface ProjectEvaluation {
  project: { id: number; code: string; name: string; status: string; orgId: number; orgName: string; startDate: string | null; endDate: string | null };
  participants: { answers: number; threshold: number; score: number | null };
  experts: { scored: number; average: number | null };
  inspection: { count: number; average: number | null };
  attendanceRate: number | null;
  combined: CombinedScore;
}

export interface ExpertDto {
  id: number;
  orgId: number;
  orgName: string;
  name: string;
  affiliation: string;
  title: string | null;
  fields: string[];
  level: string;
  phoneMasked: string | null;
  status: 'active' | 'inactive';
  version: number;
  projectCount: number;
  editable: boolean;
}

export interface ProjectExpert {
  expertId: number;
  name: string;
  affiliation: string;
  title: string | null;
  level: string;
  fields: string[];
  status: string;
  assignedAt: string;
  score: { criteria: Record<string, number>; total: number; comment: string; recordedBy: string | null; recordedAt: string } | null;
}

export interface ScorecardItem {
  rank: number | null;
  orgId: number;
  name: string;
  code: string;
  status: 'admitted' | 'warning' | 'suspended';
  statusReason: string | null;
  statusChangedAt: string | null;
  allowedStatusActions: AllowedAction[];
  projects: number;
  scoredProjects: number;
  averageScore: number | null;
  satisfaction: number | null;
  attendanceRate: number | null;
  trend: { year: number; projects: number; averageScore: number | null }[];
}

export interface Scorecard {
  years: number[];
  items: ScorecardItem[];
}

export interface InstitutionDetail {
  orgId: number;
  name: string;
  status: ScorecardItem['status'];
  statusReason: string | null;
  allowedStatusActions: AllowedAction[];
  projects: {
    id: number;
    code: string;
    name: string;
    status: string;
    year: number;
    answers: number;
    participants: number | null;
    experts: number | null;
    inspection: number | null;
    score: number | null;
    renormalised: boolean;
    attendanceRate: number | null;
  }[];
  history: { id: number; from: string; to: string; reason: string; by: string | null; at: string }[];
}
