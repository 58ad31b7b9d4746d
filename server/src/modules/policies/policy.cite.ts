/** How a rule's source is named wherever it shows (pages, Excel, CLI). No imports: the web uses it too. */

/** 《巴彦淖尔市教师专业能力提升行动计划（2023年—2025年）》§二（三）; the file name only when the title is unknown. */
export function citeLabel(cite: { title?: string | null; file?: string | null; section: string }): string {
  const name = cite.title ? `《${cite.title.replace(/^《|》$/g, '')}》` : (cite.file ?? '');
  return name ? `${name}§${cite.section}` : `§${cite.section}`;
}
