import "server-only";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { regenerateAccountKey } from "@/lib/keys/accounts";
import { GRACE_PERIODS, type GracePeriod } from "@/lib/keys/lifecycle";
import { expiresInDaysSchema, gracePeriodSchema } from "@/lib/keys/schemas";
import { createApiAccount, createPerson, deleteUser, getUser, listUsers, resetPassword, setUserStatus, signOutEverywhere, updateUser, type UserRow } from "@/lib/users/admin";
import { createApiAccountSchema, createPersonSchema, updateUserSchema, USER_SORTS, userListQuerySchema, userSearchSchema } from "@/lib/users/schemas";
import { ADMIN_TAG, adminErrorResponses, existingId, IdParam, type ProblemExample, pagedFields, pageParam, pageSizeParam } from "../admin";
import type { ApiEnv } from "../pipeline";
import { iso, isoDate, nullableIsoDate, successHeaders } from "../schemas";

const USER_ID = "9a1e0c52-6a1b-4a55-8d0e-2b7b9d1f3c21";
const PROJECT_ID = "0b6f8a5e-8d0c-4f43-9a43-2f3f8a1c9d10";
const ROLE_ID = "3f7d2a10-5b4c-4e8f-9a21-7c6d5e4f3a20";
const EXAMPLE_SA_SECRET = "lk_sa_Zx8yW7vU6tS5rQ4pO3nM2lK1jI0hG9fE8dC7b2";

const MembershipSchema = z
  .object({
    projectId: z.uuid().openapi({ example: PROJECT_ID }),
    projectName: z.string().openapi({ example: "Billing" }),
    roleId: z.uuid().openapi({ example: ROLE_ID }),
    roleName: z.string().openapi({ example: "Editor" }),
  })
  .openapi("Membership");

const UserSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(["human", "api_account"]).openapi({ description: "`human`: a person; `api_account`: a service account (never signs in to the console)." }),
    username: z.string(),
    name: z.string(),
    email: z.string().nullable().openapi({ description: "People only; null for API accounts." }),
    status: z.enum(["active", "disabled"]),
    isOrgAdmin: z.boolean().openapi({ description: "Global Admin." }),
    apiAccess: z.boolean().openapi({ description: "May hold personal keys (always true for API accounts)." }),
    lastActiveAt: nullableIsoDate("2026-03-02T14:05:12.000Z"),
    createdAt: isoDate("2026-03-01T09:30:00.000Z"),
    memberships: z.array(MembershipSchema).openapi({ description: "One role per project, by project name." }),
    key: z
      .object({
        start: z.string(),
        lastFour: z.string(),
        createdAt: isoDate("2026-03-01T09:30:00.000Z"),
        expiresAt: nullableIsoDate(null).openapi({ description: "When the key expires; null: never." }),
      })
      .nullable()
      .openapi({ description: "API accounts: the live key as it may be shown without revealing it. Null for people." }),
    previousKey: z
      .object({ start: z.string(), lastFour: z.string(), stopsAt: isoDate("2026-03-02T09:30:00.000Z") })
      .nullable()
      .openapi({ description: "API accounts: the key a regeneration with a grace period replaced, while it still works (until `stopsAt`)." }),
  })
  .openapi("AdminUser");

type UserJson = z.infer<typeof UserSchema>;

const accountExample: UserJson = {
  id: USER_ID,
  kind: "api_account",
  username: "billing-sync",
  name: "billing-sync",
  email: null,
  status: "active",
  isOrgAdmin: false,
  apiAccess: true,
  lastActiveAt: null,
  createdAt: "2026-03-01T09:30:00.000Z",
  memberships: [
    { projectId: PROJECT_ID, projectName: "Billing", roleId: ROLE_ID, roleName: "Editor" },
    { projectId: "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f", projectName: "Docs", roleId: "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6", roleName: "Viewer" },
  ],
  key: { start: "lk_sa_Zx8y", lastFour: "C7b2", createdAt: "2026-03-01T09:30:00.000Z", expiresAt: null },
  previousKey: null,
};

const personExample: UserJson = {
  ...accountExample,
  id: "2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091",
  kind: "human",
  username: "grace",
  name: "Grace Hopper",
  email: "grace@example.com",
  lastActiveAt: "2026-03-02T14:05:12.000Z",
  memberships: [accountExample.memberships[0]!],
  key: null,
};

