/**
 * Who may do what. Checked on the server by requireUser(); also used to decide which links to show.
 * Administrators may do everything. Managers see results only, never case-level free text.
 */
import type { Role } from "../../db/schema";

export type { Role };

export const ROLE_LABELS: Record<Role, string> = {
  administrator: "Administrator",
  auditor: "Auditor",
  reviewer: "Reviewer",
  manager: "Manager",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  administrator: "Manages users, the organisation and templates, and can do everything else",
  auditor: "Named nurse running audits: creates audits, adds cases and scores them",
  reviewer: "Designated doctor or nurse quality-assuring audits: reads cases and results",
  manager: "Reads results and trends, without case-level detail",
};

const ALL: Role[] = ["administrator", "auditor", "reviewer", "manager"];

export const PERMISSIONS = {
  manageUsers: ["administrator"],
  manageOrganisation: ["administrator"],
  readAuditLog: ["administrator"],
  manageSettings: ["administrator"],
  /** Create and revoke API tokens for any user. */
  manageApiTokens: ["administrator"],
  /** Which audits use which template version. */
  viewTemplateUsage: ["administrator"],
  viewTemplates: ALL,
  viewAudits: ALL,
  createAudit: ["administrator", "auditor"],
  deleteAudit: ["administrator"],
  editCases: ["administrator", "auditor"],
  /** Import case lists, draw and change the sample, assign cases to auditors. */
  manageSample: ["administrator", "auditor"],
  completeAudit: ["administrator", "auditor"],
  /** Reopen a completed audit (logged). */
  reopenAudit: ["administrator", "reviewer"],
  /** Designated doctor quality assurance of IHAs, and blind moderation of any audit. */
  reviewQuality: ["administrator", "reviewer"],
  /** Create and update actions, record reasons for no action, close audits, schedule re-audits. */
  manageActions: ["administrator", "auditor", "reviewer", "manager"],
  viewCases: ["administrator", "auditor", "reviewer"],
  viewResults: ALL,
  /** One's own account page, and signing out everywhere. */
  ownAccount: ALL,
} satisfies Record<string, Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as Role[]).includes(role);
}
