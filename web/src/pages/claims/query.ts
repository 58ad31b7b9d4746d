import { invalidate } from '../../api/query';

/** A claim was saved, moved or removed: its lists and detail, and the hours and compliance it counts towards. */
export function claimsChanged(): Promise<void> {
  return invalidate(['claims'], ['hours'], ['compliance'], ['my']);
}
