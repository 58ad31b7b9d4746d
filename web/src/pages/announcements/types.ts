import type { Returned } from '../../api/wire';
import type { inbox, open, receipts, sent } from '../../../../server/src/modules/announcements/announcements.service';

export type AnnouncementInbox = Returned<typeof inbox>;
export type AnnouncementItem = AnnouncementInbox['items'][number];
export type AnnouncementDetail = Returned<typeof open>;
export type SentPage = Returned<typeof sent>;
export type Receipts = Returned<typeof receipts>;
export { AUDIENCE_LABELS, type Audience } from '../../../../server/src/modules/announcements/announcements.vocab';
