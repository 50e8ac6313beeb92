import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/change-password-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/guards";
import { listKeyProjectOptions } from "@/lib/keys/project-options";
import { getKeyPolicy } from "@/lib/keys/key-policy";
import { getKeyOverview } from "@/lib/keys/personal";
import { mayHoldKeys } from "@/lib/policy";
import { defaultExpiryOf } from "@/lib/policy/key-policy";
import { changePasswordAction } from "@/app/(auth)/profile/password/actions";
import { signOutOtherSessionsAction } from "./actions";
import { ApiAccessCard } from "./_components/api-access-card";
import { OtherSessionsButton } from "./_components/other-sessions-button";

export const metadata: Metadata = { title: "User Profile" };

export default async function ProfilePage() {
  const user = await requireUser();
  const access = mayHoldKeys(user);
  const [memberships, overview, policy] = await Promise.all([listKeyProjectOptions(user.id), getKeyOverview(user), getKeyPolicy()]);
  return (
    <>
      <PageHeader title="User Profile" />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Details">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-slate-600">Name</dt>
            <dd>{user.name}</dd>
            <dt className="text-slate-600">Email</dt>
            <dd>{user.email}</dd>
            <dt className="text-slate-600">Username</dt>
            <dd>{user.username}</dd>
            <dt className="text-slate-600">Global Admin</dt>
            <dd>{user.isOrgAdmin ? "Yes" : "No"}</dd>
            <dt className="text-slate-600">API access</dt>
            <dd>{access ? "Yes" : "No"}</dd>
          </dl>
        </Card>
        <ApiAccessCard
          hasAccess={access}
          active={overview.active}
          nextToExpire={overview.nextToExpire ? { name: overview.nextToExpire.name, expiresAt: overview.nextToExpire.expiresAt.toISOString() } : null}
          defaultExpiryDays={defaultExpiryOf(policy)}
        />
        <Card title="My projects and roles">
          {memberships.length === 0 ? (
            <p className="text-sm text-slate-600">You are not a member of any project yet. A Global Admin adds people to projects.</p>
          ) : (
            <table className="min-w-full text-sm">
              <caption className="sr-only">My projects and roles</caption>
              <thead>
                <tr className="text-left text-slate-600">
                  <th scope="col" className="py-1 pr-4 font-medium">
                    Project
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Role
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {memberships.map((m) => (
                  <tr key={m.projectId}>
                    <td className="py-1.5 pr-4">{m.projectName}</td>
                    <td className="py-1.5">{m.roleName}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title="Change password" description="Changing your password signs you out everywhere else.">
          <ChangePasswordForm action={changePasswordAction} email={user.email ?? user.username} />
        </Card>
        <Card title="Sessions" description="Signed in on another computer, or on one that is not yours? End every session but this one.">
          <OtherSessionsButton action={signOutOtherSessionsAction} />
        </Card>
      </div>
    </>
  );
}
