import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isSetupPending } from "@/lib/users";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up Latchkey" };

export default async function SetupPage() {
  if (!(await isSetupPending())) notFound();
  return (
    <>
      <h1 className="text-lg font-semibold">Create the first Global Admin</h1>
      <p className="mt-1 mb-4 text-sm text-slate-600">
        This account manages users, API accounts, projects and roles. Setup closes once it exists.
      </p>
      <SetupForm />
    </>
  );
}
