import { PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/guards";
import { TabNav } from "@/components/ui/tab-nav";

/** The sections of Settings; each gets a tab here when its page exists. */
const sections = [{ href: "/settings/api-keys", label: "API Keys" }];

// Comfort only: every settings page and action checks the caller itself.
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  await requireUser();
  return (
    <>
      <PageHeader title="Settings" />
      <TabNav label="Settings" sections={sections} />
      {children}
    </>
  );
}
