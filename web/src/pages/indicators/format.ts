/** 1234567.5 元 → '1,234,567.50 元'; counts stay whole numbers. */
export function formatValue(v: number | null, unit: string): string {
  if (v === null) return '—';
  const n = unit === '元' ? v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : v.toLocaleString('zh-CN');
  return `${n} ${unit}`;
}
