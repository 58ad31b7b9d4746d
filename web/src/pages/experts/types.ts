/** Response shapes of 我的评审 (type-only imports from the server module, erased at build). */
import type { Wire } from '../../api/wire';
import type { ExpertDto, ReviewDto as ServerReviewDto } from '../../../../server/src/modules/experts/experts.service';

export type ReviewDto = Wire<ServerReviewDto>;
export type AccountResult = Wire<{ expert: ExpertDto; username: string; initialPassword: string | null }>;
