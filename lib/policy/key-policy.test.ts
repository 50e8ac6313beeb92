import { describe, expect, it } from "vitest";
import { allowedLifetimes, defaultExpiryOf, exceedsPolicy, expiryRefusal, graceRefusal, type KeyPolicy, mayNeverExpire } from "./key-policy";

const open: KeyPolicy = { maxLifetimeDays: null, allowNoExpiry: true, defaultExpiryDays: 90, maxGraceSeconds: 604_800, maxAccountKeyLifetimeDays: null };
const strict: KeyPolicy = { maxLifetimeDays: 30, allowNoExpiry: false, defaultExpiryDays: 90, maxGraceSeconds: 3600, maxAccountKeyLifetimeDays: 365 };
const DAY = 86_400_000;

describe("the key policy's predicates", () => {
  it("without limits, any lifetime and no expiration are allowed", () => {
    expect(expiryRefusal(open, "pat", 3650)).toBeNull();
    expect(expiryRefusal(open, "pat", null)).toBeNull();
    expect(expiryRefusal(open, "sa", null)).toBeNull();
    expect(graceRefusal(open, 604_800)).toBeNull();
  });

  it("a maximum lifetime refuses longer keys and keys without an expiration, naming the limit", () => {
    expect(expiryRefusal(strict, "pat", 30)).toBeNull();
    expect(expiryRefusal(strict, "pat", 31)).toEqual({
      field: "expiresInDays",
      message: "The key policy allows personal keys of at most 30 days.",
      limit: { name: "maxLifetimeDays", value: 30 },
    });
    expect(expiryRefusal(strict, "pat", null)?.limit).toEqual({ name: "maxLifetimeDays", value: 30 });
    expect(expiryRefusal(strict, "sa", 366)?.limit).toEqual({ name: "maxAccountKeyLifetimeDays", value: 365 });
    expect(expiryRefusal(strict, "sa", null)?.message).toBe("The key policy does not allow API-account keys without an expiration: at most 365 days.");
  });

  it("“No expiration” can be forbidden without a maximum lifetime; API-account keys are not bound by it", () => {
    const noNever = { ...open, allowNoExpiry: false };
    expect(expiryRefusal(noNever, "pat", null)?.limit).toEqual({ name: "allowNoExpiry", value: false });
    expect(expiryRefusal(noNever, "pat", 3650)).toBeNull();
    expect(mayNeverExpire(noNever, "sa")).toBe(true);
    // A maximum lifetime rules it out whatever the flag says.
    expect(mayNeverExpire({ ...strict, allowNoExpiry: true }, "pat")).toBe(false);
  });

  it("the grace period is capped, and the message says by how much", () => {
    expect(graceRefusal(strict, 3600)).toBeNull();
    expect(graceRefusal(strict, 86_400)).toEqual({ field: "grace", message: "The key policy allows a grace period of at most 1 hour.", limit: { name: "maxGraceSeconds", value: 3600 } });
    expect(graceRefusal({ ...open, maxGraceSeconds: 0 }, 3600)?.message).toBe("The key policy allows no grace period: the old key stops working at once.");
    expect(graceRefusal({ ...open, maxGraceSeconds: 0 }, 0)).toBeNull();
  });

  it("the default offered stays within the maximum; the presets offered are those allowed", () => {
    expect(defaultExpiryOf(open)).toBe(90);
    expect(defaultExpiryOf(strict)).toBe(30);
    expect(defaultExpiryOf(strict, "sa")).toBe(365);
    expect(defaultExpiryOf(open, "sa")).toBeNull();
    expect(allowedLifetimes(strict, "pat", [7, 30, 90, 180, 365])).toEqual([7, 30]);
  });

  it("a key exceeds the policy when it lives longer from now than a new key could", () => {
    const now = Date.parse("2026-06-01T00:00:00Z");
    const k = (expiresInDays: number | null, over: Partial<Parameters<typeof exceedsPolicy>[1]> = {}) => ({
      kind: "pat" as const,
      expiresAt: expiresInDays === null ? null : new Date(now + expiresInDays * DAY),
      ...over,
    });
    expect(exceedsPolicy(strict, k(31), now)).toBe(true);
    expect(exceedsPolicy(strict, k(29), now)).toBe(false);
    expect(exceedsPolicy(strict, k(null), now)).toBe(true);
    expect(exceedsPolicy(open, k(null), now)).toBe(false);
    expect(exceedsPolicy(strict, k(30), now)).toBe(false);
    expect(exceedsPolicy(strict, k(400, { kind: "sa" }), now)).toBe(true);
    expect(exceedsPolicy(strict, k(300, { kind: "sa" }), now)).toBe(false);
  });
});
