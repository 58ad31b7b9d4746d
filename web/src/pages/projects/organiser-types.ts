/** Shapes of the organiser shortcuts (issue 11 item 3), taken from the server modules (type-only imports). */
import type { Returned } from '../../api/wire';
import type { fastTrack, fastTrackOffer } from '../../../../server/src/modules/projects/lifecycle.service';
import type { markMany, splitPreview } from '../../../../server/src/modules/projects/organiser.service';

export type FastTrackOffer = Awaited<ReturnType<typeof fastTrackOffer>>;
export type FastTrackResult = Returned<typeof fastTrack>;
export type BatchResult = Returned<typeof markMany>;
export type SplitView = Returned<typeof splitPreview>;
export { BATCH_MARKS, type BatchMark } from '../../../../server/src/modules/projects/organiser.labels';
export { parsePastedQuotas, SPLIT_METHODS, type SplitMethod } from '../../../../server/src/modules/projects/quota-split';
