import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/guards";
import { isSetupPending } from "@/lib/users";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage() {
  if (await isSetupPending()) redirect("/setup");
  if (await getCurrentUser()) redirect("/");
  return (
    <>
      <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
      <LoginForm />
      <p className="mt-4 text-sm text-slate-600">Forgot your password? Ask a Global Admin of your organization to set a temporary one.</p>
    </>
  );
}
