import { describe, expect, it } from 'vitest';
import { credentialPatch } from './records.apply.js';
import type { VersionRow } from './records.repository.js';
import { diffFields, entryTitle, validateFields } from './records.sections.js';

const TODAY = '2026-06-01';

describe('record sections: entry validation', () => {
  it('cleans a valid entry: every field present, blanks as null, text trimmed', () => {
    const r = validateFields('education', { startDate: '2004-09-01', endDate: '', institution: ' 内蒙古师范大学 ', degreeLevel: 'bachelor' }, TODAY);
    expect(r).toEqual({
      ok: true,
      fields: {
        startDate: '2004-09-01',
        endDate: null,
        institution: '内蒙古师范大学',
        major: null,
        degreeLevel: 'bachelor',
        degree: null,
        mode: null,
        certificateNo: null,
      },
    });
  });

  it('names each bad field in Chinese: required, option, real date, future date, end before start, unknown field', () => {
    const r = validateFields('education', { startDate: '2010-02-30', endDate: '2030-07-01', institution: '', degreeLevel: 'phd', color: 'x' }, TODAY);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        { field: 'startDate', message: '入学时间：日期无效' },
        { field: 'institution', message: '请填写学校名称' },
        { field: 'degreeLevel', message: '请选择学历' },
        { field: 'endDate', message: '毕业时间不能晚于今天' },
        { field: 'color', message: '学习经历没有「color」这一项' },
      ]),
    );
    const order = validateFields('work', { startDate: '2015-09-01', endDate: '2012-07-01', employer: '某校' }, TODAY);
    expect(order.ok ? [] : order.errors).toEqual([{ field: 'endDate', message: '结束时间不能早于开始时间' }]);
    const ctl = validateFields('honour', { name: '优秀\u202e教师', level: 'city', awardedOn: '2020-01-01', issuer: '市教育局' }, TODAY);
    expect(ctl.ok ? [] : ctl.errors.map((e) => e.field)).toEqual(['name']);
  });

  it('titles and diffs use the option labels and raw values', () => {
    expect(entryTitle('title', { level: 'senior', obtainedOn: '2020-01-01' })).toBe('高级教师');
    expect(entryTitle('achievement', { kind: 'paper', title: '小学数学说理课堂' })).toBe('论文 小学数学说理课堂');
    expect(diffFields('mandarin', { level: '2A', obtainedOn: '2015-06-01' }, { level: '2B', obtainedOn: '2015-06-01' })).toEqual({
      level: { from: '2A', to: '2B' },
    });
  });
});

const v = (section: VersionRow['section'], fields: Record<string, string | null>, removed = false): VersionRow => ({
  id: 1,
  entry_id: 1,
  section,
  seq: 1,
  fields,
  file_ids: [],
  removed,
  changes: {},
  change_id: 1,
  approved_at: '2026-01-01',
  submitted_by_name: null,
  approved_by_name: null,
});

describe('record sections: the credential facts approved entries state', () => {
  const teacher = { certificates: ['驾驶证'] };
  it('职称: the highest; 普通话: the best; 学历: the highest completed; 教师资格: the latest', () => {
    const titles = [v('title', { level: 'second', obtainedOn: '2015-01-01' }), v('title', { level: 'first', obtainedOn: '2020-01-01' })];
    expect(credentialPatch('title', titles, titles, teacher)).toEqual({ title: 'first', titleDate: '2020-01-01' });
    const mandarin = [v('mandarin', { level: '2B' }), v('mandarin', { level: '2A' })];
    expect(credentialPatch('mandarin', mandarin, mandarin, teacher)).toEqual({ mandarinLevel: '2A' });
    const edu = [v('education', { degreeLevel: 'bachelor', endDate: '2008-07-01' }), v('education', { degreeLevel: 'master', endDate: null })];
    expect(credentialPatch('education', edu, edu, teacher)).toEqual({ education: 'bachelor' });
    expect(credentialPatch('education', [edu[1]], [edu[1]], teacher)).toBeNull();
    const q = [
      v('qualification', { type: 'primary', issuedOn: '2008-07-01', subject: '语文', number: 'A', expiry: null }),
      v('qualification', { type: 'junior', issuedOn: '2012-07-01', subject: '语文', number: 'B', expiry: '2027-07-01' }),
    ];
    expect(credentialPatch('qualification', q, q, teacher)).toEqual({
      qualificationType: '初级中学教师资格',
      qualificationStage: 'junior',
      qualificationSubject: '语文',
      qualificationNo: 'B',
      qualificationExpiry: '2027-07-01',
    });
  });

  it('证书: names managed by entries follow them; names from the roster stay', () => {
    const old = v('certificate', { name: '心理C证' });
    const cur = v('certificate', { name: '心理B证' });
    expect(credentialPatch('certificate', [cur], [old, cur], { certificates: ['驾驶证', '心理C证'] })).toEqual({ certificates: ['驾驶证', '心理B证'] });
    expect(credentialPatch('certificate', [v('certificate', { name: '心理B证' }, true)], [old, cur], { certificates: ['驾驶证', '心理B证'] })).toEqual({
      certificates: ['驾驶证'],
    });
  });
});