function toUserJson(u: UserRow): UserJson {
  return {
    id: u.id,
    kind: u.kind,
    username: u.username,
    name: u.name,
    email: u.email,
    status: u.status,
    isOrgAdmin: u.isOrgAdmin,
    apiAccess: u.apiAccess,
    lastActiveAt: iso(u.lastActiveAt),
    createdAt: u.createdAt.toISOString(),
    memberships: u.memberships,
    key: u.key ? { start: u.key.start, lastFour: u.key.lastFour, createdAt: u.key.createdAt.toISOString(), expiresAt: iso(u.key.expiresAt) } : null,
    previousKey: u.previousKey ? { start: u.previousKey.start, lastFour: u.previousKey.lastFour, stopsAt: u.previousKey.stopsAt.toISOString() } : null,
  };
}

const userId = IdParam("The user's or API account's id.", USER_ID);
const notFound: ProblemExample = { code: "not_found", detail: "User not found." };
const lastAdmin: ProblemExample = {
  code: "conflict",
  detail: "Ada Admin is the last active Global Admin and cannot be demoted. Make another person a Global Admin first.",
};

const SORT_VALUES = USER_SORTS.flatMap((s) => [`${s}.asc`, `${s}.desc`]) as [string, ...string[]];

export const listQuery = z.object({
  q: userSearchSchema
    .optional()
    .openapi({ param: { name: "q", in: "query" }, description: "Part of a name, username or email (case-insensitive)." }),
  type: z
    .enum(["human", "api_account"], { error: "Use human or api_account." })
    .optional()
    .openapi({ param: { name: "type", in: "query" }, description: "Only people (`human`) or only API accounts." }),
  status: z
    .enum(["active", "disabled"], { error: "Use active or disabled." })
    .optional()
    .openapi({ param: { name: "status", in: "query" }, description: "Only active or only disabled users." }),
  project: z
    .uuid("Use a project id.")
    .optional()
    .openapi({ param: { name: "project", in: "query" }, description: "Only members of this project (its id)." }),
  sort: z
    .enum(SORT_VALUES, { error: `Use one of ${SORT_VALUES.join(", ")}.` })
    .optional()
    .openapi({ param: { name: "sort", in: "query" }, description: "Column and direction. Default `created.desc` (newest first)." }),
  page: pageParam,
  pageSize: pageSizeParam(25),
});

