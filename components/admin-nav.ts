/** The sections of Global Administration; each one is added here when its pages exist. */
export const adminSections: { href: string; label: string; description: string }[] = [
  { href: "/admin/users", label: "Users", description: "People and API accounts: projects and roles, API keys, disable, delete." },
  { href: "/admin/api-keys", label: "API Keys", description: "Every key of the organization: find the risky ones, revoke, export a credential report." },
  { href: "/admin/projects", label: "Projects", description: "The services and data that keys unlock." },
  { href: "/admin/roles", label: "Roles", description: "Built-in Admin, Editor and Viewer, and custom roles with their permissions." },
  { href: "/admin/key-policy", label: "Key policy", description: "How long keys may live, the default expiry, and the longest rotation grace period." },
  { href: "/admin/audit", label: "Audit log", description: "Every key and admin event, newest first." },
];
