import { requireAdmin } from "@/lib/auth/guards";
import { AdminTabs } from "./_components/admin-tabs";

// Comfort only: every admin page and action calls requireAdmin() itself as well.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin();
  return (
    <>
      <AdminTabs />
      {children}
    </>
  );
}
