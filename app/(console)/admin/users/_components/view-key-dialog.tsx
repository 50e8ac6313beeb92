"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { ExpirationField } from "@/components/expiration-field";
import { ACCOUNTS, KeyEditFields } from "@/components/key-edit-fields";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { formatExact, RelativeTime } from "@/components/ui/relative-time";
import { FormError } from "@/components/ui/field";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import { toast } from "@/components/ui/toaster";
import { useDialogAction } from "@/components/use-dialog-action";
import { maskKey } from "@/lib/keys/format";
import { editExpirationOffer, expirationOffer } from "@/lib/keys/key-form";
import { cutOffAfter, graceChoicesWithin, type GracePeriod } from "@/lib/keys/lifecycle";
import type { KeyProjectOption } from "@/lib/keys/project-options";
import type { KeyPolicy } from "@/lib/policy/key-policy";
import { editAccountKeyAction, regenerateAccountKeyAction, revealAccountKeyAction, type RevealState } from "../actions";
import { SecretField } from "@/components/secret-field";
import type { UserRowView } from "./users-table";

/**
 * The account's details and "Show API Key". The key is fetched only when
 * asked for (each time writing key.revealed) and forgotten when the dialog closes.
 */
export function ViewKeyDialog({
  account,
  policy,
  projectOptions,
  names,
  open,
  onOpenChange,
}: {
  account: UserRowView;
  policy: KeyPolicy | null;
  /** The account's memberships, within which its key may be limited. */
  projectOptions: KeyProjectOption[];
  /** Every project's and role's name, for the key's restriction as it is now. */
  names: { projects: { id: string; name: string }[]; roles: { id: string; name: string }[] };
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const router = useRouter();
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const [pending, startTransition] = useTransition();

  const close = () => {
    setSecret(undefined);
    setError(undefined);
    setConfirming(false);
    setEditing(false);
    onOpenChange(false);
  };
  const run = <S extends RevealState>(call: () => Promise<S>, after?: (result: S) => void) =>
    startTransition(async () => {
      const result = await call();
      if (result.ok) {
        setSecret(result.secret);
        setError(undefined);
        after?.(result);
      } else {
        setError(result.message ?? Object.values(result.fieldErrors ?? {}).flat().join(" "));
      }
    });

  return (
    <Dialog open={open} onOpenChange={(o) => (o ? onOpenChange(true) : close())} title={`API key for ${account.username}`} wide>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
        <dt className="text-slate-600">Account</dt>
        <dd className="font-medium">{account.username}</dd>
        <dt className="text-slate-600">Status</dt>
        <dd>{account.status === "active" ? "Active" : "Disabled: the key is refused"}</dd>
        <dt className="text-slate-600">Projects and roles</dt>
        <dd>{account.memberships.length ? account.memberships.map((m) => `${m.projectName}: ${m.roleName}`).join(", ") : "None"}</dd>
        <dt className="text-slate-600">Key</dt>
        <dd className="font-mono">{account.key ? maskKey(account.key.start, account.key.lastFour) : "No key"}</dd>
        {account.key && (
          <>
            <dt className="text-slate-600">Key name</dt>
            <dd>{account.key.name}</dd>
            <dt className="text-slate-600">Key access</dt>
            <dd data-testid="account-key-access">{accessText(account.key.restriction, names)}</dd>
          </>
        )}
        <dt className="text-slate-600">Key created</dt>
        <dd>
          <RelativeTime value={account.key?.createdAt} />
        </dd>
        <dt className="text-slate-600">Key expires</dt>
        <dd>{account.key?.expiresAt ? <RelativeTime value={account.key.expiresAt} /> : "Never"}</dd>
        {account.previousKey && (
          <>
            <dt className="text-slate-600">Previous key</dt>
            <dd>
              <span className="font-mono">{maskKey(account.previousKey.start, account.previousKey.lastFour)}</span> works until{" "}
              {formatExact(new Date(account.previousKey.stopsAt))}
            </dd>
          </>
        )}
      </dl>
      <div className="mt-5 space-y-4">
        <FormError message={error} />
        {secret ? (
          <SecretField key={secret} label="API Key" value={secret} copiedMessage="API key copied" />
        ) : (
          <Button onClick={() => run(() => revealAccountKeyAction(account.id))} disabled={pending || !account.key}>
            {pending && !confirming ? "Showing…" : "Show API Key"}
          </Button>
        )}
        {editing && account.key && policy ? (
          <EditAccountKey
            accountKey={account.key}
            policy={policy}
            projectOptions={projectOptions}
            onDone={(saved) => {
              setEditing(false);
              if (saved) router.refresh();
            }}
          />
        ) : (
          account.key &&
          policy &&
          !confirming && (
            <Button variant="ghost" size="sm" onClick={() => setEditing(true)}>
              Edit access key
            </Button>
          )
        )}
        {confirming ? (
          <RegenerateConfirm
            account={account}
            policy={policy}
            pending={pending}
            onCancel={() => setConfirming(false)}
            onConfirm={(choice) =>
              run(
                () => regenerateAccountKeyAction(account.id, choice),
                (result) => {
                  setConfirming(false);
                  toast(result.oldKeyStopsAt ? `New API key generated. The old key works until ${formatExact(new Date(result.oldKeyStopsAt))}.` : "New API key generated. The old key no longer works.");
                  router.refresh();
                },
              )
            }
          />
        ) : (
          <Button variant="ghost" size="sm" onClick={() => setConfirming(true)}>
            Regenerate API Key
          </Button>
        )}
      </div>
      <DialogActions>
        <Button variant="secondary" onClick={close}>
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The regeneration's choices: when the old key stops (within the key policy) and how long the new one lives. */
function RegenerateConfirm({
  account,
  policy,
  pending,
  onCancel,
  onConfirm,
}: {
  account: UserRowView;
  policy: KeyPolicy | null;
  pending: boolean;
  onCancel: () => void;
  onConfirm: (choice: { grace: string; expiration: string; customDays: string }) => void;
}) {
  const graces = useMemo(() => graceChoicesWithin(policy?.maxGraceSeconds ?? 0), [policy]);
  const offer = useMemo(() => (policy ? expirationOffer(policy, "sa", account.key ? account.key.expiresInDays : undefined) : null), [policy, account.key]);
  const [grace, setGrace] = useState<GracePeriod>("immediately");
  const [chosenAt, setChosenAt] = useState(() => Date.now());
  const cutOff = cutOffAfter(grace, account.key?.expiresAt ? new Date(account.key.expiresAt) : null, chosenAt);
  return (
    <form
      aria-label="Confirm regeneration"
      className="space-y-3 rounded-md bg-amber-50 p-4 text-sm ring-1 ring-amber-200"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        onConfirm({ grace, expiration: String(data.get("expiration") ?? "never"), customDays: String(data.get("customDays") ?? "") });
      }}
    >
      <p className="font-medium">Regenerate the API key for {account.username}?</p>
      <p className="text-slate-700" data-testid="regenerate-promise">
        {grace === "immediately"
          ? "The current key stops working at once, everywhere it is used."
          : `The current key keeps working until ${formatExact(cutOff)}, then stops working everywhere it is used.`}{" "}
        Give the new key to whatever uses this account.
      </p>
      <fieldset>
        <legend className="font-medium text-slate-800">When should the old key stop working?</legend>
        <div className="mt-1 space-y-1">
          {graces.map((c) => (
            <label key={c.value} className="flex items-center gap-2">
              <input
                type="radio"
                name="grace"
                value={c.value}
                checked={grace === c.value}
                onChange={() => {
                  setGrace(c.value);
                  setChosenAt(Date.now());
                }}
              />
              {c.label}
            </label>
          ))}
        </div>
      </fieldset>
      {offer && <ExpirationField offer={offer} errors={{}} label="New key’s expiration" />}
      <div className="flex gap-2">
        <Button type="submit" variant="danger" size="sm" disabled={pending}>
          {pending ? "Regenerating…" : "Regenerate"}
        </Button>
        <Button variant="secondary" size="sm" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** "All the account’s projects", or "Only: Docs (Viewer), Billing (Editor)". */
function accessText(restriction: { projectId: string; roleId: string }[] | null, names: { projects: { id: string; name: string }[]; roles: { id: string; name: string }[] }): string {
  if (!restriction) return ACCOUNTS.all;
  const nameOf = (list: { id: string; name: string }[], id: string, gone: string) => list.find((x) => x.id === id)?.name ?? gone;
  return `Only: ${restriction.map((r) => `${nameOf(names.projects, r.projectId, "(deleted project)")} (${nameOf(names.roles, r.roleId, "(deleted role)")})`).join(", ")}`;
}

/**
 * "Edit access key" for the account's key, with the fields Settings > API Keys
 * uses: its name, a new expiry from today (within the key policy) and its
 * projects (within the account's own); the key itself stays.
 */
function EditAccountKey({
  accountKey,
  policy,
  projectOptions,
  onDone,
}: {
  accountKey: NonNullable<UserRowView["key"]>;
  policy: KeyPolicy;
  projectOptions: KeyProjectOption[];
  onDone: (saved: boolean) => void;
}) {
  const offer = useMemo(() => editExpirationOffer(policy, "sa"), [policy]);
  const [state, action, pending] = useDialogAction(editAccountKeyAction, () => onDone(true));
  const errors = state.fieldErrors ?? {};
  return (
    <form aria-label="Edit access key" onSubmit={submitKeepingValues(action)} noValidate className="space-y-4 rounded-md bg-slate-50 p-4 text-sm ring-1 ring-slate-200">
      <input type="hidden" name="keyId" value={accountKey.id} />
      <FormError message={state.ok ? undefined : state.message} />
      <KeyEditFields keyRow={accountKey} offer={offer} projectOptions={projectOptions} errors={errors} owner={ACCOUNTS} expirationLabel="Key expiration" />
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? "Saving…" : "Save changes"}
        </Button>
        <Button variant="secondary" size="sm" onClick={() => onDone(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
