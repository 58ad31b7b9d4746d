// Imported by the web app too: keep this file free of Node and database imports.

/** 批量标记: what the organiser may mark the selected teachers of a session as. */
export const BATCH_MARKS = { present: '出勤', absent: '缺勤', leave: '请假' } as const;
export type BatchMark = keyof typeof BATCH_MARKS;
