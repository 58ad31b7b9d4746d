import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, renderPermissionsDoc } from '../../../scripts/permissions-doc.js';
import { GRANTS, ROLES } from './access.js';
import { PERMISSION_LABELS } from './permission-labels.js';

describe('docs/permissions.md', () => {
  it('is the rendering of the current permission table and route classification (run `npm run docs:permissions`)', () => {
    expect(readFileSync(DOC_PATH, 'utf8'), 'docs/permissions.md is out of date: run `npm run docs:permissions`').toBe(renderPermissionsDoc());
  });

  it('names every permission a role holds, and every role has a column', () => {
    const doc = renderPermissionsDoc();
    for (const role of ROLES) for (const p of GRANTS[role]) expect(PERMISSION_LABELS[p], p).toBeTruthy();
    const header = doc.split('\n').find((l) => l.startsWith('| 权限 |')) ?? '';
    expect(header.split('|').length - 3).toBe(ROLES.length);
    // The teacher row of 审核学时申报 has no tick, the school admin's has one.
    const review = doc.split('\n').find((l) => l.includes('`hours.review`')) ?? '';
    const cells = review
      .split('|')
      .slice(2, -1)
      .map((c) => c.trim());
    expect(cells[ROLES.indexOf('schoolAdmin')]).toBe('✓');
    expect(cells[ROLES.indexOf('teacher')]).toBe('');
  });
});
