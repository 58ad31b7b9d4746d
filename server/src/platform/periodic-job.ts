/**
 * An in-process job checked hourly (and once `firstAfterMs` after start), never two runs at once. `run` returns
 * false when it had nothing to do yet (e.g. the day has not changed); an error is passed to `onError` and the
 * next tick tries again. Timers are unref'd so they never keep the process alive. Returns a stop function.
 */
export function startPeriodicJob(firstAfterMs: number, run: () => Promise<unknown>, onError: (err: unknown) => void): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await run();
    } catch (err) {
      onError(err);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), firstAfterMs);
  const every = setInterval(() => void tick(), 3600_000);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
