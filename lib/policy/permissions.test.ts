import { describe, expect, it } from "vitest";
import { allows, covers, intersect, isValidPermission, isWithin } from "./permissions";

describe("permissions", () => {
  it("matches wildcards", () => {
    expect(covers("*", "documents:read")).toBe(true);
    expect(covers("documents:*", "documents:write")).toBe(true);
    expect(covers("*:read", "billing:read")).toBe(true);
    expect(covers("*:read", "billing:write")).toBe(false);
    expect(covers("documents:read", "documents:write")).toBe(false);
    expect(covers("documents:*", "*")).toBe(false);
  });

  it("compares roles", () => {
    expect(isWithin(["*:read"], ["*:read", "*:write"])).toBe(true);
    expect(isWithin(["*"], ["*:read", "*:write"])).toBe(false);
    expect(isWithin(["documents:read"], ["*:read"])).toBe(true);
    expect(allows([], "documents:read")).toBe(false);
  });

  it("intersects a key's restriction with its owner's role", () => {
    expect(intersect(["*:read", "*:write"], ["*:read"])).toEqual(["*:read"]);
    expect(intersect(["*"], ["documents:read"])).toEqual(["documents:read"]);
  });

  it("validates permission strings", () => {
    for (const ok of ["*", "documents:read", "documents:*", "*:read", "keys:verify"]) expect(isValidPermission(ok)).toBe(true);
    for (const bad of ["", "documents", "Documents:read", "a:b:c", "*:*x", "documents: read"]) expect(isValidPermission(bad)).toBe(false);
  });
});
