/** The server's controlled vocabularies (one source of labels) plus helpers for selects and tags. */
export * from '../../server/src/platform/vocab';
import { SUBJECTS } from '../../server/src/platform/vocab';

/** Chinese label of a code; the code itself if unknown, '—' if empty. */
export function label(dict: Readonly<Record<string, string>>, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return dict[code] ?? code;
}

/** antd Select options from a vocabulary. */
export function options(dict: Readonly<Record<string, string>>): { value: string; label: string }[] {
  return Object.entries(dict).map(([value, l]) => ({ value, label: l }));
}

export const SUBJECT_OPTIONS = SUBJECTS.map((s) => ({ value: s, label: s }));
