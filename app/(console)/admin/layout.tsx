import { requireAdmin } from "@/lib/auth/guards";

// Comfort only: every admin page and action calls requireAdmin() itself as well.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin();
  return children;
}
