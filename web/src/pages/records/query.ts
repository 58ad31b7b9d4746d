import { invalidate } from '../../api/query';
import { refreshBadges } from '../notifications/badges';

/** A record change was saved, sent, decided or withdrawn: the changes, the records and the teacher's own pages. */
export function recordsChanged(): Promise<void> {
  refreshBadges();
  return invalidate(['records'], ['my'], ['teachers']);
}
