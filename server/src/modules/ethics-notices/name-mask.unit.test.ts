import { describe, expect, it } from 'vitest';
import { renderName } from './name-mask.js';

describe('renderName', () => {
  it('names the teacher as the bureau chose', () => {
    expect(renderName('张晓明', 'full')).toBe('张晓明');
    expect(renderName('张晓明', 'surname')).toBe('张某某');
    expect(renderName('李娜', 'surname')).toBe('李某某');
    expect(renderName('欧阳明', 'surname')).toBe('欧阳某某');
    expect(renderName('欧阳', 'surname')).toBe('欧某某'); // a two-character name is surname + given name
    expect(renderName('张晓明', 'anonymous')).toBe('某教师');
    expect(renderName(' 王芳 ', 'full')).toBe('王芳');
  });
});
