/**
 * The demo's training generator, by what it generates: shared specs and knobs (training-spec.ts), the project
 * plan (project-planner.ts), project and session rows (project-rows.ts), and each teacher's enrolments,
 * attendance and 学时 ledger (training-history.ts).
 */
export * from './training-spec.js';
export { ProjectPlanner } from './project-planner.js';
export { PROJECT_COLUMNS, SESSION_COLUMNS, writeProjects } from './project-rows.js';
export { ATTENDANCE_COLUMNS, ENROLMENT_COLUMNS, LEDGER_COLUMNS, TrainingWriter } from './training-history.js';
