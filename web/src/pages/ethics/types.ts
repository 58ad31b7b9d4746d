// Wire types of the ethics notices, meetings and board (server/src/modules/ethics-notices).

export interface Notice {
  id: number;
  title: string;
  body: string;
  publisherOrgName: string;
  targetOrgId: number;
  targetOrgName: string;
  caseId: number | null;
  subjectLabel: string | null;
  nameMask: string | null;
  nameMaskLabel: string | null;
  sanctionKind: string | null;
  sanctionLabel: string | null;
  publishedOn: string;
  publishedByName: string;
  publishedAt: string;
  withdrawn: boolean;
  withdrawnAt: string | null;
  withdrawnReason: string | null;
  schools: number | null;
  confirmed: number | null;
  mySchool: boolean;
  myConfirmedAt: string | null;
  myConfirmedByName: string | null;
}

export interface NoticeDetail extends Notice {
  canManage: boolean;
  canConfirm: boolean;
}

export interface NoticeSchools {
  id: number;
  title: string;
  schools: number;
  confirmed: number;
  items: {
    schoolOrgId: number;
    schoolName: string;
    confirmed: boolean;
    confirmedAt: string | null;
    confirmedByName: string | null;
    remindedAt: string | null;
  }[];
}

export interface Meeting {
  id: number;
  orgId: number;
  orgName: string;
  heldOn: string;
  place: string;
  topic: string;
  sessionId: number | null;
  sessionTitle: string | null;
  projectName: string | null;
  attended: number;
  recordedByName: string;
  recordedAt: string;
}

export interface MeetingDetail extends Meeting {
  notices: { id: number; title: string }[];
  bySchool: { orgId: number; orgName: string; attended: number }[];
}

export interface EthicsSession {
  id: number;
  title: string;
  date: string;
  place: string;
  project_name: string;
  attended: number;
}

export interface Board {
  from: string;
  to: string;
  today: string;
  period: { reports: number; anonymous: number; notices: number; meetings: number };
  openByAge: { d7: number; d30: number; d90: number; older: number; total: number };
  overdue: {
    respond: number;
    conclude: number;
    escalated: number;
    items: {
      id: number;
      trackingCode: string;
      orgName: string;
      category: string;
      categoryLabel: string;
      receivedOn: string;
      respondBy: string;
      concludeBy: string;
      responded: boolean;
      escalated: boolean;
    }[];
  };
  casesByStage: { stage: string; label: string; n: number }[];
  casesByCategory: { category: string; label: string; n: number }[];
  sanctionsInForce: { total: number; byKind: { kind: string; label: string; n: number }[] };
  lookups: { integrity: number; entryChecks: number };
  answerRate: {
    definition: string;
    settled: number;
    onTime: number;
    rate: number | null;
    byOrg: { orgId: number; orgName: string; received: number; settled: number; onTime: number; pending: number; rate: number | null }[];
  };
}

export const NAME_MASK_OPTIONS = [
  { value: 'surname', label: '隐去名字（张某某）' },
  { value: 'anonymous', label: '不具名（某教师）' },
  { value: 'full', label: '实名' },
];

export const SANCTION_OPTIONS = [
  { value: 'criticism', label: '批评教育' },
  { value: 'admonition', label: '诫勉谈话' },
  { value: 'circulated', label: '通报批评' },
  { value: 'warning', label: '警告' },
  { value: 'demerit', label: '记过' },
  { value: 'demotion', label: '降低岗位等级' },
  { value: 'removal', label: '撤职' },
  { value: 'dismissal', label: '开除' },
  { value: 'credentialRevoked', label: '撤销教师资格' },
  { value: 'barred', label: '行业禁入' },
];
