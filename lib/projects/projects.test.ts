import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { auditEvents, memberships } from "@/lib/db/schema";
import { ConflictError, ValidationError } from "@/lib/errors";
import { revealAccountKey } from "@/lib/keys/accounts";
import { verifyKey } from "@/lib/keys/verify";
import { withFreshDatabase } from "@/lib/test/db";
import { builtInRole, makeUser, TEST_CONTEXT } from "@/lib/test/fixtures";
import { createApiAccount } from "@/lib/users/admin";
import { createProject, deleteProject, listProjectOptions, listProjects, renameProject } from "./index";
import { slugify } from "./schemas";

withFreshDatabase();

let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  admin = await makeUser({ isOrgAdmin: true });
});

describe("projects", () => {
  it("creates with a unique slug, refuses a duplicate name, renames keeping the slug", async () => {
    const a = await createProject(admin, { name: "Billing API" });
    expect(a.slug).toBe("billing-api");
    const dup = await createProject(admin, { name: "billing api" }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ValidationError);
    expect((dup as ValidationError).fieldErrors?.name).toEqual(["A project named “billing api” already exists."]);
    const b = await createProject(admin, { name: "Billing  API!" });
    expect(b.slug).toBe("billing-api-2");

    await renameProject(admin, a.id, { name: "Invoices" });
    const rows = await listProjects(admin);
    expect(rows.find((r) => r.id === a.id)).toMatchObject({ name: "Invoices", slug: "billing-api", memberCount: 0 });
    await expect(renameProject(admin, a.id, { name: "Billing  API!" })).rejects.toBeInstanceOf(ValidationError);
    const db = await getDb();
    const events = await db.select({ action: auditEvents.action, details: auditEvents.details }).from(auditEvents).where(eq(auditEvents.targetId, a.id));
    expect(events).toEqual([
      { action: "project.created", details: { slug: "billing-api" } },
      { action: "project.renamed", details: { from: "Billing API", to: "Invoices" } },
    ]);
  });

  it("refuses to delete a project with members unless the admin confirms removing them; the members' keys lose it at once", async () => {
    const p = await createProject(admin, { name: "Has members" });
    const keep = await createProject(admin, { name: "Kept" });
    const viewer = await builtInRole("Viewer");
    const acct = await createApiAccount(admin, { username: "member-bot", memberships: [{ projectId: p.id, roleId: viewer.id }, { projectId: keep.id, roleId: viewer.id }] });
    const secret = await revealAccountKey(admin, acct.id);
    expect(await verifyKey(secret, TEST_CONTEXT, { project: p.slug })).toMatchObject({ valid: true });

    const refused = await deleteProject(admin, p.id, { removeMembers: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toBe("Has members still has 1 member. Remove it first, or confirm that deleting the project removes its role in it.");
    expect((await listProjects(admin)).find((r) => r.id === p.id)?.memberCount).toBe(1);

    expect(await deleteProject(admin, p.id, { removeMembers: true })).toEqual({ removedMembers: 1 });
    expect((await listProjects(admin)).some((r) => r.id === p.id)).toBe(false);
    expect(await verifyKey(secret, TEST_CONTEXT, { project: p.slug })).toMatchObject({ valid: false, code: "forbidden" });
    const db = await getDb();
    expect(await db.select({ projectId: memberships.projectId }).from(memberships).where(eq(memberships.userId, acct.id))).toEqual([{ projectId: keep.id }]);
  });

  it("deletes an empty project straight away", async () => {
    const p = await createProject(admin, { name: "Empty" });
    expect(await deleteProject(admin, p.id, { removeMembers: false })).toEqual({ removedMembers: 0 });
  });

  it("lists projects by name whatever their case, as people read them", async () => {
    for (const name of ["zeta tools", "Alpha sort", "beta sort", "Gamma sort"]) await createProject(admin, { name });
    const sorted = ["Alpha sort", "beta sort", "Gamma sort", "zeta tools"];
    expect((await listProjects(admin)).map((p) => p.name).filter((n) => sorted.includes(n))).toEqual(sorted);
    expect((await listProjectOptions(admin)).map((p) => p.name).filter((n) => sorted.includes(n))).toEqual(sorted);
  });

  it("slugs are URL-safe and never empty", () => {
    expect(slugify("Café Ünïcode — API")).toBe("cafe-unicode-api");
    expect(slugify("!!!")).toBe("project");
  });
});
