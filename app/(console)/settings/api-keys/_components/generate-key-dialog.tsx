"use client";

import { TriangleAlert } from "lucide-react";
import { useActionState, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { Field, FieldGroup, FormError, SelectField, selectClass } from "@/components/ui/field";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import { DEFAULT_EXPIRATION, EXPIRATION_CHOICES } from "@/lib/keys/key-form";
import type { KeyProjectOption } from "@/lib/keys/project-options";
import { generateKeyAction, type NewKeyState } from "../actions";

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  projectOptions: KeyProjectOption[];
  onCreated: (secret: string, name: string) => void;
};

export function GenerateKeyDialog({ open, onOpenChange, projectOptions, onCreated }: Props) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Generate API key" description="Name the key so you can recognize it later, for example “Production” or “My app”." wide>
      {/* Mounted only while open: each opening starts from an empty form. */}
      {open && <GenerateKeyForm projectOptions={projectOptions} onCancel={() => onOpenChange(false)} onCreated={onCreated} />}
    </Dialog>
  );
}

function GenerateKeyForm({ projectOptions, onCancel, onCreated }: Omit<Props, "open" | "onOpenChange"> & { onCancel: () => void }) {
  const id = useId();
  const [state, action, pending] = useActionState<NewKeyState, FormData>(async (previous, form) => {
    const result = await generateKeyAction(previous, form);
    if (!result.ok || !result.secret) return result;
    // The key leaves this form's state at once: only the reveal dialog holds it, and only until it closes.
    onCreated(result.secret, result.keyName ?? "");
    return {};
  }, {});
  const [expiration, setExpiration] = useState(DEFAULT_EXPIRATION);
  const [access, setAccess] = useState<"all" | "some">("all");
  const errors = state.fieldErrors ?? {};

  return (
    <form onSubmit={submitKeepingValues(action)} className="space-y-5" noValidate>
      <FormError message={state.message} />
      <Field label="Name" name="name" required autoFocus autoComplete="off" hint="Up to 64 characters, different from your other keys." errors={errors.name} />

      <div>
        <SelectField
          label="Expiration"
          name="expiration"
          defaultValue={DEFAULT_EXPIRATION}
          onChange={(e) => setExpiration(e.target.value)}
          errors={errors.expiration}
        >
          {EXPIRATION_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </SelectField>
        {expiration === "custom" && (
          <Field
            className="mt-3"
            label="Number of days"
            name="customDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={3650}
            required
            hint="Between 1 and 3650 days."
            errors={errors.customDays}
          />
        )}
        {expiration === "never" && (
          <p className="mt-3 flex gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
            <TriangleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
            <span>
              A key without an expiration works until someone revokes it: if it leaks unnoticed, it stays usable for good. Prefer an
              expiration and rotate the key before it ends.
            </span>
          </p>
        )}
      </div>

      <FieldGroup legend="Access" errors={errors.restriction}>
        <div className="mt-2 space-y-2 text-sm">
          <label className="flex items-start gap-2">
            <input type="radio" name="access" value="all" defaultChecked onChange={() => setAccess("all")} className="mt-0.5" />
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
                  <select id={`${id}-role-${p.projectId}`} name={`role:${p.projectId}`} defaultValue={p.roleId} className={`${selectClass} mt-0 w-40`}>
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
