import { beforeAll, describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { revealAccountKey } from "@/lib/keys/accounts";
import { createPersonalKey } from "@/lib/keys/personal";
import { verifyKey } from "@/lib/keys/verify";
import { withFreshDatabase } from "@/lib/test/db";
import { addMember, builtInRole, makeProject, makeUser, TEST_CONTEXT } from "@/lib/test/fixtures";
import { createApiAccount, updateUser } from "@/lib/users/admin";
import { createRole, deleteRole, listRoleOptions, listRoles, updateRole } from "./index";
import { roleInputSchema } from "./schemas";

withFreshDatabase();

let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  admin = await makeUser({ isOrgAdmin: true });
});

describe("roles", () => {
  it("lists the built-in Admin, Editor and Viewer first; they cannot be changed or deleted", async () => {
    const list = await listRoles(admin);
    expect(list.slice(0, 3).map((r) => [r.name, r.builtIn])).toEqual([
      ["Admin", true],
      ["Editor", true],
      ["Viewer", true],
    ]);
    const viewer = list.find((r) => r.name === "Viewer")!;
    await expect(updateRole(admin, viewer.id, { name: "Viewer", description: "", permissions: ["*"] })).rejects.toThrow(
      "Viewer is a built-in role: it cannot be changed or deleted. Create a custom role instead.",
    );
    await expect(deleteRole(admin, viewer.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await listRoles(admin)).find((r) => r.id === viewer.id)!.permissions).toEqual(["*:read"]);
  });

  it("validates permission strings with one message per bad entry", () => {
    const parsed = roleInputSchema.safeParse({ name: "Bad", permissions: ["docs:read", "Docs:Read", "nope", " docs:read ", ""] });
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([
      expect.stringContaining("“Docs:Read” is not a valid permission."),
      expect.stringContaining("“nope” is not a valid permission."),
    ]);
    expect(roleInputSchema.parse({ name: " Ok ", permissions: ["docs:read", " docs:read ", "*:write"] })).toEqual({ name: "Ok", description: "", permissions: ["docs:read", "*:write"] });
    expect(roleInputSchema.safeParse({ name: "Empty", permissions: [" "] }).error?.issues[0]?.message).toBe("Enter at least one permission.");
  });

  it("a custom role is usable where roles are chosen; changing its permissions changes every key holding it at once", async () => {
    const role = await createRole(admin, { name: "Auditor", description: "Reads logs", permissions: ["logs:read"] });
    expect((await listRoleOptions(admin)).map((r) => r.name)).toContain("Auditor");
    const dup = await createRole(admin, { name: "auditor", description: "", permissions: ["*"] }).catch((e: unknown) => e);
    expect((dup as ValidationError).fieldErrors?.name).toEqual(["A role named “auditor” already exists."]);

    const project = await makeProject("Logs");
    const acct = await createApiAccount(admin, { username: "auditor-bot", memberships: [{ projectId: project.id, roleId: role.id }] });
    const secret = await revealAccountKey(admin, acct.id);
    expect(await verifyKey(secret, TEST_CONTEXT, { project: project.id, permission: "logs:read" })).toMatchObject({ valid: true });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: project.id, permission: "logs:delete" })).toMatchObject({ valid: false, code: "forbidden" });

    await updateRole(admin, role.id, { name: "Auditor", description: "Reads and prunes logs", permissions: ["logs:read", "logs:delete"] });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: project.id, permission: "logs:delete" })).toMatchObject({ valid: true });
    await updateRole(admin, role.id, { name: "Auditor", description: "", permissions: ["metrics:read"] });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: project.id, permission: "logs:read" })).toMatchObject({ valid: false, code: "forbidden" });
  });

  it("refuses to delete a role in use, by a member or by a key limited to it", async () => {
    const role = await createRole(admin, { name: "Temp", description: "", permissions: ["docs:read"] });
    const project = await makeProject();
    const person = await makeUser();
    await addMember(person.id, project.id, role.id);
    await expect(deleteRole(admin, role.id)).rejects.toThrow("Temp is in use by 1 member of projects. Give that member another role first.");
    expect((await listRoles(admin)).find((r) => r.id === role.id)?.memberCount).toBe(1);

    const key = await createPersonalKey(person, { name: "Limited", expiresInDays: 30, restriction: [{ projectId: project.id, roleId: role.id }] });
    await updateUser(admin, person.id, { memberships: [{ projectId: project.id, roleId: (await builtInRole("Editor")).id }] });
    const byKey = await deleteRole(admin, role.id).catch((e: unknown) => e);
    expect(byKey).toBeInstanceOf(ConflictError);
    expect((byKey as Error).message).toBe("Temp is used by 1 API key limited to it. Revoke or replace that key first.");
    expect(key.key.restriction?.[0]?.roleName).toBe("Temp");

    const unused = await createRole(admin, { name: "Unused", description: "", permissions: ["*"] });
    await deleteRole(admin, unused.id);
    expect((await listRoles(admin)).some((r) => r.id === unused.id)).toBe(false);
  });
});
