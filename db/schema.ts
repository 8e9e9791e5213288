/**
 * The database as TypeScript sees it. Hand-written: migrations in db/migrations are the truth,
 * this file mirrors them. Timestamps and dates are ISO-8601 text so SQLite and PostgreSQL agree.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export const ROLES = ["administrator", "auditor", "reviewer", "manager"] as const;
export type Role = (typeof ROLES)[number];

/** closed: complete, and its action plan settled (every red criterion has an action or a reason for none). */
export const AUDIT_STATUSES = ["draft", "in_progress", "complete", "closed"] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

export interface UserTable {
  id: Generated<number>;
  /** Stored lower-case; people type it in any case. */
  email: string;
  name: string;
  role: Role;
  /** scrypt$N$r$p$salt$hash (see app/utils/password.server.ts). */
  password_hash: string;
  /** Set when an administrator disables the account; null while active. */
  disabled_at: string | null;
  last_sign_in_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  /** SHA-256 of the session token: a stolen database cannot be replayed as cookies. */
  id: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  /** Unsuccessful sign-in attempts on the account since its previous sign-in, to tell the user once; 0 once told. */
  unsuccessful_attempts: Generated<number>;
}

/** Sign-in attempts counted by throttling (app/lib/sign-in-throttle.ts); rows older than a day are removed. */
export interface SignInAttemptTable {
  id: Generated<number>;
  /** As typed, lower-cased, whether or not an account has it. */
  email: string;
  /** The client address the server saw; "" when unknown. */
  ip: string;
  at: string;
  outcome: "pending" | "failed" | "succeeded";
}

