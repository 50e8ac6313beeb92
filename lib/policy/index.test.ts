import { describe, expect, it } from "vitest";
import type { Caller, CallerKey } from "@/lib/caller";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { assertMayManageKey, isGlobalAdmin, keyListScope, mayCreateKeys, mayHoldKeys, mayManageKey, makerOf, verifierScope } from "./index";

const person = (over: Partial<Caller> = {}): Caller => ({
  id: "u1", kind: "human", username: "ada", email: "ada@example.com", name: "Ada", isOrgAdmin: false, apiAccess: true, status: "active",
  key: null, ip: "127.0.0.1", userAgent: null, ...over,
});
const key = (over: Partial<CallerKey> = {}): CallerKey => ({ id: "k1", restricted: false, beingReplaced: false, expiresAt: null, ...over });

const mine = { id: "k1", ownerId: "u1" };
const myOther = { id: "k2", ownerId: "u1" };
const theirs = { id: "k3", ownerId: "u2" };

describe("the policy", () => {
  it("Global Admin: an active person with the flag, in the console or through an unrestricted key", () => {
    expect(isGlobalAdmin(person({ isOrgAdmin: true }))).toBe(true);
    expect(isGlobalAdmin(person({ isOrgAdmin: true, key: key() }))).toBe(true);
    expect(isGlobalAdmin(person({ isOrgAdmin: true, key: key({ restricted: true }) }))).toBe(false);
    expect(isGlobalAdmin(person({ isOrgAdmin: true, status: "disabled" }))).toBe(false);
    expect(isGlobalAdmin(person())).toBe(false);
    expect(isGlobalAdmin(person({ kind: "api_account", isOrgAdmin: true }))).toBe(false);
  });

  it("holding keys needs API access, which Global Admins and API accounts always have", () => {
    expect(mayHoldKeys(person())).toBe(true);
    expect(mayHoldKeys(person({ apiAccess: false }))).toBe(false);
    expect(mayHoldKeys(person({ apiAccess: false, isOrgAdmin: true }))).toBe(true);
    expect(mayHoldKeys(person({ status: "disabled" }))).toBe(false);
    expect(mayHoldKeys(person({ kind: "api_account", apiAccess: false }))).toBe(true);
  });

  // [who, may create keys, may rotate mine, may rotate my other key, may revoke my other key, list scope]
  const table: [string, Caller, boolean, boolean, boolean, boolean, "owner" | "self"][] = [
    ["a person in the console", person(), true, true, true, true, "owner"],
    ["a person without API access", person({ apiAccess: false }), false, false, false, true, "owner"],
    ["an unrestricted key", person({ key: key() }), true, true, true, true, "owner"],
    ["a key limited to some projects", person({ key: key({ restricted: true }) }), false, true, false, false, "self"],
    ["a key being replaced", person({ key: key({ beingReplaced: true }) }), false, false, false, false, "owner"],
    ["an API account's key", person({ kind: "api_account", key: key() }), false, true, false, false, "self"],
  ];
  it.each(table)("%s", (_, c, create, rotateSelf, rotateOther, revokeOther, scope) => {
    expect(mayCreateKeys(c)).toBe(create);
    expect(mayManageKey(c, mine, "rotate")).toBe(rotateSelf);
    expect(mayManageKey(c, myOther, "rotate")).toBe(rotateOther);
    expect(mayManageKey(c, myOther, "revoke")).toBe(revokeOther);
    expect(mayManageKey(c, theirs, "revoke")).toBe(false);
    expect(keyListScope(c)).toBe(scope);
  });

  it("a key being replaced may still revoke itself", () => {
    expect(mayManageKey(person({ key: key({ beingReplaced: true }) }), mine, "revoke")).toBe(true);
  });

  it("someone else's key is not found, not forbidden", () => {
    expect(() => assertMayManageKey(person(), theirs, "revoke")).toThrow(NotFoundError);
    expect(() => assertMayManageKey(person(), undefined, "revoke")).toThrow(NotFoundError);
    expect(() => assertMayManageKey(person({ key: key({ restricted: true }) }), myOther, "revoke")).toThrow(ForbiddenError);
  });

  it("keys made through the API belong to the key that made them", () => {
    const expiresAt = new Date("2030-01-01T00:00:00Z");
    expect(makerOf(person())).toBeNull();
    expect(makerOf(person({ key: key({ expiresAt }) }))).toEqual({ keyId: "k1", expiresAt });
  });

  it("verifying keys: everywhere for a Global Admin, else where the key holds keys:verify", () => {
    const projects = [
      { id: "p1", permissions: ["*"] },
      { id: "p2", permissions: ["*:read"] },
    ];
    expect(verifierScope(person({ isOrgAdmin: true, key: key() }), projects)).toBeNull();
    expect([...verifierScope(person({ key: key() }), projects)!]).toEqual(["p1"]);
    expect(() => verifierScope(person({ key: key() }), [{ id: "p2", permissions: ["*:read"] }])).toThrow(/keys:verify/);
  });
});
