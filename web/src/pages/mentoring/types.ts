/** Answers of the mentoring routes (server/src/modules/mentoring). */

export interface PairDto {
  id: number;
  mentor: { id: number; name: string; orgName: string };
  mentee: { id: number; name: string };
  schoolName: string;
  subject: string;
  termFrom: string;
  termUntil: string | null;
  goals: string | null;
  endedOn: string | null;
  endReason: string | null;
  replaces: number | null;
  current: boolean;
  stateLabel: string;
}

export interface PairRecordDto {
  id: number;
  authorLabel: string;
  kindLabel: string;
  heldOn: string;
  content: string;
}

export interface PairDetailDto extends PairDto {
  mySide: 'mentor' | 'mentee' | 'school';
  records: PairRecordDto[];
  history: PairDto[];
}

export interface RoundDto {
  id: number;
  subject: string;
  lesson: string;
  heldOn: string;
  purposeLabel: string;
  evaluatorOrgName: string;
  byResearchOffice: boolean;
  observers: string[];
  items: { label: string; score: number; max: number }[];
  total: number | null;
  max: number | null;
  result: 'passed' | 'failed';
  resultLabel: string;
  comment: string | null;
  superseded: boolean;
  correctionReason: string | null;
}

export interface GateDto {
  subject: string;
  state: 'pending' | 'released' | 'none';
  stateLabel: string;
  reasonLabel: string | null;
  releasedOn: string | null;
  releasedByName: string | null;
  rounds: { held: number; passed: number; passedByResearchOffice: number };
  missing: string[];
}

export interface GatesDto {
  teacher: { id: number; name: string; orgName: string };
  isNewTeacher: boolean;
  roundsRequired: number;
  cite: string;
  gates: GateDto[];
}

export interface BoardDto {
  asOf: string;
  term: string;
  termLabel: string;
  rules: { newTeacherMonths: number; mentorLoadCap: number; roundsRequired: number; keyCandidateMaxYears: number; cite: string };
  figures: { newTeachers: number; withoutMentor: number; gated: number; due: number; ready: number; keySlots: number; keyUncovered: number };
  withoutMentor: { teacherId: number; name: string; orgName: string; subjects: string[]; hireDate: string | null }[];
  gated: {
    teacherId: number;
    name: string;
    orgName: string;
    subject: string;
    reasonLabel: string;
    held: number;
    passed: number;
    passedByResearchOffice: number;
    missing: string[];
    ready: boolean;
  }[];
  keyCoverage: { orgId: number; orgName: string; subject: string; youngTeachers: number; flagged: number; covered: boolean }[];
  keyCandidates: { id: number; teacherId: number; name: string; orgName: string; subject: string }[];
}

export const gateColor = (s: GateDto['state']) => (s === 'pending' ? 'orange' : s === 'released' ? 'green' : 'default');
