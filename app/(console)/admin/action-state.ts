import type { ActionResult } from "@/lib/auth/action";

/** What every admin form's server action answers (lib/auth/action.ts). */
export type ActionState<D extends object = object> = ActionResult<D>;

/** The membership picker posts `project` (one per selected project) and `role:<projectId>`. */
export function membershipsFrom(form: FormData): { projectId: string; roleId: string }[] {
  return form.getAll("project").map((p) => ({ projectId: String(p), roleId: String(form.get(`role:${String(p)}`) ?? "") }));
}
