/**
 * What a server value looks like after JSON: Date becomes its ISO string. The web takes response types
 * from the server modules (`import type`, erased at build) through this, instead of restating them.
 */
export type Wire<T> = T extends Date ? string : T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/** The JSON body of a server service function's result. */
export type Returned<F extends (...args: never[]) => unknown> = Wire<Awaited<ReturnType<F>>>;

/**
 * A request body as a form builds it: the server's vocabulary enums widened to string. The form's selects
 * offer only vocabulary keys, and the server validates the body anyway.
 */
export type FormBody<T> = T extends string
  ? string
  : T extends readonly (infer U)[]
    ? FormBody<U>[]
    : T extends object
      ? { [K in keyof T]: FormBody<T[K]> }
      : T;
