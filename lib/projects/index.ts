import "server-only";
import { asc, count, eq, like, or, sql } from "drizzle-orm";
import { actorOf, writeAudit } from "@/lib/audit";
import type { Caller } from "@/lib/caller";
import { type Db, getDb, type Tx } from "@/lib/db/client";
import { memberships, projects } from "@/lib/db/schema";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { changeKeys } from "@/lib/keys/invalidation";
import { assertGlobalAdmin } from "@/lib/policy";
import { slugify, type ProjectInput } from "./schemas";

export type ProjectRow = { id: string; name: string; slug: string; createdAt: Date; memberCount: number };
export type ProjectOption = { id: string; name: string };

/** The rows' query, not run: a builder awaited would run at once. */
function selectProjectRows(db: Db) {
  const counts = db
    .select({ projectId: memberships.projectId, n: count().as("n") })
    .from(memberships)
    .groupBy(memberships.projectId)
    .as("counts");
  return db
    .select({ id: projects.id, name: projects.name, slug: projects.slug, createdAt: projects.createdAt, memberCount: sql<number>`coalesce(${counts.n}, 0)`.mapWith(Number) })
    .from(projects)
    .leftJoin(counts, eq(counts.projectId, projects.id))
    .$dynamic();
}

/** Every project with its number of members, by name whatever its case (projects_name_idx is on lower(name)). */
export async function listProjects(caller: Caller): Promise<ProjectRow[]> {
  assertGlobalAdmin(caller);
  return selectProjectRows(await getDb()).orderBy(asc(sql`lower(${projects.name})`), asc(projects.id));
}

export async function getProject(caller: Caller, projectId: string): Promise<ProjectRow> {
  assertGlobalAdmin(caller);
  const [row] = await selectProjectRows(await getDb()).where(eq(projects.id, projectId)).limit(1);
  if (!row) throw new NotFoundError("Project not found.");
  return row;
}

/** Names and ids only, for the pickers where a role per project is chosen. */
export async function listProjectOptions(caller: Caller): Promise<ProjectOption[]> {
  assertGlobalAdmin(caller);
  const db = await getDb();
  return db.select({ id: projects.id, name: projects.name }).from(projects).orderBy(asc(sql`lower(${projects.name})`), asc(projects.id));
}

async function assertNameFree(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const [taken] = await tx.select({ id: projects.id }).from(projects).where(sql`lower(${projects.name}) = lower(${name})`).limit(1);
  if (taken && taken.id !== exceptId) throw new ValidationError({ name: [`A project named “${name}” already exists.`] });
}

async function uniqueSlug(tx: Tx, name: string): Promise<string> {
  const base = slugify(name);
  const rows = await tx
    .select({ slug: projects.slug })
    .from(projects)
    .where(or(eq(projects.slug, base), like(projects.slug, `${base}-%`)));
  const taken = new Set(rows.map((r) => r.slug));
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

// Project names are unique case-insensitively; one lock makes check-then-insert safe across instances.
const PROJECT_NAMES_LOCK = 74_205_314;

export async function createProject(caller: Caller, input: ProjectInput): Promise<ProjectOption & { slug: string }> {
  assertGlobalAdmin(caller);
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PROJECT_NAMES_LOCK})`);
    await assertNameFree(tx, input.name);
    const [project] = await tx
      .insert(projects)
      .values({ name: input.name, slug: await uniqueSlug(tx, input.name) })
      .returning({ id: projects.id, name: projects.name, slug: projects.slug });
    await writeAudit(tx, actorOf(caller), { action: "project.created", targetType: "project", targetId: project!.id, targetLabel: project!.name, details: { slug: project!.slug } });
    return project!;
  });
}

/** Renames; the slug stays, so keys and API clients that name the project by slug keep working. */
export async function renameProject(caller: Caller, projectId: string, input: ProjectInput): Promise<void> {
  assertGlobalAdmin(caller);
  // Verification answers carry project names.
  await changeKeys(async (tx, invalidate) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PROJECT_NAMES_LOCK})`);
    const [project] = await tx.select({ id: projects.id, name: projects.name }).from(projects).where(eq(projects.id, projectId)).for("update").limit(1);
    if (!project) throw new NotFoundError("Project not found. Reload the page: it may have been deleted.");
    if (project.name === input.name) return;
    await assertNameFree(tx, input.name, projectId);
    await tx.update(projects).set({ name: input.name }).where(eq(projects.id, projectId));
    await writeAudit(tx, actorOf(caller), { action: "project.renamed", targetType: "project", targetId: projectId, targetLabel: input.name, details: { from: project.name, to: input.name } });
    await invalidate({ scope: "all" });
  });
}

/**
 * Deletes a project. While it has members this is refused, unless the admin
 * confirmed that the members lose their role in it (removeMembers).
 */
export async function deleteProject(caller: Caller, projectId: string, opts: { removeMembers: boolean }): Promise<{ removedMembers: number }> {
  assertGlobalAdmin(caller);
  const removed = await changeKeys(async (tx, invalidate) => {
    const [project] = await tx.select({ id: projects.id, name: projects.name, slug: projects.slug }).from(projects).where(eq(projects.id, projectId)).for("update").limit(1);
    if (!project) throw new NotFoundError("Project not found. Reload the page: it may have been deleted.");
    const [members] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.projectId, projectId));
    const n = members?.n ?? 0;
    if (n > 0 && !opts.removeMembers) {
      throw new ConflictError(
        `${project.name} still has ${n} member${n === 1 ? "" : "s"}. Remove ${n === 1 ? "it" : "them"} first, or confirm that deleting the project removes ${n === 1 ? "its role" : "their roles"} in it.`,
      );
    }
    await tx.delete(projects).where(eq(projects.id, projectId));
    await writeAudit(tx, actorOf(caller), { action: "project.deleted", targetType: "project", targetId: projectId, targetLabel: project.name, details: { slug: project.slug, removedMembers: n } });
    await invalidate({ scope: "all" });
    return n;
  });
  return { removedMembers: removed };
}
