import { AppError } from './errors.js';

/**
 * One state machine per workflow (project, enrolment, claim…), defined once and checked on the server.
 * Illegal transitions are 409 CONFLICT with a Chinese message; the UI asks `allowedActions` which
 * buttons to show, so the client never has to duplicate the rules.
 */
export interface TransitionDef<S extends string> {
  from: readonly S[];
  to: S;
  /** Chinese label of the action, used in error messages and on buttons. */
  label: string;
}

export interface MachineDef<S extends string, A extends string> {
  /** Chinese label of every state. */
  states: Record<S, string>;
  transitions: Record<A, TransitionDef<S>>;
}

export interface AllowedAction<A extends string, S extends string> {
  action: A;
  label: string;
  to: S;
}

export interface Machine<S extends string, A extends string> {
  readonly states: Record<S, string>;
  readonly transitions: Record<A, TransitionDef<S>>;
  /** Returns the target state, or throws CONFLICT '当前状态「X」不能执行「Y」'. */
  assertTransition(current: string, action: A): S;
  /** True if `action` is legal from `current`. */
  can(current: string, action: A): boolean;
  /** Actions legal from `current`, in definition order. */
  allowedActions(current: string): AllowedAction<A, S>[];
  /** Chinese label of a state (falls back to the raw value for unknown states). */
  stateLabel(state: string): string;
}

export function defineMachine<S extends string, A extends string>(def: MachineDef<S, A>): Machine<S, A> {
  const entries = Object.entries(def.transitions) as [A, TransitionDef<S>][];
  const stateLabel = (s: string): string => (def.states as Record<string, string>)[s] ?? s;
  const can = (current: string, action: A): boolean => {
    const t = def.transitions[action];
    return !!t && (t.from as readonly string[]).includes(current);
  };
  return {
    states: def.states,
    transitions: def.transitions,
    can,
    stateLabel,
    assertTransition(current, action) {
      const t = def.transitions[action];
      if (!t || !(t.from as readonly string[]).includes(current)) {
        const label = t?.label ?? String(action);
        throw new AppError('CONFLICT', `当前状态「${stateLabel(current)}」不能执行「${label}」`);
      }
      return t.to;
    },
    allowedActions(current) {
      return entries.filter(([, t]) => (t.from as readonly string[]).includes(current)).map(([action, t]) => ({ action, label: t.label, to: t.to }));
    },
  };
}
