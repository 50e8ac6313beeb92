/**
 * Wall-clock milliseconds for hot paths, accurate to about 100 ms. Next.js
 * replaces the global Date in its process (to spot clock reads during
 * prerendering); every Date.now() / new Date() then costs an
 * AsyncLocalStorage lookup, which shows in API profiles. Rate-limit windows
 * and usage counts need no better than this.
 */
const TICK_MS = 100;
const g = globalThis as unknown as { __latchkeyClock?: { now: number } };

export function coarseNow(): number {
  if (!g.__latchkeyClock) {
    const clock = { now: Date.now() };
    setInterval(() => (clock.now = Date.now()), TICK_MS).unref();
    g.__latchkeyClock = clock;
  }
  return g.__latchkeyClock.now;
}
