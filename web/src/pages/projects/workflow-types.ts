/**
 * Shapes of the project workflow endpoints (quotas, nomination, self-enrolment, needs survey, share-back,
 * recognition), taken from the server modules (type-only imports, erased at build).
 */
import type { Returned } from '../../api/wire';
import type { enrolmentHistory } from '../../../../server/src/modules/projects/enrolment.service';
import type { getQuotas, nominationCandidates, nominationProjects } from '../../../../server/src/modules/projects/nomination.service';
import type { enrollable, pendingRequests } from '../../../../server/src/modules/projects/enrol-requests.service';
import type { getSurvey, mySurveys, surveyResults } from '../../../../server/src/modules/projects/needs-survey.service';
import type { myShareBacks } from '../../../../server/src/modules/projects/share-back.service';
import type { recognitionPreview } from '../../../../server/src/modules/projects/lifecycle.service';
import type { Question } from '../../../../server/src/modules/projects/needs-survey.schema';

export type { Question, Answer } from '../../../../server/src/modules/projects/needs-survey.schema';
export type { RecognitionTotals } from '../../../../server/src/modules/projects/lifecycle.service';

export type QuotaView = Returned<typeof getQuotas>;
export type QuotaRow = QuotaView['items'][number];
export type NominationProject = Returned<typeof nominationProjects>['items'][number];
export type CandidatesView = Returned<typeof nominationCandidates>;
export type Candidate = CandidatesView['items'][number];
export type EnrolmentRequest = Returned<typeof pendingRequests>['items'][number];
export type EnrollableProject = Returned<typeof enrollable>['items'][number];
export type EnrolmentLogEntry = Returned<typeof enrolmentHistory>[number];

export type QuestionType = Question['type'];
export type NeedsSurveyView = Returned<typeof getSurvey>;
export type NeedsSurvey = NonNullable<NeedsSurveyView['survey']>;
export type NeedsSurveyResults = Returned<typeof surveyResults>;
export type MyNeedsSurvey = Returned<typeof mySurveys>['items'][number];

export type ShareBack = Returned<typeof myShareBacks>['items'][number];

/** GET /projects/:id/recognition: the 学时认定 preview (per attending teacher), totals and where it stands. */
export type RecognitionView = Returned<typeof recognitionPreview>;
export type RecognitionStep = NonNullable<RecognitionView['submitted']>;
