import { describe, expect, it } from "vitest";
import { VerificationCache } from "./cache";

const limits = { maxEntries: 3, ttlMs: 1_000, maxUnknown: 2, unknownTtlMs: 500 };
const ids = (n: number) => ({ keyId: `key${n}`, ownerId: n < 2 ? "ownerA" : "ownerB" });

describe("the verification cache", () => {
  it("keeps a read only if nothing was invalidated while it ran", () => {
    const cache = new VerificationCache<string>(limits);
    const before = cache.ticket();
    cache.apply({ scope: "key", ids: ["key1"] }); // a revocation commits while the read is under way
    expect(cache.set("h1", "old row", ids(1), before, 0)).toBe(false);
    expect(cache.get("h1", 0)).toBeUndefined();
    // A read that starts afterwards is kept.
    expect(cache.set("h1", "new row", ids(1), cache.ticket(), 0)).toBe(true);
    expect(cache.get("h1", 0)).toBe("new row");
  });

  it("refuses late reads of unknown keys too", () => {
    const cache = new VerificationCache<string>(limits);
    const before = cache.ticket();
    cache.apply({ scope: "all" });
    expect(cache.setUnknown("h9", before, 0)).toBe(false);
    expect(cache.get("h9", 0)).toBeUndefined();
  });

  it("forgets a hash as unknown when a key is created with it, and refuses a read that began before", () => {
    const cache = new VerificationCache<string>(limits);
    cache.setUnknown("hNew", cache.ticket(), 0);
    cache.setUnknown("hOther", cache.ticket(), 0);
    const before = cache.ticket();
    cache.apply({ scope: "created", hashes: ["hNew"] });
    expect(cache.get("hNew", 0)).toBeUndefined();
    expect(cache.get("hOther", 0)).toBeNull();
    expect(cache.setUnknown("hNew", before, 0)).toBe(false);
    expect(cache.get("hNew", 0)).toBeUndefined();
  });

  it("indexes an owner's one key and many keys alike", () => {
    const cache = new VerificationCache<string>({ ...limits, maxEntries: 10 });
    const owner = (n: number) => ({ keyId: `key${n}`, ownerId: "ownerC" });
    for (const n of [1, 2, 3]) cache.set(`h${n}`, `row${n}`, owner(n), cache.ticket(), 0);
    cache.apply({ scope: "key", ids: ["key1", "key2"] });
    cache.set("h4", "row4", { keyId: "key4", ownerId: "ownerD" }, cache.ticket(), 0);
    cache.apply({ scope: "owner", id: "ownerC" });
    expect([cache.get("h3", 0), cache.get("h4", 0)]).toEqual([undefined, "row4"]);
    cache.apply({ scope: "owner", id: "ownerD" });
    expect(cache.size).toBe(0);
  });

  it("drops by key id, by owner and all, and ages entries out", () => {
    const cache = new VerificationCache<string>(limits);
    for (const n of [1, 2, 3]) cache.set(`h${n}`, `row${n}`, ids(n), cache.ticket(), 0);
    cache.apply({ scope: "key", ids: ["key2"] });
    expect([cache.get("h1", 0), cache.get("h2", 0), cache.get("h3", 0)]).toEqual(["row1", undefined, "row3"]);
    cache.apply({ scope: "owner", id: "ownerB" });
    expect([cache.get("h1", 0), cache.get("h3", 0)]).toEqual(["row1", undefined]);
    expect(cache.get("h1", 1_001)).toBeUndefined();
    cache.set("h1", "row1", ids(1), cache.ticket(), 0);
    cache.apply({ scope: "all" });
    expect(cache.size).toBe(0);
  });

  it("holds at most maxEntries, dropping the oldest, and keeps unknown keys apart", () => {
    const cache = new VerificationCache<string>(limits);
    for (const n of [1, 2, 3, 4]) cache.set(`h${n}`, `row${n}`, ids(n), cache.ticket(), n);
    expect(cache.size).toBe(3);
    expect(cache.get("h1", 4)).toBeUndefined();
    // A flood of unknown keys stays within its own bound and pushes no real key out.
    for (const n of [5, 6, 7, 8]) cache.setUnknown(`u${n}`, cache.ticket(), 10);
    expect(cache.unknownSize).toBe(2);
    expect(cache.size).toBe(3);
    expect(cache.get("u8", 10)).toBeNull();
    expect(cache.get("u8", 511)).toBeUndefined();
    // The dropped entry no longer answers for its key id.
    cache.apply({ scope: "key", ids: ["key1"] });
    expect(cache.get("h2", 4)).toBe("row2");
  });
});
