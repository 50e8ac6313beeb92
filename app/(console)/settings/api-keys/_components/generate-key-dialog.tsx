"use client";

import { useActionState, useId, useState } from "react";
import { ExpirationField } from "@/components/expiration-field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { Field, FieldGroup, FormError, selectClass } from "@/components/ui/field";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import type { ExpirationOffer } from "@/lib/keys/key-form";
import type { KeyProjectOption } from "@/lib/keys/project-options";
import { generateKeyAction, type NewKeyState } from "../actions";

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  projectOptions: KeyProjectOption[];
  expirationOffer: ExpirationOffer;
  onCreated: (secret: string, name: string) => void;
};

export function GenerateKeyDialog({ open, onOpenChange, projectOptions, expirationOffer, onCreated }: Props) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Generate API key" description="Name the key so you can recognize it later, for example “Production” or “My app”." wide>
      {/* Mounted only while open: each opening starts from an empty form. */}
      {open && <GenerateKeyForm projectOptions={projectOptions} expirationOffer={expirationOffer} onCancel={() => onOpenChange(false)} onCreated={onCreated} />}
    </Dialog>
  );
}

function GenerateKeyForm({ projectOptions, expirationOffer, onCancel, onCreated }: Omit<Props, "open" | "onOpenChange"> & { onCancel: () => void }) {
  const [state, action, pending] = useActionState<NewKeyState, FormData>(async (previous, form) => {
    const result = await generateKeyAction(previous, form);
    if (!result.ok || !result.secret) return result;
    // The key leaves this form's state at once: only the reveal dialog holds it, and only until it closes.
    onCreated(result.secret, result.keyName ?? "");
    return {};
  }, {});
  const errors = state.fieldErrors ?? {};

  return (
    <form onSubmit={submitKeepingValues(action)} className="space-y-5" noValidate>
      <FormError message={state.message} />
      <Field label="Name" name="name" required autoFocus autoComplete="off" hint="Up to 64 characters, different from your other keys." errors={errors.name} />

      <ExpirationField offer={expirationOffer} errors={errors} />

      <AccessFields projectOptions={projectOptions} errors={errors.restriction} />

      <DialogActions>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? "Generating…" : "Generate"}
        </Button>
      </DialogActions>
    </form>
  );
}

/** All my projects, or only some, each with a role no greater than mine: `initial` is the restriction being edited. */
export function AccessFields({ projectOptions, errors, initial = null }: { projectOptions: KeyProjectOption[]; errors?: string[]; initial?: { projectId: string; roleId: string }[] | null }) {
  const id = useId();
  const [access, setAccess] = useState<"all" | "some">(initial ? "some" : "all");
  return (
      <FieldGroup legend="Access" errors={errors}>
        <div className="mt-2 space-y-2 text-sm">
          <label className="flex items-start gap-2">
            <input type="radio" name="access" value="all" defaultChecked={!initial} onChange={() => setAccess("all")} className="mt-0.5" />
            <span>
              All my projects
              <span className="block text-xs text-slate-500">The key gets your own role in every project you belong to, now and later.</span>
            </span>
          </label>
          <label className="flex items-start gap-2">
            <input
              type="radio"
              name="access"
              value="some"
              defaultChecked={!!initial}
              onChange={() => setAccess("some")}
              disabled={projectOptions.length === 0}
              className="mt-0.5"
            />
            <span>
              Only the projects I choose
              <span className="block text-xs text-slate-500">
                {projectOptions.length === 0 ? "You are not a member of any project yet." : "Each with a role no greater than your own there."}
              </span>
            </span>
          </label>
        </div>
        {access === "some" && (
          <ul className="mt-3 divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
            {projectOptions.map((p) => (
              <li key={p.projectId} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2">
                <div className="flex items-start gap-2 text-sm">
                  <input
                    id={`${id}-project-${p.projectId}`}
                    type="checkbox"
                    name="project"
                    value={p.projectId}
                    defaultChecked={initial?.some((r) => r.projectId === p.projectId)}
                    aria-describedby={`${id}-mine-${p.projectId}`}
                    className="mt-0.5"
                  />
                  <div>
                    <label htmlFor={`${id}-project-${p.projectId}`}>{p.projectName}</label>
                    <span id={`${id}-mine-${p.projectId}`} className="block text-xs text-slate-500">
                      Your role: {p.roleName}
                    </span>
                  </div>
                </div>
                <div>
                  <label htmlFor={`${id}-role-${p.projectId}`} className="sr-only">
                    Role in {p.projectName}
                  </label>
                  <select id={`${id}-role-${p.projectId}`} name={`role:${p.projectId}`} defaultValue={initial?.find((r) => r.projectId === p.projectId)?.roleId ?? p.roleId} className={`${selectClass} mt-0 w-40`}>
                    {p.grantableRoles.map((r) => (
                      <option key={r.id} value={r.id}>
                        {r.name}
                      </option>
                    ))}
                  </select>
                </div>
              </li>
            ))}
          </ul>
        )}
      </FieldGroup>
  );
}
