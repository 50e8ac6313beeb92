import { describe, expect, it } from "vitest";
import { Limiter, rateLimitHeaders } from "./rate-limit";

describe("Limiter", () => {
  it("allows the limit in a window, refuses the next, and starts over after the window", () => {
    const l = new Limiter(3, 60_000);
    const t0 = 1_000_000;
    expect([0, 1, 2].map(() => l.hit("k", t0).allowed)).toEqual([true, true, true]);
    const over = l.hit("k", t0 + 10_000);
    expect(over).toMatchObject({ allowed: false, limit: 3, remaining: 0, resetSeconds: 50 });
    expect(rateLimitHeaders(over)).toEqual({ "ratelimit-limit": "3", "ratelimit-remaining": "0", "ratelimit-reset": "50", "retry-after": "50" });
    expect(l.hit("other", t0 + 10_000).allowed).toBe(true);
    expect(l.hit("k", t0 + 60_000)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it("peeks without counting", () => {
    const l = new Limiter(2, 60_000);
    expect(l.peek("ip", 0).allowed).toBe(true);
    l.hit("ip", 1);
    expect(l.peek("ip", 2)).toMatchObject({ allowed: true, remaining: 1 });
    l.hit("ip", 3);
    expect(l.peek("ip", 4)).toMatchObject({ allowed: false, remaining: 0 });
    expect(l.peek("ip", 60_001).allowed).toBe(true);
  });

  it("forgets finished windows", () => {
    const l = new Limiter(5, 1_000);
    for (let i = 0; i < 100; i++) l.hit(`k${i}`, 0);
    expect(l.size).toBe(100);
    l.hit("late", 70_000);
    expect(l.size).toBe(1);
  });
});
