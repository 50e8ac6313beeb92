/** Every action the audit log records, with the words the Audit log page shows for it. */
export const AUDIT_ACTIONS = {
  "auth.signed_in": "Signed in",
  "auth.sign_in_failed": "Failed sign-in",
  "setup.completed": "Setup completed",
  "user.created": "User created",
  "user.updated": "User updated",
  "user.roles_changed": "Roles changed",
  "user.disabled": "User disabled",
  "user.enabled": "User enabled",
  "user.deleted": "User deleted",
  "user.password_changed": "Password changed",
  "user.password_change_failed": "Wrong current password",
  "user.password_reset": "Temporary password set",
  "user.signed_out_everywhere": "Signed out everywhere",
  "user.signed_out_other_sessions": "Signed out other sessions",
  "account.created": "API account created",
  "key.created": "Key generated",
  "key.rotated": "Key rotated",
  "key.revoked": "Key revoked",
  "key.revealed": "Key revealed",
  "key.regenerated": "Key regenerated",
  "key.edited": "Key edited",
  "key_policy.updated": "Key policy changed",
  "key.revoked_by_admin": "Key revoked by an admin",
  "keys.exported": "Key inventory exported",
  "project.created": "Project created",
  "project.renamed": "Project renamed",
  "project.deleted": "Project deleted",
  "role.created": "Role created",
  "role.updated": "Role updated",
  "role.deleted": "Role deleted",
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function actionLabel(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}
