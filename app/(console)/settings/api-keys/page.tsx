import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/guards";
import { mayCreateKeys } from "@/lib/policy";
import { maskKey } from "@/lib/keys/format";
import { getKeyPolicy } from "@/lib/keys/key-policy";
import { listKeyProjectOptions } from "@/lib/keys/project-options";
import { recentlyRevokedByAdmin } from "@/lib/keys/lifecycle";
import { listKeys } from "@/lib/keys/personal";
import { getRequestCounts } from "@/lib/keys/usage";
import { ApiKeysView } from "./_components/api-keys-view";
import type { KeyRow } from "./_components/types";

export const metadata: Metadata = { title: "API Keys" };

export default async function ApiKeysPage({ searchParams }: { searchParams: Promise<{ revoked?: string }> }) {
  const user = await requireUser();
  const showRevoked = (await searchParams).revoked === "1";
  const [all, projectOptions, policy] = await Promise.all([listKeys(user, { includeRevoked: true }), listKeyProjectOptions(user.id), getKeyPolicy()]);
  const keys = showRevoked ? all : all.filter((k) => k.status !== "revoked");
  // A key an administrator revoked lately is named even while revoked keys are hidden: it did not just vanish.
  const revokedByAdmin = showRevoked ? [] : all.filter((k) => recentlyRevokedByAdmin(k)).map((k) => k.name);
  const counts = await getRequestCounts(keys.map((k) => k.id));
  const rows: KeyRow[] = keys.map((k) => ({
    id: k.id,
    name: k.name,
    masked: maskKey(k.start, k.lastFour),
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    graceExpiresAt: k.graceExpiresAt?.toISOString() ?? null,
    status: k.status,
    revokedByAdmin: k.revokedByAdmin,
    accepted: counts.get(k.id)?.accepted ?? 0,
    refused: counts.get(k.id)?.refused ?? 0,
    access: k.restriction ? k.restriction.map((r) => `${r.projectName} (${r.roleName})`).join(", ") : null,
    restriction: k.restriction?.map((r) => ({ projectId: r.projectId, roleId: r.roleId })) ?? null,
    expiresInDays: k.expiresInDays,
    ownExpiresAt: k.ownExpiresAt?.toISOString() ?? null,
  }));
  return <ApiKeysView rows={rows} revokedByAdmin={revokedByAdmin} showRevoked={showRevoked} canGenerate={mayCreateKeys(user)} projectOptions={projectOptions} policy={policy} />;
}
