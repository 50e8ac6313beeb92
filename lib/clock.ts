import { processState } from "@/lib/process-state";

/**
 * Wall-clock milliseconds for hot paths, accurate to about 100 ms. Next.js
 * replaces the global Date in its process (to spot clock reads during
 * prerendering); every Date.now() / new Date() then costs an
 * AsyncLocalStorage lookup, which shows in API profiles. Rate-limit windows
 * and usage counts need no better than this.
 */
const TICK_MS = 100;

type Clock = { now: number; timer: NodeJS.Timeout };

function start(): Clock {
  const c: Clock = { now: Date.now(), timer: undefined as unknown as NodeJS.Timeout };
  c.timer = setInterval(() => (c.now = Date.now()), TICK_MS).unref();
  return c;
}
const stop = (c: Clock) => clearInterval(c.timer);

export function coarseNow(): number {
  return processState("clock", start, stop).now;
}
