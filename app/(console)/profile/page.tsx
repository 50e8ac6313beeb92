import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "User Profile" };

export default async function ProfilePage() {
  const user = await requireUser();
  return (
    <>
      <PageHeader title="User Profile" />
      <Card title="Details">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="text-slate-600">Name</dt>
          <dd>{user.name}</dd>
          <dt className="text-slate-600">Email</dt>
          <dd>{user.email}</dd>
          <dt className="text-slate-600">Global Admin</dt>
          <dd>{user.isOrgAdmin ? "Yes" : "No"}</dd>
        </dl>
      </Card>
    </>
  );
}
