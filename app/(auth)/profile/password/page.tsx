import type { Metadata } from "next";
import Link from "next/link";
import { ChangePasswordForm } from "@/components/change-password-form";
import { getCurrentUser, requireUser } from "@/lib/auth/guards";
import { changePasswordAction } from "./actions";
import { SignOutButton } from "./sign-out-button";

export const metadata: Metadata = { title: "Change your password" };

// Outside the console layout on purpose: a person who must change their password is sent here from every console page.
export default async function ChangePasswordPage() {
  const user = await requireUser({ allowPendingPasswordChange: true });
  const mustChangePassword = (await getCurrentUser())?.mustChangePassword ?? false;
  return (
    <>
      <h1 className="text-lg font-semibold">Change your password</h1>
      <p className="mt-1 mb-4 text-sm text-slate-600">
        {mustChangePassword
          ? "Your password was set by an administrator. Choose your own before you continue."
          : `Signed in as ${user.email ?? user.username}.`}
      </p>
      <ChangePasswordForm action={changePasswordAction} email={user.email ?? user.username} next="/" />
      <div className="mt-4 flex justify-between text-sm">
        {!mustChangePassword && (
          <Link href="/profile" className="text-indigo-700 hover:underline">
            Back to User Profile
          </Link>
        )}
        <SignOutButton />
      </div>
    </>
  );
}