const listRoute = createRoute({
  method: "get",
  path: "/admin/users",
  tags: [ADMIN_TAG],
  summary: "List users and API accounts",
  description:
    "The Users table of Global Administration: search, filters, sorting and paging as on `/admin/users`, with each user's projects and roles. " +
    "Never a password hash or a key secret.",
  request: { query: listQuery },
  responses: {
    200: {
      description: "One page of users.",
      headers: successHeaders,
      content: {
        "application/json": {
          schema: z.object({ users: z.array(UserSchema), ...pagedFields }),
          example: { users: [accountExample, personExample], total: 2, page: 1, pageSize: 25 },
        },
      },
    },
    ...adminErrorResponses({ 422: { code: "validation_failed", detail: "Use active or disabled.", extra: { errors: { status: ["Use active or disabled."] } } } }),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/admin/users/{id}",
  tags: [ADMIN_TAG],
  summary: "Get a user or API account",
  request: { params: userId },
  responses: {
    200: { description: "The user.", headers: successHeaders, content: { "application/json": { schema: z.object({ user: UserSchema }), example: { user: personExample } } } },
    ...adminErrorResponses({ 404: notFound }),
  },
});

const createAccountBody = createApiAccountSchema.openapi("CreateApiAccountRequest", {
  description:
    "`username`: 3–64 characters of `a-z 0-9 . _ -`, unique among all users. `memberships`: at least one project, each with one role (built-in or custom). " +
    "`expiresInDays`: the key's lifetime (`null`: no expiration); left out, the key policy's maximum for API-account keys, or no expiration when it sets none. A lifetime past the policy is a 422 whose `limit` names the limit.",
  example: { username: "billing-sync", memberships: [{ projectId: PROJECT_ID, roleId: ROLE_ID }] },
});

const createAccountRoute = createRoute({
  method: "post",
  path: "/admin/api-accounts",
  tags: [ADMIN_TAG],
  summary: "Create an API account",
  description:
    "A service account with a role in each of the given projects and its `lk_sa_` key, made at once. The key's secret is in this response: " +
    "store it now (an admin can show it again only in the console, which records a `key.revealed` audit event). The account can never sign in to the console.",
  request: { body: { required: true, content: { "application/json": { schema: createAccountBody } } } },
  responses: {
    201: {
      description: "The account and its key's secret.",
      headers: successHeaders,
      content: {
        "application/json": {
          schema: z.object({ account: UserSchema, secret: z.string().openapi({ description: "The account's full key." }) }),
          example: { account: accountExample, secret: EXAMPLE_SA_SECRET },
        },
      },
    },
    ...adminErrorResponses({
      422: {
        code: "validation_failed",
        detail: "The username “billing-sync” is already taken. Choose another.",
        extra: { errors: { username: ["The username “billing-sync” is already taken. Choose another."] } },
      },
    }),
  },
});

const createPersonBody = createPersonSchema.openapi("CreateUserRequest", {
  description: "A person. `isOrgAdmin` and `apiAccess` default to false, `memberships` to none. The server makes the initial password.",
  example: { name: "Grace Hopper", email: "grace@example.com", isOrgAdmin: false, apiAccess: true, memberships: [{ projectId: PROJECT_ID, roleId: ROLE_ID }] },
});

const createPersonRoute = createRoute({
  method: "post",
  path: "/admin/users",
  tags: [ADMIN_TAG],
  summary: "Add a user (a person)",
  description:
    "Creates a person with a server-made initial password, returned here once and never stored in the clear. " +
    "They must change it at their first sign-in.",
  request: { body: { required: true, content: { "application/json": { schema: createPersonBody } } } },
  responses: {
    201: {
      description: "The user and the initial password (shown once).",
      headers: successHeaders,
      content: {
        "application/json": {
          schema: z.object({ user: UserSchema, initialPassword: z.string() }),
          example: { user: personExample, initialPassword: "Hk3xQm-9pLzRt-W2vNcd-7yBfGs" },
        },
      },
    },
    ...adminErrorResponses({
      422: { code: "validation_failed", detail: "A user with this email already exists.", extra: { errors: { email: ["A user with this email already exists."] } } },
    }),
  },
});

const updateBody = updateUserSchema.openapi("UpdateUserRequest", {
  description:
    "Fields left out are not changed. `name` applies to people. `memberships`, when given, replaces all of the user's project roles " +
    "(`[]` removes them all). API accounts cannot be Global Admins and always keep API access. The last active Global Admin cannot be demoted.",
  example: { isOrgAdmin: false, apiAccess: true, memberships: [{ projectId: PROJECT_ID, roleId: ROLE_ID }] },
});

const updateRoute = createRoute({
  method: "patch",
  path: "/admin/users/{id}",
  tags: [ADMIN_TAG],
  summary: "Change a user's name, Global Admin, API access or project roles",
  description: "All or nothing, with the user locked meanwhile. Keys follow the new roles at once, in every instance.",
  request: { params: userId, body: { required: true, content: { "application/json": { schema: updateBody } } } },
  responses: {
    200: { description: "The user as changed.", headers: successHeaders, content: { "application/json": { schema: z.object({ user: UserSchema }), example: { user: personExample } } } },
    ...adminErrorResponses({
      404: notFound,
      409: lastAdmin,
      422: {
        code: "validation_failed",
        detail: "API accounts always have API access and cannot be Global Admins.",
        extra: { errors: { isOrgAdmin: ["API accounts always have API access and cannot be Global Admins."] } },
      },
    }),
  },
});

const statusRoute = (action: "disable" | "enable") =>
  createRoute({
    method: "post",
    path: `/admin/users/{id}/${action}`,
    tags: [ADMIN_TAG],
    summary: action === "disable" ? "Disable a user or API account" : "Enable a user or API account",
    description:
      action === "disable"
        ? "Every key of the user stops working at once (401 `owner_disabled`), in every instance, and a person's console sessions end. " +
          "You cannot disable yourself or the last active Global Admin. Disabling a disabled user changes nothing."
        : "The user's keys that are not revoked or expired work again at once. Enabling an active user changes nothing.",
    request: { params: userId },
    responses: {
      200: {
        description: "The user, with the new status.",
        headers: successHeaders,
        content: { "application/json": { schema: z.object({ user: UserSchema }), example: { user: { ...accountExample, status: action === "disable" ? "disabled" : "active" } } } },
      },
      ...adminErrorResponses(
        action === "disable"
          ? { 404: notFound, 409: { code: "conflict", detail: "You cannot disable your own account. Ask another Global Admin." } }
          : { 404: notFound },
      ),
    },
  });

const deleteRoute = createRoute({
  method: "delete",
  path: "/admin/users/{id}",
  tags: [ADMIN_TAG],
  summary: "Delete a user or API account",
  description:
    "Deletes the user, their project roles and their keys (which stop working at once); the audit history stays. " +
    "Confirm by sending the user's username as `confirm`. You cannot delete yourself or the last active Global Admin.",
  request: {
    params: userId,
    query: z.object({
      confirm: z
        .string()
        .optional()
        .openapi({ param: { name: "confirm", in: "query" }, description: "The user's username, exactly (e.g. `billing-sync`): the confirmation the console asks for." }),
    }),
  },
  responses: {
    204: { description: "Deleted.", headers: successHeaders },
    ...adminErrorResponses({
      404: notFound,
      409: { code: "conflict", detail: "You cannot delete your own account. Ask another Global Admin." },
      422: {
        code: "validation_failed",
        detail: "Type the username “billing-sync” exactly to confirm.",
        extra: { errors: { confirm: ["Type the username “billing-sync” exactly to confirm."] } },
      },
    }),
  },
});

const regenerateRoute = createRoute({
  method: "post",
  path: "/admin/api-accounts/{id}/key/regenerate",
  tags: [ADMIN_TAG],
  summary: "Regenerate an API account's key",
  description:
    "Makes the account a new key, whose secret is in this response only. The old key stops working at once (in every instance), or, with `grace`, at `oldKeyStopsAt` " +
    "(never later than its own expiry; the account's `previousKey` says so meanwhile). The new key lives as long as the old one unless `expiresInDays` says otherwise; both within the key policy. " +
    "There is no endpoint that shows an existing key: that is done in the console, on an admin's explicit request, and audited.",
  request: {
    params: IdParam("The API account's id.", USER_ID),
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z
            .object({
              grace: gracePeriodSchema.optional().openapi({ description: "When the old key stops working. Default `immediately`.", example: "24h" }),
              expiresInDays: expiresInDaysSchema.optional().openapi({ description: "The new key's lifetime in days; `null`: no expiration. Default: the old key's.", example: 365 }),
            })
            .openapi("RegenerateAccountKeyRequest"),
        },
      },
    },
  },
  responses: {
    200: {
      description: "The account with its new key, and the key's secret.",
      headers: successHeaders,
      content: {
        "application/json": {
          schema: z.object({
            account: UserSchema,
            secret: z.string().openapi({ description: "The new key. Shown once." }),
            oldKeyStopsAt: nullableIsoDate(null).openapi({ description: "With a grace period: when the old key stops working; null when it stopped at once." }),
          }),
          example: { account: accountExample, secret: EXAMPLE_SA_SECRET, oldKeyStopsAt: null },
        },
      },
    },
    ...adminErrorResponses({ 404: { code: "not_found", detail: "Account not found." } }),
  },
});

