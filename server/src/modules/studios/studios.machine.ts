// Imported by the web app too (labels): keep this file free of Node and database imports.
import { defineMachine } from '../../platform/state-machine.js';

/**
 * The life of a studio (issue 13 item 1): 申报 (a school or bureau files it) → 评审 (the naming org takes it into
 * review) → 命名 with a term, or 未通过 with a reason. Once named, the annual assessment drives 动态管理: a failed
 * assessment warns (警示), a second de-lists (撤销); a passed one lifts the warning (整改合格). 期满 ends the term.
 * warn, delist and restore are taken by the assessment only, never asked for directly.
 */
export const studioMachine = defineMachine({
  states: {
    applying: '申报中',
    reviewing: '评审中',
    named: '已命名',
    warned: '警示',
    delisted: '已撤销',
    rejected: '未通过',
    ended: '期满',
  },
  transitions: {
    startReview: { from: ['applying'], to: 'reviewing', label: '受理评审' },
    approve: { from: ['reviewing'], to: 'named', label: '评审通过并命名' },
    reject: { from: ['reviewing'], to: 'rejected', label: '评审未通过' },
    end: { from: ['named', 'warned'], to: 'ended', label: '期满结束' },
    warn: { from: ['named'], to: 'warned', label: '警示' },
    delist: { from: ['named', 'warned'], to: 'delisted', label: '撤销' },
    restore: { from: ['warned'], to: 'named', label: '整改合格' },
  },
});
export type StudioStatus = keyof typeof studioMachine.states;
export type StudioAction = keyof typeof studioMachine.transitions;
/** The actions a caller may ask for; the others are the assessment's. */
export const REQUESTABLE_ACTIONS = ['startReview', 'approve', 'reject', 'end'] as const;
/** States in which a studio works (members join, activities and outputs are recorded, assessments are made). */
export const ACTIVE_STATES: readonly StudioStatus[] = ['named', 'warned'];
/** States in which a studio counts against a teacher's membership cap. */
export const CAP_STATES: readonly StudioStatus[] = ['applying', 'reviewing', 'named', 'warned'];

export const ACTIVITY_KINDS = {
  curriculum: '研课标',
  textbook: '研教材',
  polishing: '磨课',
  sameLesson: '同课异构',
  lecture: '讲座',
  research: '课题研究',
  demoLesson: '示范课',
  other: '其他',
} as const;
export type ActivityKind = keyof typeof ACTIVITY_KINDS;
export const OUTPUT_KINDS = { lesson: '课例', paper: '论文', research: '课题', dualQualified: '双师型教师培养' } as const;
export type OutputKind = keyof typeof OUTPUT_KINDS;
export const MEMBER_ROLES = { host: '主持人', member: '成员', expert: '专家/银龄教师' } as const;
export const GRADES = { excellent: '优秀', pass: '合格', fail: '不合格' } as const;
export type Grade = keyof typeof GRADES;
export const OUTCOMES = { none: '无变化', warned: '警示', delisted: '撤销', restored: '整改合格，解除警示' } as const;
