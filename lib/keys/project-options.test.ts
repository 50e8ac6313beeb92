import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { roles } from "@/lib/db/schema";
import { withFreshDatabase } from "@/lib/test/db";
import { addMember, builtInRole, makeProject, makeUser } from "@/lib/test/fixtures";
import { ForbiddenError } from "@/lib/errors";
import { createApiAccount } from "@/lib/users/admin";
import { listAccountKeyProjectOptions, listKeyProjectOptions } from "./project-options";
import { createPersonalKey } from "./personal";

withFreshDatabase();

describe("listKeyProjectOptions", () => {
  it("lists my projects with my role first and only the roles within it", async () => {
    const me = await makeUser();
    const db = await getDb();
    const [reader] = await db.insert(roles).values({ name: "Docs reader", permissions: ["documents:read"] }).returning();
    const [deleter] = await db.insert(roles).values({ name: "Deleter", permissions: ["documents:delete"] }).returning();
    const alpha = await makeProject("Alpha");
    const beta = await makeProject("Beta");
    await makeProject("Gamma"); // not mine
    const [admin, editor, viewer] = [await builtInRole("Admin"), await builtInRole("Editor"), await builtInRole("Viewer")];
    await addMember(me.id, beta.id, viewer.id);
    await addMember(me.id, alpha.id, editor.id);

    const options = await listKeyProjectOptions(me.id);
    expect(options.map((o) => [o.projectName, o.roleName])).toEqual([
      ["Alpha", "Editor"],
      ["Beta", "Viewer"],
    ]);
    const names = (i: number) => options[i]!.grantableRoles.map((r) => r.name);
    expect(names(0)[0]).toBe("Editor");
    expect(names(0)).toEqual(expect.arrayContaining(["Editor", "Viewer", "Docs reader"]));
    expect(names(0)).not.toContain(admin.name);
    expect(names(0)).not.toContain(deleter!.name);
    expect(names(1)).toEqual(["Viewer", "Docs reader"]);
    expect(reader).toBeDefined();
  });

  it("offers only roles that createPersonalKey accepts", async () => {
    const me = await makeUser();
    const project = await makeProject("Delta");
    await addMember(me.id, project.id, (await builtInRole("Viewer")).id);
    const [option] = await listKeyProjectOptions(me.id);
    for (const role of option!.grantableRoles) {
      await expect(
        createPersonalKey(me, { name: `Delta ${role.name}`, expiresInDays: 30, restriction: [{ projectId: project.id, roleId: role.id }] }),
      ).resolves.toBeDefined();
    }
    const editor = await builtInRole("Editor");
    await expect(
      createPersonalKey(me, { name: "Too much", expiresInDays: 30, restriction: [{ projectId: project.id, roleId: editor.id }] }),
    ).rejects.toThrow("more than your own role there");
  });

  it("is empty for someone in no project", async () => {
    expect(await listKeyProjectOptions((await makeUser()).id)).toEqual([]);
  });

  it("gives a Global Admin each API account's options (not people's), and refuses anyone else", async () => {
    const admin = await makeUser({ isOrgAdmin: true });
    const person = await makeUser();
    const project = await makeProject("Epsilon");
    const viewer = await builtInRole("Viewer");
    await addMember(person.id, project.id, viewer.id);
    const account = await createApiAccount(admin, { username: `opts-${Date.now()}`, memberships: [{ projectId: project.id, roleId: (await builtInRole("Editor")).id }] });
    const options = await listAccountKeyProjectOptions(admin, [account.id, person.id]);
    expect(Object.keys(options)).toEqual([account.id]);
    expect(options[account.id]!.map((o) => [o.projectName, o.roleName])).toEqual([["Epsilon", "Editor"]]);
    expect(options[account.id]![0]!.grantableRoles.map((r) => r.name)).toContain("Viewer");
    await expect(listAccountKeyProjectOptions(person, [account.id])).rejects.toBeInstanceOf(ForbiddenError);
  });
});

