import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/guards";

// API Keys is the only section so far: Settings opens on it.
export default async function SettingsPage() {
  await requireUser();
  redirect("/settings/api-keys");
}
