import { projectMachine, RUNNING_STATES, COMMENT_REQUIRED, enrolmentMachine } from '../../../../server/src/modules/projects/lifecycle';

/** Project lifecycle labels come from the server's state machine, so they are defined once. */
export const PROJECT_STATES: Readonly<Record<string, string>> = projectMachine.states;
export const ENROLMENT_STATES: Readonly<Record<string, string>> = enrolmentMachine.states;

export const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'cyan',
  filed: 'blue',
  planReview: 'processing',
  open: 'green',
  running: 'green',
  recognitionPending: 'orange',
  closed: 'purple',
  evaluated: 'gold',
  rejected: 'red',
  deleted: 'default',
};

/** Enrolment, check-in and attendance happen only in these states. */
export const isRunning = (status: string) => (RUNNING_STATES as readonly string[]).includes(status);
export const needsComment = (action: string) => (COMMENT_REQUIRED as ReadonlySet<string>).has(action);
export const isFrozen = (status: string) => ['closed', 'evaluated', 'rejected', 'deleted'].includes(status);

/** A project's capacity in words: demo and older projects have none (no limit), which must not read as "null 人". */
export const capacityText = (capacity: number | null | undefined) => (capacity ? `${capacity} 人` : '不限人数');
