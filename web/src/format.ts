import dayjs from 'dayjs';

/** A timestamp as every page shows it: 2025-03-01 14:05 (dates elsewhere are YYYY-MM-DD, so no slashes or seconds). */
export function dateTime(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : '—';
}