const noConsole: ProblemExample = { code: "conflict", detail: "API accounts never sign in to the console: they have no password and no sessions." };

const signOutRoute = createRoute({
  method: "post",
  path: "/admin/users/{id}/sign-out",
  tags: [ADMIN_TAG],
  summary: "Sign a person out everywhere",
  description:
    "Ends every console session of the person at once, in every browser and on every instance (a copied session cookie included). " +
    "They can sign in again with their password; their API keys are not touched. Audited as `user.signed_out_everywhere`.",
  request: { params: IdParam("The person's id.", personExample.id) },
  responses: {
    200: {
      description: "The person, and how many live sessions ended.",
      headers: successHeaders,
      content: {
        "application/json": {
          schema: z.object({ user: UserSchema, sessionsEnded: z.number().int().openapi({ description: "Live console sessions that were ended." }) }),
          example: { user: personExample, sessionsEnded: 2 },
        },
      },
    },
    ...adminErrorResponses({ 404: notFound, 409: noConsole }),
  },
});

const resetPasswordRoute = createRoute({
  method: "post",
  path: "/admin/users/{id}/reset-password",
  tags: [ADMIN_TAG],
  summary: "Set a temporary password for a person",
  description:
    "Password recovery. The server makes a temporary password, returned here once and never stored in the clear; the old password stops working, " +
    "every session of the person ends, and they must choose their own password at their next sign-in. Audited as `user.password_reset` (without the password). " +
    "Not for API accounts, nor for yourself (change your own password on your User Profile).",
  request: { params: IdParam("The person's id.", personExample.id) },
  responses: {
    200: {
      description: "The person and the temporary password (shown once).",
      headers: successHeaders,
      content: {
        "application/json": {
          schema: z.object({ user: UserSchema, temporaryPassword: z.string() }),
          example: { user: personExample, temporaryPassword: "Tq7xRm-2pLzWc-K9vNhd-4yBfAs" },
        },
      },
    },
    ...adminErrorResponses({ 404: notFound, 409: noConsole }),
  },
});

