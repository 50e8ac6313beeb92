import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { apiKeys, auditEvents } from "@/lib/db/schema";
import { ConflictError, ForbiddenError, NotFoundError, PolicyLimitError, ValidationError } from "@/lib/errors";
import { withFreshDatabase } from "@/lib/test/db";
import { addMember, asCaller, builtInRole, makeProject, makeUser, TEST_CONTEXT } from "@/lib/test/fixtures";
import { createApiAccount } from "@/lib/users/admin";
import { regenerateAccountKey, revealAccountKey } from "./accounts";
import { DEFAULT_KEY_POLICY, keyPolicyJson, updateKeyPolicy } from "./key-policy";
import { createPersonalKey, rotateKey, updateKey } from "./personal";
import { verifyKey } from "./verify";

withFreshDatabase();
const DAY = 86_400_000;

describe("editing a key", () => {
  it("renames it, changes its expiry and its projects, audited with before and after; the key keeps working with the new rules at once", async () => {
    const owner = await makeUser();
    const docs = await makeProject("Docs");
    const billing = await makeProject("Billing");
    await addMember(owner.id, docs.id, (await builtInRole("Editor")).id);
    await addMember(owner.id, billing.id, (await builtInRole("Viewer")).id);
    const { key, secret } = await createPersonalKey(owner, { name: "CI", expiresInDays: 90, restriction: null });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: billing.slug, permission: "x:read" })).toMatchObject({ valid: true });

    const viewer = (await builtInRole("Viewer")).id;
    const edited = await updateKey(owner, key.id, { name: "CI deploy", expiresInDays: 7, restriction: [{ projectId: docs.id, roleId: viewer }] });
    expect(edited).toMatchObject({ name: "CI deploy", expiresInDays: 7 });
    expect(Math.abs(edited.expiresAt!.getTime() - (Date.now() + 7 * DAY))).toBeLessThan(60_000);
    // The cached answer is gone: the key no longer reaches Billing, and Docs only as a Viewer.
    expect(await verifyKey(secret, TEST_CONTEXT, { project: billing.slug, permission: "x:read" })).toMatchObject({ valid: false });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: docs.slug, permission: "x:write" })).toMatchObject({ valid: false });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: docs.slug, permission: "x:read" })).toMatchObject({ valid: true, key: { name: "CI deploy" } });

    const db = await getDb();
    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "key.edited"), eq(auditEvents.targetId, key.id)));
    expect(event!.details).toMatchObject({
      name: { from: "CI", to: "CI deploy" },
      expiresAt: { from: key.expiresAt!.toISOString(), to: edited.expiresAt!.toISOString() },
      restriction: { from: null, to: [{ projectId: docs.id, roleId: viewer }] },
    });
  });

  it("keeps names unique, restrictions within the owner's roles and expiry within the key policy; nothing changes when refused", async () => {
    const owner = await makeUser();
    const docs = await makeProject("Docs 2");
    await addMember(owner.id, docs.id, (await builtInRole("Viewer")).id);
    await createPersonalKey(owner, { name: "Taken", expiresInDays: 30, restriction: null });
    const { key } = await createPersonalKey(owner, { name: "Mine", expiresInDays: 30, restriction: null });
    await expect(updateKey(owner, key.id, { name: "Taken" })).rejects.toMatchObject({ fieldErrors: { name: [expect.stringContaining("Taken")] } });
    await expect(updateKey(owner, key.id, { restriction: [{ projectId: docs.id, roleId: (await builtInRole("Admin")).id }] })).rejects.toBeInstanceOf(ValidationError);
    const admin = await makeUser({ isOrgAdmin: true });
    await updateKeyPolicy(admin, { maxLifetimeDays: 30, defaultExpiryDays: 30 });
    try {
      const error = await updateKey(owner, key.id, { expiresInDays: 60 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PolicyLimitError);
      expect((error as PolicyLimitError).limit).toEqual({ name: "maxLifetimeDays", value: 30 });
      await expect(updateKey(owner, key.id, { expiresInDays: null })).rejects.toBeInstanceOf(PolicyLimitError);
    } finally {
      await updateKeyPolicy(admin, keyPolicyJson(DEFAULT_KEY_POLICY));
    }
    const db = await getDb();
    const [row] = await db.select({ name: apiKeys.name, expiresAt: apiKeys.expiresAt, restriction: apiKeys.restriction }).from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row).toEqual({ name: "Mine", expiresAt: key.expiresAt, restriction: null });
  });

  it("is for the owner (others get not found), not for a restricted key, a key being replaced or an API account; admins edit API-account keys", async () => {
    const owner = await makeUser();
    const other = await makeUser();
    const { key } = await createPersonalKey(owner, { name: "Own", expiresInDays: 30, restriction: null });
    await expect(updateKey(other, key.id, { name: "Stolen" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateKey(await makeUser({ isOrgAdmin: true }), key.id, { name: "By admin" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateKey(asCaller(owner, { id: key.id, restricted: true, beingReplaced: false, expiresAt: null }), key.id, { name: "X" })).rejects.toBeInstanceOf(ForbiddenError);
    await rotateKey(owner, key.id, 3600);
    await expect(updateKey(owner, key.id, { name: "Old" })).rejects.toBeInstanceOf(ConflictError);

    const admin = await makeUser({ isOrgAdmin: true });
    const project = await makeProject("Bots");
    const account = await createApiAccount(admin, { username: `bot-${Date.now()}`, memberships: [{ projectId: project.id, roleId: (await builtInRole("Viewer")).id }] });
    const db = await getDb();
    const [saKey] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.ownerId, account.id));
    expect(await updateKey(admin, saKey!.id, { expiresInDays: 30 })).toMatchObject({ expiresInDays: 30, kind: "sa" });
    await expect(updateKey(other, saKey!.id, { expiresInDays: 1 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("a Global Admin renames an API account's key and limits it within the account's own projects (a role by id, by name or the account's own); regeneration keeps both", async () => {
    const admin = await makeUser({ isOrgAdmin: true });
    const docs = await makeProject("Acct docs");
    const billing = await makeProject("Acct billing");
    const outside = await makeProject("Acct outside");
    await addMember(admin.id, outside.id, (await builtInRole("Admin")).id);
    const [editor, viewer] = [await builtInRole("Editor"), await builtInRole("Viewer")];
    const account = await createApiAccount(admin, {
      username: `acct-${Date.now()}`,
      memberships: [
        { projectId: docs.id, roleId: editor.id },
        { projectId: billing.id, roleId: viewer.id },
      ],
    });
    const db = await getDb();
    const [saKey] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.ownerId, account.id));
    const secret = await revealAccountKey(admin, account.id);
    expect(await verifyKey(secret, TEST_CONTEXT, { project: billing.slug, permission: "x:read" })).toMatchObject({ valid: true });

    // Refusals speak of the account, not of the admin, and change nothing.
    const outsideErr = await updateKey(admin, saKey!.id, { restriction: [{ projectId: outside.id }] }).catch((e: unknown) => e);
    expect((outsideErr as ValidationError).fieldErrors?.restriction).toEqual(["You can only limit the key to projects the account is a member of."]);
    const tooMuch = await updateKey(admin, saKey!.id, { restriction: [{ projectId: billing.id, role: "editor" }] }).catch((e: unknown) => e);
    expect((tooMuch as ValidationError).fieldErrors?.restriction).toEqual(["Editor in Acct billing is more than the account’s own role there (Viewer)."]);
    const unknown = await updateKey(admin, saKey!.id, { restriction: [{ projectId: docs.id, role: "No such role" }] }).catch((e: unknown) => e);
    expect((unknown as ValidationError).fieldErrors?.restriction).toEqual(["There is no role named “No such role” to choose for Acct docs."]);

    // Docs by the account's own role (left out), renamed; then Docs as a Viewer, by the role's name.
    const edited = await updateKey(admin, saKey!.id, { name: "Deploys", restriction: [{ projectId: docs.id }] });
    expect(edited).toMatchObject({ name: "Deploys", restriction: [{ projectId: docs.id, roleId: editor.id, roleName: "Editor" }] });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: billing.slug, permission: "x:read" })).toMatchObject({ valid: false });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: docs.slug, permission: "x:write" })).toMatchObject({ valid: true, key: { name: "Deploys" } });
    expect(await updateKey(admin, saKey!.id, { restriction: [{ projectId: docs.id, role: "viewer" }] })).toMatchObject({ restriction: [{ roleId: viewer.id }] });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: docs.slug, permission: "x:write" })).toMatchObject({ valid: false });

    const events = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "key.edited"), eq(auditEvents.targetId, saKey!.id)));
    expect(events.map((e) => e.details)).toEqual([
      { name: { from: "Default", to: "Deploys" }, restriction: { from: null, to: [{ projectId: docs.id, roleId: editor.id }] } },
      { restriction: { from: [{ projectId: docs.id, roleId: editor.id }], to: [{ projectId: docs.id, roleId: viewer.id }] } },
    ]);
    expect(events.every((e) => e.actorId === admin.id)).toBe(true);

    // Regenerating gives a new secret under the same name and restriction.
    await regenerateAccountKey(admin, account.id, { graceSeconds: 0 });
    const [fresh] = await db.select({ name: apiKeys.name, restriction: apiKeys.restriction }).from(apiKeys).where(and(eq(apiKeys.ownerId, account.id), isNull(apiKeys.revokedAt)));
    expect(fresh).toEqual({ name: "Deploys", restriction: [{ projectId: docs.id, roleId: viewer.id }] });
  });
});
