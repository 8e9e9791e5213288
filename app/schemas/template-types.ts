/**
 * Types of a validated template, for browser code. Type-only re-exports: importing this
 * never pulls the full zod template schema into the client bundle.
 */
export type { CaseField, Criterion, Section, Template, Rule, Source } from "./template";