export function registerAdminUsers(app: OpenAPIHono<ApiEnv>) {
  app.openapi(listRoute, async (c) => {
    const { pageSize, ...filters } = c.req.valid("query");
    const query = userListQuerySchema.parse({ ...filters, size: pageSize });
    const list = await listUsers(c.var.caller, query);
    return c.json({ users: list.rows.map(toUserJson), total: list.total, page: list.page, pageSize: list.pageSize }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const id = existingId(c.req.valid("param").id, "User");
    return c.json({ user: toUserJson(await getUser(c.var.caller, id)) }, 200);
  });

  app.openapi(createAccountRoute, async (c) => {
    const caller = c.var.caller;
    const created = await createApiAccount(caller, c.req.valid("json"));
    return c.json({ account: toUserJson(await getUser(caller, created.id)), secret: created.secret }, 201);
  });

  app.openapi(createPersonRoute, async (c) => {
    const caller = c.var.caller;
    const created = await createPerson(caller, c.req.valid("json"));
    return c.json({ user: toUserJson(await getUser(caller, created.id)), initialPassword: created.initialPassword }, 201);
  });

  app.openapi(updateRoute, async (c) => {
    const caller = c.var.caller;
    const id = existingId(c.req.valid("param").id, "User");
    await updateUser(caller, id, c.req.valid("json"));
    return c.json({ user: toUserJson(await getUser(caller, id)) }, 200);
  });

  for (const action of ["disable", "enable"] as const) {
    app.openapi(statusRoute(action), async (c) => {
      const caller = c.var.caller;
      const id = existingId(c.req.valid("param").id, "User");
      await setUserStatus(caller, id, action === "disable" ? "disabled" : "active");
      return c.json({ user: toUserJson(await getUser(caller, id)) }, 200);
    });
  }

  app.openapi(deleteRoute, async (c) => {
    const id = existingId(c.req.valid("param").id, "User");
    await deleteUser(c.var.caller, id, c.req.valid("query").confirm ?? "");
    return c.body(null, 204);
  });

  app.openapi(regenerateRoute, async (c) => {
    const caller = c.var.caller;
    const id = existingId(c.req.valid("param").id, "Account");
    const body = (c.req.valid("json") ?? {}) as { grace?: GracePeriod; expiresInDays?: number | null };
    const { secret, oldKeyStopsAt } = await regenerateAccountKey(caller, id, { graceSeconds: GRACE_PERIODS[body.grace ?? "immediately"], expiresInDays: body.expiresInDays });
    return c.json({ account: toUserJson(await getUser(caller, id)), secret, oldKeyStopsAt: oldKeyStopsAt?.toISOString() ?? null }, 200);
  });

  app.openapi(signOutRoute, async (c) => {
    const admin = c.var.caller;
    const id = existingId(c.req.valid("param").id, "User");
    const { sessionsEnded } = await signOutEverywhere(admin, id);
    return c.json({ user: toUserJson(await getUser(admin, id)), sessionsEnded }, 200);
  });

  app.openapi(resetPasswordRoute, async (c) => {
    const admin = c.var.caller;
    const id = existingId(c.req.valid("param").id, "User");
    const { temporaryPassword } = await resetPassword(admin, id);
    return c.json({ user: toUserJson(await getUser(admin, id)), temporaryPassword }, 200);
  });
}
