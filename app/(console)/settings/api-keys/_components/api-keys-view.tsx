"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { KeyRound, Plus } from "lucide-react";
import { startTransition, useMemo, useOptimistic, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { useUrlState } from "@/components/data-table/url-state";
import { KeyRevealDialog } from "@/components/key-reveal-dialog";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { expirationOffer } from "@/lib/keys/key-form";
import type { KeyPolicy } from "@/lib/policy/key-policy";
import type { KeyProjectOption } from "@/lib/keys/project-options";
import { GenerateKeyDialog } from "./generate-key-dialog";
import { EditKeyDialog } from "./edit-key-dialog";
import { RevokeKeyDialog } from "./revoke-key-dialog";
import { RotateKeyDialog } from "./rotate-key-dialog";
import { KeyStatusBadge } from "@/components/key-status-badge";
import type { KeyRow } from "./types";

const time = (iso: string | null) => (iso ? Date.parse(iso) : 0);
// The empty list's button and the header's are never shown together: either is "the" Generate button.
const GENERATE_ID = "generate-api-key";
const statusOrder = { active: 0, expiring: 1, rotating: 2, expired: 3, revoked: 4 } as const;

type Props = { rows: KeyRow[]; revokedByAdmin: string[]; showRevoked: boolean; canGenerate: boolean; projectOptions: KeyProjectOption[]; policy: KeyPolicy };

export function ApiKeysView({ rows, revokedByAdmin, showRevoked, canGenerate, projectOptions, policy }: Props) {
  const generateOffer = useMemo(() => expirationOffer(policy), [policy]);
  const { set } = useUrlState();
  // The box follows the click at once; the list follows when the navigation lands.
  const [revokedShown, setRevokedShown] = useOptimistic(showRevoked);
  const [generating, setGenerating] = useState(false);
  const [rotating, setRotating] = useState<KeyRow | null>(null);
  const [revoking, setRevoking] = useState<KeyRow | null>(null);
  const [editing, setEditing] = useState<KeyRow | null>(null);
  // The only place a new key lives in the browser; cleared when the reveal dialog closes.
  const [revealed, setRevealed] = useState<{ secret: string; name: string; title: string } | null>(null);

  // Memoized: flexRender renders each cell function as a component, so new functions would remount every cell on each render.
  const columns = useMemo<ColumnDef<KeyRow>[]>(() => [
    {
      id: "name",
      header: "Name",
      accessorFn: (r) => r.name.toLowerCase(),
      cell: ({ row }) => (
        // Wraps rather than widening the table: a long "Only: …" must never push Rotate and Revoke out of view.
        <div className="max-w-xs min-w-40 break-words">
          <span className="font-medium text-slate-900">{row.original.name}</span>
          <span className="block text-xs text-slate-500">{row.original.access ? `Only: ${row.original.access}` : "All my projects"}</span>
        </div>
      ),
    },
    { id: "key", header: "Key", enableSorting: false, cell: ({ row }) => <code className="font-mono text-xs whitespace-nowrap">{row.original.masked}</code> },
    { id: "created", header: "Created", accessorFn: (r) => time(r.createdAt), cell: ({ row }) => <RelativeTime value={row.original.createdAt} className="whitespace-nowrap" /> },
    {
      id: "lastUsed",
      header: "Last used",
      accessorFn: (r) => time(r.lastUsedAt),
      cell: ({ row }) => <RelativeTime value={row.original.lastUsedAt} empty="Never" className="whitespace-nowrap" />,
    },
    {
      id: "requests",
      header: "Requests (30 days)",
      accessorFn: (r) => r.accepted + r.refused,
      cell: ({ row }) => (
        <span className="tabular-nums">
          {row.original.accepted.toLocaleString("en-US")}
          {row.original.refused > 0 && <span className="block text-xs text-red-700">{row.original.refused.toLocaleString("en-US")} refused</span>}
        </span>
      ),
    },
    {
      id: "expires",
      header: "Expires",
      // Keys that never expire sort last.
      accessorFn: (r) => (r.expiresAt ? Date.parse(r.expiresAt) : Number.MAX_SAFE_INTEGER),
      cell: ({ row }) => <RelativeTime value={row.original.expiresAt} empty="Never" className="whitespace-nowrap" />,
    },
    { id: "status", header: "Status", accessorFn: (r) => statusOrder[r.status], cell: ({ row }) => <KeyStatusBadge row={row.original} /> },
    {
      id: "actions",
      header: () => (
        <span className="relative">
          <span className="sr-only">Actions</span>
        </span>
      ),
      meta: { compact: "actions" },
      enableSorting: false,
      cell: ({ row }) => {
        const k = row.original;
        return (
          <div className="flex justify-end gap-2">
            {/* relative: the sr-only names are absolutely placed and would otherwise widen the page past the scrolling table. */}
            {canGenerate && (k.status === "active" || k.status === "expiring") && (
              <Button id={`rotate-${k.id}`} size="sm" variant="secondary" className="relative" onClick={() => setRotating(k)}>
                Rotate<span className="sr-only"> {k.name}</span>
              </Button>
            )}
            {canGenerate && (k.status === "active" || k.status === "expiring") && (
              <Button id={`edit-${k.id}`} size="sm" variant="secondary" className="relative" onClick={() => setEditing(k)}>
                Edit<span className="sr-only"> {k.name}</span>
              </Button>
            )}
            {k.status !== "revoked" && (
              <Button id={`revoke-${k.id}`} size="sm" variant="secondary" className="relative text-red-700" onClick={() => setRevoking(k)}>
                Revoke<span className="sr-only"> {k.name}</span>
              </Button>
            )}
          </div>
        );
      },
    },
  ], [canGenerate]);

  const empty = (
    <div className="mx-auto max-w-md py-4 text-left">
      <KeyRound aria-hidden className="mx-auto h-8 w-8 text-slate-400" />
      <p className="mt-3 text-center font-medium text-slate-900">{showRevoked ? "You have no API keys." : "You have no active API keys."}</p>
      <p className="mt-1 text-center text-sm text-slate-600">
        An API key lets your scripts, backends and tools (curl, Postman, CI, the latchkey CLI) call the Latchkey API as you, with your
        projects and roles or fewer. Keep it secret like a password.
      </p>
      {canGenerate && (
        <div className="mt-4 text-center">
          <Button id={GENERATE_ID} onClick={() => setGenerating(true)}>
            <Plus aria-hidden className="h-4 w-4" /> Generate API key
          </Button>
        </div>
      )}
    </div>
  );

  return (
    // Focus goes back to the button that opened a dialog; when that row changed (rotated, revoked), to Generate or the heading.
    <section aria-labelledby="api-keys-heading" data-focus-fallback={`${GENERATE_ID} api-keys-heading`}>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h2 id="api-keys-heading" tabIndex={-1} className="text-lg font-semibold outline-none">
            API Keys
          </h2>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            Personal keys act as you in the Latchkey API. A key is shown once, when it is made; Latchkey keeps only its fingerprint.
          </p>
        </div>
        <div className="flex items-center gap-4">
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={revokedShown}
              onChange={(e) => {
                const checked = e.target.checked;
                startTransition(() => {
                  setRevokedShown(checked);
                  set({ revoked: checked ? "1" : null });
                });
              }}
              className="h-4 w-4 rounded border-slate-300"
            />
            Show revoked
          </label>
          {canGenerate && rows.length > 0 && (
            <Button id={GENERATE_ID} onClick={() => setGenerating(true)}>
              <Plus aria-hidden className="h-4 w-4" /> Generate API key
            </Button>
          )}
        </div>
      </div>
      {!canGenerate && (
        <p className="mb-4 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
          You do not have API access, so you cannot create keys and your keys are refused. A Global Admin must grant you API access.
        </p>
      )}
      {revokedByAdmin.length > 0 && (
        <p role="status" className="mb-4 rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-800 ring-1 ring-inset ring-slate-200">
          An administrator revoked {revokedByAdmin.length === 1 ? "your key" : "your keys"} {revokedByAdmin.map((n) => `“${n}”`).join(", ")}: {revokedByAdmin.length === 1 ? "it no longer works" : "they no longer work"}. Tick
          Show revoked to see {revokedByAdmin.length === 1 ? "it" : "them"}.
        </p>
      )}
      <DataTable data={rows} columns={columns} getRowId={(r) => r.id} caption="My API keys" empty={empty} />

      <GenerateKeyDialog
        open={generating}
        onOpenChange={setGenerating}
        projectOptions={projectOptions}
        expirationOffer={generateOffer}
        onCreated={(secret, name) => {
          setGenerating(false);
          setRevealed({ secret, name, title: "Your new API key" });
        }}
      />
      <RotateKeyDialog
        keyRow={rotating}
        policy={policy}
        onClose={() => setRotating(null)}
        onRotated={(secret, name) => {
          setRotating(null);
          setRevealed({ secret, name, title: "Your rotated API key" });
        }}
      />
      <RevokeKeyDialog keyRow={revoking} onClose={() => setRevoking(null)} />
      <EditKeyDialog keyRow={editing} policy={policy} projectOptions={projectOptions} onClose={() => setEditing(null)} />
      <KeyRevealDialog secret={revealed?.secret ?? null} keyName={revealed?.name} title={revealed?.title} onClose={() => setRevealed(null)} />
    </section>
  );
}
