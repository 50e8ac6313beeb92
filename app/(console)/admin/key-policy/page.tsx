import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/guards";
import { getKeyPolicyForAdmin, keyPolicyJson } from "@/lib/keys/key-policy";
import { AdminBreadcrumbs } from "../_components/breadcrumbs";
import { KeyPolicyForm } from "./_components/key-policy-form";

export const metadata: Metadata = { title: "Key policy" };

export default async function KeyPolicyPage() {
  const admin = await requireAdmin();
  const policy = keyPolicyJson(await getKeyPolicyForAdmin(admin));
  return (
    <>
      <AdminBreadcrumbs current="Key policy" />
      <PageHeader
        title="Key policy"
        description="How long API keys may live and how long a rotation may keep the old key working. It applies to keys generated, rotated or edited from now on, in the console, the REST API and the CLI alike; existing keys keep their expiry."
      />
      <KeyPolicyForm policy={policy} />
    </>
  );
}
