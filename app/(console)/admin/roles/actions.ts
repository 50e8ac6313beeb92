"use server";

import { formAction, parsedBy, textValues, withRecordId } from "@/lib/auth/action";
import { createRole, deleteRole, updateRole } from "@/lib/roles";
import { roleInputSchema } from "@/lib/roles/schemas";

const PATH = "/admin/roles";
const fields = (form: FormData) => textValues(form, ["name", "description", "permissions"]);
/** Permissions are typed one per line (or comma-separated). */
const role = (form: FormData) => {
  const values = fields(form);
  return parsedBy(roleInputSchema.safeParse({ ...values, permissions: values.permissions!.split(/[\n,]+/) }));
};

export const createRoleAction = formAction({
  who: "admin",
  name: "create role",
  values: fields,
  parse: role,
  run: async (admin, input) => ({ message: `Role ${(await createRole(admin, input)).name} created.` }),
  revalidate: PATH,
});

export const updateRoleAction = formAction({
  who: "admin",
  name: "update role",
  values: fields,
  parse: (form) => withRecordId(form, "roleId", "Unknown role. Reload the page.", () => role(form)),
  run: async (admin, { id, ...input }) => {
    await updateRole(admin, id, input);
    return { message: `Role ${input.name} saved. Keys holding it use the new permissions now.` };
  },
  revalidate: PATH,
});

export const deleteRoleAction = formAction({
  who: "admin",
  name: "delete role",
  parse: (form) => withRecordId(form, "roleId", "Unknown role. Reload the page."),
  run: async (admin, { id }) => {
    await deleteRole(admin, id);
    return { message: "Role deleted." };
  },
  revalidate: PATH,
});