export interface ProviderTable {
  id: Generated<number>;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface ServiceTable {
  id: Generated<number>;
  provider_id: number;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface TeamTable {
  id: Generated<number>;
  service_id: number;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface TemplateVersionTable {
  id: Generated<number>;
  key: string;
  version: number;
  title: string;
  /** SHA-256 of the canonical JSON of the validated template. */
  content_hash: string;
  /** The validated, composed template as JSON: what audits of this version are scored against. */
  definition: string;
  source_file: string;
  loaded_at: string;
}

export interface AuditTable {
  id: Generated<number>;
  template_version_id: number;
  title: string;
  period_start: string;
  period_end: string;
  status: AuditStatus;
  created_by: number;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  /** JSON object of the local setting values pinned at creation; null means every default. */
  settings: string | null;
  closed_at: string | null;
  /** The audit this one repeats. */
  reaudit_of: number | null;
  /** When a re-audit of this audit is due (ISO date). */
  reaudit_due: string | null;
  /** When the stored results of this complete or closed audit were computed; null = none stored. */
  results_at: Generated<string | null>;
}

/** The tallies stored for one group of a finished audit's answers (see result_cells, result_criteria). */
interface ResultCounts {
  met: number;
  partial: number;
  not_met: number;
  na: number;
  unanswered: number;
  /** met + partial credit × partial. */
  numerator: number;
}

/** A complete or closed audit's answers tallied per service × team × case type (derived data). */
export interface ResultCellTable extends ResultCounts {
  id: Generated<number>;
  audit_id: number;
  service_id: number;
  team_id: number | null;
  case_type: string;
  cases: number;
  /** Cases with at least one criterion met, partially met or not met. */
  applicable_cases: number;
}

/** A complete or closed audit's answers tallied per service × case type × criterion (derived data). */
export interface ResultCriterionTable extends ResultCounts {
  id: Generated<number>;
  audit_id: number;
  service_id: number;
  case_type: string;
  criterion_id: string;
}

export interface AuditServiceTable {
  audit_id: number;
  service_id: number;
}

export interface CaseTable {
  id: Generated<number>;
  audit_id: number;
  /** Pseudonymous reference: never a name or NHS number. */
  case_ref: string;
  service_id: number;
  team_id: number | null;
  case_type: string;
  /** JSON object of the template's case fields, by field id. */
  fields: string;
  created_by: number;
  created_at: string;
  updated_at: string;
  /** 1 when the case is in the audit's sample (scored); 0 when only in the imported population. */
  in_sample: Generated<number>;
  /** "manual" (added on the page) or "import" (from a case list). */
  origin: Generated<string>;
  /** Why the case was added to the sample by hand after the draw. */
  sample_reason: string | null;
  excluded_reason: string | null;
  excluded_at: string | null;
  excluded_by: number | null;
  assigned_to: number | null;
}

export interface SampleTable {
  id: Generated<number>;
  audit_id: number;
  seed: string;
  algorithm: string;
  /** JSON: how the sample was drawn. */
  method: string;
  population_size: number;
  sample_size: number;
  drawn_by: number;
  drawn_at: string;
}

export interface ColumnMappingTable {
  template_key: string;
  /** JSON: { caseRef, service, team, caseType, fields: { <case field id>: <column heading> } }. */
  mapping: string;
  updated_by: number;
  updated_at: string;
}

export interface PendingImportTable {
  id: Generated<number>;
  audit_id: number;
  user_id: number;
  file_name: string;
  /** The uploaded file, base64, until the import is confirmed or abandoned. */
  content: string;
  created_at: string;
}

export interface AnswerTable {
  id: Generated<number>;
  case_id: number;
  criterion_id: string;
  /** Null only for a note on a date-rule criterion (the rule gives the answer). */
  answer: string | null;
  note: string | null;
  answered_by: number;
  answered_at: string;
  /** JSON of the criterion's measure: { choice } | { number } | { numerator, denominator }. */
  detail: string | null;
  /** Set when the auditor answered a criterion the case's data made "not applicable". */
  override_reason: string | null;
  /** Why a reviewer changed the auditor's answer (quality assurance). */
  changed_reason: string | null;
}

export interface IhaReviewTable {
  id: Generated<number>;
  case_id: number;
  judgement: "outstanding" | "good" | "requires_improvement" | "inadequate";
  rationale: string;
  feedback: string | null;
  clinician_group: "paediatrician" | "gp" | "other";
  reviewed_by: number;
  reviewed_at: string;
}

export interface ModerationCaseTable {
  id: Generated<number>;
  audit_id: number;
  case_id: number;
  moderator_id: number | null;
  seed: string | null;
  selected_by: number;
  selected_at: string;
  completed_at: string | null;
}

export interface ModerationAnswerTable {
  id: Generated<number>;
  case_id: number;
  criterion_id: string;
  answer: string;
  note: string | null;
  answered_by: number;
  answered_at: string;
}

export interface AgreedAnswerTable {
  id: Generated<number>;
  case_id: number;
  criterion_id: string;
  answer: string;
  reason: string;
  settled_by: number;
  settled_at: string;
}

export interface ActionTable {
  id: Generated<number>;
  audit_id: number;
  criterion_id: string | null;
  description: string;
  owner_user_id: number | null;
  owner_role: string | null;
  due_date: string;
  status: "open" | "in_progress" | "done";
  evidence: string | null;
  created_by: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface ActionServiceTable {
  action_id: number;
  service_id: number;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  token_hash: string;
  created_by: number;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface NoActionReasonTable {
  id: Generated<number>;
  audit_id: number;
  criterion_id: string;
  reason: string;
  recorded_by: number;
  recorded_at: string;
}

export interface SettingTable {
  key: string;
  value: number;
  updated_by: number;
  updated_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  /** UTC ISO timestamp. */
  at: string;
  user_id: number | null;
  /** Email of the actor at the time, or what was typed for a failed sign-in. */
  actor: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  /** JSON snapshots; never passwords, tokens or patient identifiers. */
  before: string | null;
  after: string | null;
  ip: string | null;
}

export interface Database {
  users: UserTable;
  sessions: SessionTable;
  sign_in_attempts: SignInAttemptTable;
  providers: ProviderTable;
  services: ServiceTable;
  teams: TeamTable;
  template_versions: TemplateVersionTable;
  audits: AuditTable;
  audit_services: AuditServiceTable;
  cases: CaseTable;
  answers: AnswerTable;
  audit_log: AuditLogTable;
  settings: SettingTable;
  samples: SampleTable;
  column_mappings: ColumnMappingTable;
  pending_imports: PendingImportTable;
  iha_reviews: IhaReviewTable;
  moderation_cases: ModerationCaseTable;
  moderation_answers: ModerationAnswerTable;
  agreed_answers: AgreedAnswerTable;
  actions: ActionTable;
  action_services: ActionServiceTable;
  no_action_reasons: NoActionReasonTable;
  api_tokens: ApiTokenTable;
  result_cells: ResultCellTable;
  result_criteria: ResultCriterionTable;
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type Audit = Selectable<AuditTable>;
export type CaseRow = Selectable<CaseTable>;
export type AnswerRow = Selectable<AnswerTable>;
export type TemplateVersionRow = Selectable<TemplateVersionTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
