/**
 * Response shapes of the evaluations and experts APIs, taken from the server modules
 * (type-only imports, erased at build).
 */
import type { Returned, Wire } from '../../api/wire';
import type {
  getProjectSurvey,
  mySurveys,
  surveyForTeacher,
  SurveyResults as ServerSurveyResults,
} from '../../../../server/src/modules/evaluations/survey.service';
import type { listInspections, projectEvaluation } from '../../../../server/src/modules/evaluations/evaluations.service';
import type { institutionDetail, scorecard } from '../../../../server/src/modules/evaluations/institutions.service';
import type { ExpertDto as ServerExpertDto, projectExperts } from '../../../../server/src/modules/experts/experts.service';

export type ProjectSurvey = Returned<typeof getProjectSurvey>;
export type SurveyDto = NonNullable<ProjectSurvey['survey']>;
export type SurveyQuestion = SurveyDto['questions'][number];
export type SurveyResults = Wire<ServerSurveyResults>;
export type MySurvey = Returned<typeof mySurveys>[number];
export type TeacherSurvey = Returned<typeof surveyForTeacher>;

export type InspectionDto = Returned<typeof listInspections>[number];
export type ProjectEvaluation = Returned<typeof projectEvaluation>;
export type CombinedScore = ProjectEvaluation['combined'];
export type ScorePartDto = CombinedScore['parts'][number];

export type ExpertDto = Wire<ServerExpertDto>;
export type ProjectExpert = Returned<typeof projectExperts>['items'][number];

export type Scorecard = Returned<typeof scorecard>;
export type ScorecardItem = Scorecard['items'][number];
export type InstitutionDetail = Returned<typeof institutionDetail>;
