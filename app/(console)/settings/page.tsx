import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  return (
    <>
      <PageHeader title="Settings" description={`Signed in as ${user.email}.`} />
    </>
  );
}
