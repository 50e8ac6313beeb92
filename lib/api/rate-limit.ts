import { coarseNow } from "@/lib/clock";
import { getConfig } from "@/lib/config";
import { processState } from "@/lib/process-state";

/**
 * Fixed one-minute windows counted in this process's memory: a counter per
 * key (API_RATE_LIMIT, default 600 a minute) and a counter of failed
 * authentications per client IP (API_AUTH_FAILURE_LIMIT, default 60 a minute).
 *
 * In process by design: no network hop on the hot path. With N instances
 * behind a load balancer each instance counts on its own, so the effective
 * limit is up to N times the configured one (and a key spread evenly over N
 * instances sees about N x its limit). Put a shared store behind `Limiter`
 * if that matters more than latency.
 */
export const WINDOW_MS = 60_000;
const SWEEP_EVERY_MS = 60_000;
const MAX_TRACKED = 200_000;

export type RateDecision = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window starts over. */
  resetSeconds: number;
};

type Window = { start: number; count: number };

export class Limiter {
  private windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(readonly limit: number, private readonly windowMs = WINDOW_MS) {}

  private current(id: string, now: number): Window {
    let w = this.windows.get(id);
    if (!w || now - w.start >= this.windowMs) {
      if (!w && this.windows.size >= MAX_TRACKED) this.sweep(now, true);
      w = { start: now, count: 0 };
      this.windows.set(id, w);
    }
    if (now - this.lastSweep > SWEEP_EVERY_MS) this.sweep(now);
    return w;
  }

  private decision(w: Window, now: number): RateDecision {
    return {
      allowed: w.count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      resetSeconds: Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)),
    };
  }

  /** Counts one request and says whether it is within the limit. */
  hit(id: string, now = coarseNow()): RateDecision {
    const w = this.current(id, now);
    w.count++;
    return this.decision(w, now);
  }

  /** Whether the next request would be over the limit, without counting it. */
  peek(id: string, now = coarseNow()): RateDecision {
    const w = this.windows.get(id);
    if (!w || now - w.start >= this.windowMs) return { allowed: true, limit: this.limit, remaining: this.limit, resetSeconds: Math.ceil(this.windowMs / 1000) };
    return { ...this.decision(w, now), allowed: w.count < this.limit };
  }

  private sweep(now: number, force = false): void {
    this.lastSweep = now;
    for (const [id, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(id);
    // Under a flood of distinct ids every window may still be live: drop the oldest rather than grow without bound.
    if (force && this.windows.size >= MAX_TRACKED) {
      let drop = Math.ceil(MAX_TRACKED / 10);
      for (const id of this.windows.keys()) {
        this.windows.delete(id);
        if (--drop === 0) break;
      }
    }
  }

  get size(): number {
    return this.windows.size;
  }
}

export function rateLimitHeaders(d: RateDecision): Record<string, string> {
  const headers: Record<string, string> = {
    "ratelimit-limit": String(d.limit),
    "ratelimit-remaining": String(d.remaining),
    "ratelimit-reset": String(d.resetSeconds),
  };
  if (!d.allowed) headers["retry-after"] = String(d.resetSeconds);
  return headers;
}

type Limiters = { perKey: Limiter; authFailures: Limiter };

/** One pair of limiters per process, sized from the configuration the first time. */
export function limiters(): Limiters {
  return processState("api.limiters", () => {
    const config = getConfig();
    return { perKey: new Limiter(config.apiRateLimit), authFailures: new Limiter(config.apiAuthFailureLimit) };
  });
}
