import "server-only";
import { DomainError } from "@/lib/errors";

/** What every admin form's server action answers: small, explicit, never a database row. */
export type ActionState<V = Record<string, string>> = {
  ok?: boolean;
  /** Changes on every submission, so that a dialog can react to each success. */
  at?: number;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** What was submitted, so that the form shows it again after React resets it. */
  values?: V;
};

export function succeeded<V>(extra: Omit<ActionState<V>, "ok" | "at"> = {}): ActionState<V> {
  return { ok: true, at: Date.now(), ...extra };
}

/** Errors a Global Admin can act on come back in their words; anything else is logged and answered briefly. */
export function failed<V>(error: unknown, values?: V): ActionState<V> {
  if (error instanceof DomainError) {
    return { ok: false, at: Date.now(), message: error.fieldErrors ? undefined : error.message, fieldErrors: error.fieldErrors, values };
  }
  console.error("admin action failed:", error);
  return { ok: false, at: Date.now(), message: "Something went wrong. Try again, and check the server log if it persists.", values };
}

/** The membership picker posts `project` (one per selected project) and `role:<projectId>`. */
export function membershipsFrom(form: FormData): { projectId: string; roleId: string }[] {
  return form.getAll("project").map((p) => ({ projectId: String(p), roleId: String(form.get(`role:${String(p)}`) ?? "") }));
}
