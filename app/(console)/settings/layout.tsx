import { PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/guards";
import { SettingsTabs } from "./_components/settings-tabs";

// Comfort only: every settings page and action checks the caller itself.
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  await requireUser();
  return (
    <>
      <PageHeader title="Settings" />
      <SettingsTabs />
      {children}
    </>
  );
}
