import { describe, expect, it } from "vitest";
import type { ApiKey } from "./client";
import { resolveProjects, resolveToken } from "./resolve";

let n = 0;
function key(name: string, start: string, status = "active", more: Partial<ApiKey> = {}): ApiKey {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    name,
    kind: "pat",
    start,
    lastFour: `L${String(n).padStart(3, "0")}`,
    createdAt: "2026-03-01T09:30:00.000Z",
    lastUsedAt: null,
    expiresAt: null,
    status,
    revokedAt: status === "revoked" ? "2026-03-02T10:11:12.000Z" : null,
    graceExpiresAt: null,
    ...more,
  };
}

describe("resolveToken", () => {
  const ci = key("CI", "lk_pat_AbCd");
  const laptop = key("Laptop", "lk_pat_WxYz");
  const keys = [ci, laptop];

  it("finds a token by its id, its name, its start, or its start…last four as lists print it", () => {
    expect(resolveToken(keys, ci.id, "revoke")).toBe(ci);
    expect(resolveToken(keys, "Laptop", "revoke")).toBe(laptop);
    expect(resolveToken(keys, "lk_pat_WxYz", "rotate")).toBe(laptop);
    expect(resolveToken(keys, `lk_pat_AbCd…${ci.lastFour}`, "rotate")).toBe(ci);
    expect(resolveToken(keys, `lk_pat_AbCd...${ci.lastFour}`, "rotate")).toBe(ci);
  });

  it("refuses what matches nothing, naming where to look", () => {
    expect(() => resolveToken(keys, "Prod", "revoke")).toThrow(/^Not found: none of your tokens has the ID, name or start "Prod"\. See `latchkey tokens list --all`\.$/);
    // A start is matched whole, not as a prefix.
    expect(() => resolveToken(keys, "lk_pat_Ab", "revoke")).toThrow(/Not found/);
  });

  it("refuses ambiguity, listing every match with its id so the next command can be exact", () => {
    const twin = key("Other", "lk_pat_AbCd");
    try {
      resolveToken([...keys, twin], "lk_pat_AbCd", "revoke");
      expect.unreachable();
    } catch (error) {
      const e = error as Error & { exitCode: number };
      expect(e.exitCode).toBe(2);
      expect(e.message.split("\n")[0]).toBe('"lk_pat_AbCd" matches 2 tokens; give the ID of the one to revoke:');
      expect(e.message).toContain(`${ci.id}  CI  lk_pat_AbCd…${ci.lastFour}  Active`);
      expect(e.message).toContain(`${twin.id}  Other  lk_pat_AbCd…${twin.lastFour}  Active`);
    }
  });

  it("a live token wins over revoked ones of the same name; a revoked one alone is said to be revoked", () => {
    const old = key("CI", "lk_pat_Old1", "revoked");
    expect(resolveToken([old, ci], "CI", "revoke")).toBe(ci);
    expect(() => resolveToken([old], "CI", "revoke")).toThrow('Token "CI" (lk_pat_Old1…' + old.lastFour + ") is already revoked since 2026-03-02 10:11 UTC: nothing to revoke.");
    expect(() => resolveToken([old], old.id, "rotate")).toThrow(/is already revoked .*nothing to rotate\./);
  });

  it("after a rotation with a grace period, rotate means the replacement; revoke asks which", () => {
    const replaced = key("CI", "lk_pat_Old2", "rotating");
    expect(resolveToken([replaced, ci], "CI", "rotate")).toBe(ci);
    expect(() => resolveToken([replaced, ci], "CI", "revoke")).toThrow(/matches 2 tokens/);
    expect(resolveToken([replaced, ci], replaced.id, "revoke")).toBe(replaced);
    expect(() => resolveToken([replaced], replaced.id, "rotate")).toThrow(/has already been rotated; rotate its replacement instead/);
  });
});

describe("resolveProjects", () => {
  const docs = { id: "00000000-0000-4000-8000-0000000000d0", slug: "docs", name: "Docs", role: "Editor" };
  const billing = { id: "00000000-0000-4000-8000-0000000000b0", slug: "billing", name: "Billing", role: "Viewer" };
  const viewerId = "00000000-0000-4000-8000-00000000000f";

  it("finds my projects by slug (any case) or ID, with a role by name, by ID, or none (my own role there)", () => {
    expect(resolveProjects([docs, billing], ["docs", `billing:${viewerId}`])).toEqual([{ projectId: docs.id }, { projectId: billing.id, roleId: viewerId }]);
    expect(resolveProjects([docs, billing], [`${docs.id}:Viewer`, "BILLING"])).toEqual([{ projectId: docs.id, role: "Viewer" }, { projectId: billing.id }]);
  });

  it("refuses a project that is not mine (naming mine), one given twice, and an empty part", () => {
    expect(() => resolveProjects([docs, billing], ["nowhere"])).toThrow('Not found: you are not a member of a project "nowhere". Your projects: billing, docs.');
    expect(() => resolveProjects([], ["docs"])).toThrow("You are not a member of any project.");
    expect(() => resolveProjects([docs], ["docs", docs.id])).toThrow("--project docs is given more than once.");
    for (const bad of ["", ":Viewer", "docs:"]) {
      expect(() => resolveProjects([docs], [bad])).toThrow(expect.objectContaining({ exitCode: 2 }));
    }
  });
});
