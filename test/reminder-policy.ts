/**
 * A small policy document for the reminder tests: two teacher hours rules for 2025 (班主任 40 学时,
 * 信息技术 8 学时). `top` goes before `rules:` (line 7), `homeroom` / `it` at the end of those rules
 * (the homeroom rule's extra lines start at line 16), `more` after them.
 */
export function reminderPolicy(o: { key: string; title: string; top?: string; homeroom?: string; it?: string; more?: string }): string {
  return `policy: ${o.key}
version: 1
title: ${o.title}
source: { file: test.txt }
appliesTo: {}
period: { from: 2025-01-01, to: 2025-12-31 }
${o.top ?? ''}rules:
  - id: homeroom-annual
    kind: hours
    title: 班主任每年研修不少于 40 学时
    who: { role: homeroom }
    categories: [homeroom]
    atLeast: 40
    window: { every: year }
    cite: { section: 二（三）, text: 每年不少于40学时 }
${o.homeroom ?? ''}  - id: it-annual
    kind: hours
    title: 信息技术每年不少于 8 学时
    who: { all: true }
    categories: [it]
    atLeast: 8
    window: { every: year }
    cite: { section: 二（五）, text: 每年不少于8学时 }
${o.it ?? ''}${o.more ?? ''}`;
}
