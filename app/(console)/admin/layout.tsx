import { requireAdmin } from "@/lib/auth/guards";
import { adminSections } from "@/components/admin-nav";
import { TabNav } from "@/components/ui/tab-nav";

// Comfort only: every admin page and action calls requireAdmin() itself as well.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin();
  return (
    <>
      <TabNav label="Global Administration" sections={adminSections.map(({ href, label }) => ({ href, label }))} />
      {children}
    </>
  );
}
