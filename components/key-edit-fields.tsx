"use client";

import { useId, useState } from "react";
import { ExpirationField } from "@/components/expiration-field";
import { Field, FieldGroup, selectClass } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ExpirationOffer } from "@/lib/keys/key-form";
import type { KeyProjectOption } from "@/lib/keys/project-options";

/**
 * The fields of "Edit access key" (the SecureCloud guide's words), shared by
 * Settings > API Keys (my keys) and Global Administration > Users > View API
 * Key For Account (an API account's key): name, expiry and projects. They post
 * `name`, `expiration`/`customDays`, `access`, `project` and `role:<projectId>`,
 * which parseEditKeyForm (lib/keys/key-form) reads for updateKey.
 */

type Restriction = { projectId: string; roleId: string }[];

/** Whose key the fields edit, in the words the form uses. */
export type KeyOwnerWords = { all: string; allHint: string; some: string; someHint: string; noProjects: string; role: string; nameHint: string };

export const MINE: KeyOwnerWords = {
  all: "All my projects",
  allHint: "The key gets your own role in every project you belong to, now and later.",
  some: "Only the projects I choose",
  someHint: "Each with a role no greater than your own there.",
  noProjects: "You are not a member of any project yet.",
  role: "Your role",
  nameHint: "Up to 64 characters, different from your other keys.",
};

export const ACCOUNTS: KeyOwnerWords = {
  all: "All the account’s projects",
  allHint: "The key gets the account’s role in every project it belongs to, now and later.",
  some: "Only the projects I choose",
  someHint: "Each with a role no greater than the account’s own there.",
  noProjects: "The account is not a member of any project.",
  role: "The account’s role",
  nameHint: "Up to 64 characters, different from the account’s other keys.",
};

/** Name, a new expiry (or "Keep the current expiry") and projects of a key being edited; the key itself stays. */
export function KeyEditFields({
  keyRow,
  offer,
  projectOptions,
  errors,
  owner = MINE,
  expirationLabel,
}: {
  keyRow: { name: string; expiresAt: string | Date | null; restriction: Restriction | null };
  offer: ExpirationOffer;
  projectOptions: KeyProjectOption[];
  errors: Record<string, string[] | undefined>;
  owner?: KeyOwnerWords;
  expirationLabel?: string;
}) {
  return (
    <>
      <Field label="Name" name="name" required autoComplete="off" defaultValue={keyRow.name} hint={owner.nameHint} errors={errors.name} />
      <div>
        <ExpirationField offer={offer} errors={errors} label={expirationLabel} />
        <p className="mt-1 text-xs text-slate-500">
          Now: {keyRow.expiresAt ? <RelativeTime value={keyRow.expiresAt} /> : "never expires"}. A new expiry counts from today.
        </p>
      </div>
      <AccessFields projectOptions={projectOptions} errors={errors.restriction} initial={keyRow.restriction} owner={owner} />
    </>
  );
}

/**
 * All the owner's projects, or only some, each with a role no greater than the
 * owner's own there: `initial` is the restriction being edited. `owner` says
 * whose projects they are: mine (Settings > API Keys) or an API account's (a
 * Global Admin editing its key).
 */
export function AccessFields({ projectOptions, errors, initial = null, owner = MINE }: { projectOptions: KeyProjectOption[]; errors?: string[]; initial?: Restriction | null; owner?: KeyOwnerWords }) {
  const id = useId();
  const [access, setAccess] = useState<"all" | "some">(initial ? "some" : "all");
  return (
      <FieldGroup legend="Access" errors={errors}>
        <div className="mt-2 space-y-2 text-sm">
          <label className="flex items-start gap-2">
            <input type="radio" name="access" value="all" defaultChecked={!initial} onChange={() => setAccess("all")} className="mt-0.5" />
            <span>
              {owner.all}
              <span className="block text-xs text-slate-500">{owner.allHint}</span>
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
              {owner.some}
              <span className="block text-xs text-slate-500">{projectOptions.length === 0 ? owner.noProjects : owner.someHint}</span>
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
                      {owner.role}: {p.roleName}
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
