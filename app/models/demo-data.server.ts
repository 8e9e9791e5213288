/**
 * Demonstration data (issue #5): a fictional trust with services, teams and two years of
 * quarterly, completed audits from the library's templates, so a newcomer sees the dashboards
 * and SPC charts at once. Used by `npm run cli -- demo` (app/cli/demo.ts) and by the benchmark
 * (which asks for more quarters and cases to reach a size).
 *
 * Clearly marked: every provider is named "… (demonstration data)" and every audit title starts
 * with "[Demo] ". `removeDemoData` deletes exactly those providers with their services, teams,
 * audits, cases and answers, and nothing else.
 *
 * Deterministic from the seed (and `today`, which fixes the quarters): the same seed gives the
 * same trust, cases, dates and answers. Variation: some services improve over the quarters,
 * one deteriorates, the rest are steady with noise; each criterion has its own difficulty.
 * Date-rule criteria are decided by the app from the case's dates, which are generated in time
 * or late with the service's current likelihood of meeting the standard.
 */
import { UserInputError } from "~/utils/validation.server";
import { isAnswer, type Answer } from "~/lib/answers";
import { evaluateApplicability } from "~/lib/applicability";
import { addDays, addMonthsClamped, compareIso, todayInLondon } from "~/lib/dates";
import { resolveAmount, type SettingValues } from "~/lib/settings";
import { allCriteria, type Rule, type Template } from "~/schemas/template";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { currentSettings } from "./settings.server";
import { loadTemplates, type TemplateVersion } from "./templates.server";
import { latestTemplateVersion } from "./trends.server";
import { refreshAuditResults } from "./stored-results.server";

export const DEMO_PROVIDER_SUFFIX = " (demonstration data)";
export const DEMO_AUDIT_PREFIX = "[Demo] ";
export const DEFAULT_DEMO_TEMPLATES = ["lac-iha", "lac-rha", "hv-school-nursing", "maternity"];

export type DemoOptions = {
  seed?: string;
  /** How many quarterly audits per template (ending with the last full quarter before today). */
  quartersBack?: number;
  casesPerAudit?: number;
  /** Template keys (latest versions); default lac-iha, lac-rha, hv-school-nursing and maternity. */
  templates?: string[];
  /** Fixes the quarters (ISO date); default today in London. */
  today?: string;
};

export type DemoCounts = { providers: number; services: number; teams: number; audits: number; cases: number; answers: number };

/** Thrown when demonstration data is already loaded (loading twice would duplicate it). */
export class DemoDataExistsError extends UserInputError {
  constructor() {
    super("Demonstration data is already loaded. Remove it first with: npm run cli -- demo --remove");
  }
}

// --- Seeded randomness (xmur3 hash → mulberry32), so the same seed gives the same data.

function hashSeed(text: string): number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^= h >>> 16) >>> 0;
}

export type Random = { next: () => number; int: (min: number, max: number) => number; pick: <T>(xs: readonly T[]) => T; normal: () => number };

export function seededRandom(seed: string): Random {
  let a = hashSeed(seed);
  const next = () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    normal: () => {
      const u = Math.max(next(), 1e-9);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}

// --- The fictional trust.

type Trajectory = "improving" | "deteriorating" | "steady";
type DemoService = { name: string; teams: string[]; trajectory: Trajectory; level: number };
type DemoProvider = { name: string; services: DemoService[] };

const PROVIDERS: DemoProvider[] = [
  {
    name: `Northmoor Community Health NHS Trust${DEMO_PROVIDER_SUFFIX}`,
    services: [
      { name: "Looked after children's health: North", teams: ["Northmoor LAC nurses", "Kingsbridge LAC nurses"], trajectory: "steady", level: 0.86 },
      { name: "Looked after children's health: South", teams: ["Southvale LAC nurses", "Harbourside LAC nurses"], trajectory: "deteriorating", level: 0.92 },
      { name: "Health visiting: East", teams: ["Eastfield health visitors", "Millbrook health visitors"], trajectory: "steady", level: 0.82 },
      { name: "Health visiting: West", teams: ["Westgate health visitors", "Ashby health visitors"], trajectory: "improving", level: 0.6 },
      { name: "School nursing", teams: ["Secondary schools team", "Primary schools team"], trajectory: "steady", level: 0.88 },
    ],
  },
  {
    name: `Northmoor Hospitals NHS Foundation Trust${DEMO_PROVIDER_SUFFIX}`,
    services: [
      { name: "Community paediatrics", teams: ["Initial health assessment clinic"], trajectory: "improving", level: 0.64 },
      { name: "Maternity: Northmoor General", teams: ["Community midwives", "Hospital midwives"], trajectory: "steady", level: 0.84 },
      { name: "Maternity: Riverside Birth Centre", teams: ["Riverside midwives"], trajectory: "improving", level: 0.62 },
    ],
  },
];

/** Which demo services each template audits; any other template audits every demo service. */
const SCOPES: Record<string, string[]> = {
  "lac-iha": ["Community paediatrics", "Looked after children's health: North", "Looked after children's health: South"],
  "lac-rha": ["Looked after children's health: North", "Looked after children's health: South"],
  "hv-school-nursing": ["Health visiting: East", "Health visiting: West", "School nursing"],
  maternity: ["Maternity: Northmoor General", "Maternity: Riverside Birth Centre"],
};

/** Likelihood that a case of this service meets a standard at progress t (0 = first quarter, 1 = last). */
function serviceLikelihood(s: DemoService, t: number): number {
  switch (s.trajectory) {
    case "improving":
      return s.level + (0.93 - s.level) * t;
    case "deteriorating":
      return s.level - 0.4 * t;
    case "steady":
      return s.level;
  }
}

const clamp = (p: number) => Math.min(0.99, Math.max(0.03, p));

/** The last `n` financial quarters (Apr–Jun, Jul–Sep, Oct–Dec, Jan–Mar) that ended before `today`, oldest first. */
export function demoQuarters(today: string, n: number): { start: string; end: string; label: string }[] {
  let y = Number(today.slice(0, 4));
  let startMonth = [1, 1, 1, 4, 4, 4, 7, 7, 7, 10, 10, 10][Number(today.slice(5, 7)) - 1]; // the current quarter
  const out: { start: string; end: string; label: string }[] = [];
  for (let i = 0; i < n; i++) {
    startMonth -= 3;
    if (startMonth < 1) {
      startMonth += 12;
      y -= 1;
    }
    const start = `${y}-${String(startMonth).padStart(2, "0")}-01`;
    const end = addDays(addMonthsClamped(start, 3), -1);
    const fyStart = startMonth >= 4 ? y : y - 1;
    const q = startMonth >= 4 ? (startMonth - 1) / 3 : 4;
    out.push({ start, end, label: `Q${q} ${fyStart}/${String((fyStart + 1) % 100).padStart(2, "0")}` });
  }
  return out.reverse();
}

// --- Case fields: dates that make each date rule decide in time or late.

/**
 * Sets the rule's dates not yet set (another rule may share a field), starting from the dates
 * already set or from `anchor`: in time, or late, as `onTime` says.
 */
function ruleDates(rule: Rule, anchor: string, onTime: boolean, r: Random, settings: SettingValues, d: Record<string, string>) {
  const set = (k: string, v: string) => {
    if (!(k in d)) d[k] = v;
  };
  const amount = (a: number | { setting: string } | undefined, fallback: number) => (a === undefined ? fallback : resolveAmount(a, settings));
  switch (rule.type) {
    case "within_working_days":
    case "within_calendar_days": {
      const days = amount(rule.days, 10);
      set(rule.from, anchor);
      // N calendar days after is never more than N working days after.
      set(rule.to, addDays(d[rule.from], onTime ? r.int(0, days) : 2 * days + 7 + r.int(0, 10)));
      break;
    }
    case "within_months": {
      const months = amount(rule.months, 1);
      const preset = rule.from in d;
      set(rule.from, onTime ? anchor : addDays(addMonthsClamped(anchor, -(months + 1)), -r.int(0, 20)));
      set(rule.to, onTime ? addDays(d[rule.from], r.int(0, 20)) : preset ? addDays(addMonthsClamped(d[rule.from], months + 1), r.int(0, 20)) : anchor);
      break;
    }
    case "iha_timeliness": {
      set(rule.lookedAfter, anchor);
      const from = d[rule.lookedAfter];
      if (onTime) {
        set(rule.seen, addDays(from, r.int(3, 12)));
        set(rule.reportSent, addDays(d[rule.seen], r.int(0, 4)));
      } else if (r.next() < 0.4) {
        // Seen in time, report late: partially met.
        set(rule.seen, addDays(from, r.int(5, 12)));
        set(rule.reportSent, addDays(from, r.int(40, 55)));
      } else {
        set(rule.seen, addDays(from, r.int(40, 50)));
        set(rule.reportSent, addDays(d[rule.seen], r.int(0, 4)));
      }
      break;
    }
    case "review_interval": {
      set(rule.current, anchor);
      set(rule.dateOfBirth, addDays(addMonthsClamped(d[rule.current], -12 * r.int(6, 15)), -r.int(0, 300)));
      set(rule.previous, onTime ? addDays(addMonthsClamped(d[rule.current], -5), -r.int(0, 20)) : addDays(addMonthsClamped(d[rule.current], -14), -r.int(0, 60)));
      break;
    }
    case "before_birthday": {
      set(rule.event, anchor);
      set(rule.dateOfBirth, addMonthsClamped(d[rule.event], -12 * rule.age + (onTime ? r.int(1, 10) : -r.int(1, 6))));
      break;
    }
    case "gestation_window": {
      set(rule.event, anchor);
      const from = rule.fromWeeks === undefined ? 8 : resolveAmount(rule.fromWeeks, settings);
      const before = rule.beforeWeeks === undefined ? null : resolveAmount(rule.beforeWeeks, settings);
      let gestationDays = from * 7 + r.int(1, 10);
      if (before !== null && gestationDays >= before * 7) gestationDays = from * 7 + 1;
      if (!onTime) gestationDays = before !== null ? before * 7 + r.int(5, 30) : from > 2 ? from * 7 - r.int(7, 13) : gestationDays;
      set(rule.dueDate, addDays(d[rule.event], 280 - gestationDays));
      break;
    }
    case "age_window": {
      if (rule.dateOfBirth in d && !(rule.event in d)) {
        // The child's birth date is set (by another contact's rule): this contact is in time or late for it.
        const forward = (iso: string, o: { days: number } | { weeks: number } | { months: number }) =>
          "months" in o ? addMonthsClamped(iso, o.months) : addDays(iso, "weeks" in o ? o.weeks * 7 : o.days);
        const first = forward(d[rule.dateOfBirth], rule.from);
        const last = forward(d[rule.dateOfBirth], rule.to);
        const span = Math.max(0, Math.round((Date.parse(last) - Date.parse(first)) / 86_400_000));
        set(rule.event, onTime ? addDays(first, r.int(0, Math.floor((span * 2) / 3))) : addDays(last, r.int(14, 60)));
        break;
      }
      set(rule.event, anchor);
      const back = (iso: string, o: { days: number } | { weeks: number } | { months: number }) =>
        "months" in o ? addMonthsClamped(iso, -o.months) : addDays(iso, -("weeks" in o ? o.weeks * 7 : o.days));
      const earliest = back(d[rule.event], rule.to); // born on this day: exactly the upper age
      const latest = back(d[rule.event], rule.from); // born on this day: exactly the lower age
      const span = Math.max(0, Math.round((Date.parse(latest) - Date.parse(earliest)) / 86_400_000));
      set(rule.dateOfBirth, onTime ? addDays(earliest, Math.min(span, r.int(Math.floor(span / 3), span))) : addDays(earliest, -r.int(14, 60)));
      break;
    }
  }
}

function caseFields(template: Template, anchor: string, likelihood: number, r: Random, settings: SettingValues): Record<string, string | null> {
  const dates: Record<string, string> = {};
  for (const c of allCriteria(template)) {
    if (c.rule) ruleDates(c.rule, anchor, r.next() < likelihood, r, settings, dates);
  }
  const fields: Record<string, string | null> = {};
  for (const f of template.caseFields) {
    if (f.type === "date") {
      fields[f.id] = dates[f.id] ?? (f.id.includes("birth") ? addDays(addMonthsClamped(anchor, -12 * r.int(1, 15)), -r.int(0, 300)) : addDays(anchor, -r.int(0, 30)));
    } else if (f.type === "choice") {
      fields[f.id] = r.next() < 0.6 ? f.options[0].value : r.pick(f.options).value;
    } else {
      fields[f.id] = r.next() < 0.8 ? "yes" : "no";
    }
  }
  // A date that may not be earlier than another is moved up to it.
  for (const f of template.caseFields) {
    if (f.type === "date" && f.notBefore && fields[f.id] && fields[f.notBefore] && compareIso(fields[f.id]!, fields[f.notBefore]!) < 0) fields[f.id] = fields[f.notBefore];
  }
  return fields;
}

function answerFor(allowed: Answer[], p: number, r: Random): Answer {
  if (allowed.includes("na") && r.next() < 0.03) return "na";
  const x = r.next();
  if (x < p) return "met";
  if (allowed.includes("partial") && x < p + (1 - p) * 0.4) return "partial";
  return allowed.includes("not_met") ? "not_met" : allowed[0];
}

const NOTES: Partial<Record<Answer, string>> = {
  met: "Demonstration note: recorded clearly in the case file.",
  partial: "Demonstration note: partly recorded; the follow-up was not documented.",
  not_met: "Demonstration note: not found in the case file.",
  na: "Demonstration note: does not apply to this case.",
};

/** Inserts rows in chunks (one statement per chunk). */
async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 500) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Whether any demonstration provider exists. */
export async function hasDemoData(db: Db): Promise<boolean> {
  const row = await db.selectFrom("providers").select("id").where("name", "like", `%${DEMO_PROVIDER_SUFFIX}`).executeTakeFirst();
  return row !== undefined;
}

/**
 * Loads the demonstration trust and its audits in one transaction (logged). Throws
 * DemoDataExistsError when demonstration data is already loaded, and an Error for an unknown
 * template. Loads the template library first when no template is published yet.
 */
export async function generateDemoData(db: Db, actor: NonNullable<Actor>, options: DemoOptions = {}): Promise<DemoCounts> {
  const { seed = "demo", quartersBack = 8, casesPerAudit = 12, templates: keys = DEFAULT_DEMO_TEMPLATES, today = todayInLondon() } = options;
  if (!Number.isInteger(quartersBack) || quartersBack < 1) throw new Error("quartersBack must be a whole number, 1 or more");
  if (!Number.isInteger(casesPerAudit) || casesPerAudit < 1) throw new Error("casesPerAudit must be a whole number, 1 or more");
  if (!(await db.selectFrom("template_versions").select("id").executeTakeFirst())) {
    const loaded = await loadTemplates(db);
    if (loaded.problems.length) throw new Error("The audit templates have problems, so demonstration data cannot be loaded. Run npm run templates:check");
  }
  const versions: TemplateVersion[] = [];
  for (const key of keys) {
    const tv = await latestTemplateVersion(db, key);
    if (!tv) throw new Error(`There is no template ${key}`);
    versions.push(tv);
  }
  const quarters = demoQuarters(today, quartersBack);

  return db.transaction().execute(async (trx) => {
    if (await hasDemoData(trx)) throw new DemoDataExistsError();
    const now = nowIso();
    const settings = await currentSettings(trx);
    const r = seededRandom(seed);
    const counts: DemoCounts = { providers: 0, services: 0, teams: 0, audits: 0, cases: 0, answers: 0 };

    // --- Providers, services and teams.
    const services = new Map<string, DemoService & { id: number; teamIds: number[] }>();
    for (const p of PROVIDERS) {
      const provider = await trx.insertInto("providers").values({ name: p.name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
      counts.providers += 1;
      for (const s of p.services) {
        const service = await trx.insertInto("services").values({ provider_id: provider.id, name: s.name, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
        const teams = await trx
          .insertInto("teams")
          .values(s.teams.map((name) => ({ service_id: service.id, name, created_at: now, updated_at: now })))
          .returning("id")
          .execute();
        services.set(s.name, { ...s, id: service.id, teamIds: teams.map((t) => t.id) });
        counts.services += 1;
        counts.teams += teams.length;
      }
    }

    // --- Audits, cases and answers.
    let caseNumber = 0;
    for (const tv of versions) {
      const template = tv.template;
      const scope = (SCOPES[tv.key] ?? [...services.keys()]).map((name) => services.get(name)!);
      const criteria = allCriteria(template);
      // Each criterion is a little easier or harder than the service's level, the same in every quarter.
      const difficulty = new Map(criteria.map((c) => [c.id, -0.12 * r.next() + 0.04]));
      for (const [qi, quarter] of quarters.entries()) {
        const t = quarters.length === 1 ? 1 : qi / (quarters.length - 1);
        const audit = await trx
          .insertInto("audits")
          .values({
            template_version_id: tv.id,
            title: `${DEMO_AUDIT_PREFIX}${template.title}, ${quarter.label}`,
            period_start: quarter.start,
            period_end: quarter.end,
            status: "complete",
            created_by: actor.id,
            completed_at: `${quarter.end}T23:59:59.999Z`,
            created_at: now,
            updated_at: now,
            settings: JSON.stringify(settings),
            closed_at: null,
            reaudit_of: null,
            reaudit_due: null,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        counts.audits += 1;
        await trx.insertInto("audit_services").values(scope.map((s) => ({ audit_id: audit.id, service_id: s.id }))).execute();

        type Pending = { ref: string; answers: { criterion_id: string; answer: Answer; note: string | null }[] };
        const caseRows = [];
        const pending: Pending[] = [];
        for (let i = 0; i < casesPerAudit; i++) {
          const service = scope[i % scope.length];
          // Quarter-to-quarter noise, so steady services still wobble.
          const likelihood = clamp(serviceLikelihood(service, t) + 0.04 * r.normal());
          const anchor = addDays(quarter.end, -r.int(55, 80));
          const fields = caseFields(template, anchor, likelihood, r, settings);
          caseNumber += 1;
          const ref = `DEMO-${String(caseNumber).padStart(4, "0")}`;
          caseRows.push({
            audit_id: audit.id,
            case_ref: ref,
            service_id: service.id,
            team_id: r.pick(service.teamIds),
            case_type: r.next() < 0.85 ? template.caseTypes[0] : r.pick(template.caseTypes),
            fields: JSON.stringify(fields),
            created_by: actor.id,
            created_at: now,
            updated_at: now,
            in_sample: 1,
            origin: "manual",
          });
          const answers: Pending["answers"] = [];
          for (const c of criteria) {
            if (c.rule) continue; // the app decides from the case's dates
            if (evaluateApplicability(c.applicableWhen, fields, template.caseFields).applicable === false) continue;
            const allowed = (c.answers ?? template.answers).filter(isAnswer);
            const answer = answerFor(allowed, clamp(likelihood + difficulty.get(c.id)!), r);
            const noteNeeded = (c.noteRequiredFor ?? template.noteRequiredFor ?? []).includes(answer);
            answers.push({ criterion_id: c.id, answer, note: noteNeeded ? (NOTES[answer] ?? null) : null });
          }
          pending.push({ ref, answers });
        }
        const ids = new Map<string, number>();
        await insertChunks(caseRows, async (chunk) => {
          for (const row of await trx.insertInto("cases").values(chunk).returning(["id", "case_ref"]).execute()) ids.set(row.case_ref, row.id);
        });
        const answerRows = pending.flatMap((p) =>
          p.answers.map((a) => ({ case_id: ids.get(p.ref)!, ...a, answered_by: actor.id, answered_at: now, detail: null, override_reason: null, changed_reason: null })),
        );
        await insertChunks(answerRows, (chunk) => trx.insertInto("answers").values(chunk).execute());
        await refreshAuditResults(trx, audit.id);
        counts.cases += caseRows.length;
        counts.answers += answerRows.length;
      }
    }

    await logEvent(trx, {
      actor,
      action: "demo-data-load",
      entity: "demo-data",
      after: { seed, quartersBack, casesPerAudit, templates: versions.map((v) => `${v.key}@${v.version}`), ...counts },
    });
    return counts;
  });
}

/**
 * Removes the demonstration providers with their services, teams, audits, cases and answers,
 * in one transaction (logged). Refuses, changing nothing, when an audit that is not
 * demonstration data uses a demonstration service. Returns what was removed (all 0 when none).
 */
export async function removeDemoData(db: Db, actor: NonNullable<Actor>): Promise<DemoCounts> {
  return db.transaction().execute(async (trx) => {
    const providerIds = (await trx.selectFrom("providers").select("id").where("name", "like", `%${DEMO_PROVIDER_SUFFIX}`).execute()).map((p) => p.id);
    const counts: DemoCounts = { providers: providerIds.length, services: 0, teams: 0, audits: 0, cases: 0, answers: 0 };
    if (!providerIds.length) return counts;
    const serviceIds = (await trx.selectFrom("services").select("id").where("provider_id", "in", providerIds).execute()).map((s) => s.id);
    const demoAudits = serviceIds.length
      ? (
          await trx
            .selectFrom("audits")
            .select("id")
            .where("title", "like", `${DEMO_AUDIT_PREFIX}%`)
            .where((eb) => eb.exists(eb.selectFrom("audit_services").select("audit_id").whereRef("audit_services.audit_id", "=", "audits.id").where("service_id", "in", serviceIds)))
            .where((eb) =>
              eb.not(eb.exists(eb.selectFrom("audit_services").select("audit_id").whereRef("audit_services.audit_id", "=", "audits.id").where("service_id", "not in", serviceIds))),
            )
            .execute()
        ).map((a) => a.id)
      : [];
    if (serviceIds.length) {
      // Anything else that uses a demonstration service would be lost or broken: refuse.
      let others = trx.selectFrom("audit_services").select("audit_id").distinct().where("service_id", "in", serviceIds);
      if (demoAudits.length) others = others.where("audit_id", "not in", demoAudits);
      const otherAudits = (await others.execute()).map((a) => a.audit_id);
      let otherCases = trx.selectFrom("cases").select("audit_id").distinct().where("service_id", "in", serviceIds);
      if (demoAudits.length) otherCases = otherCases.where("audit_id", "not in", demoAudits);
      const blocking = [...new Set([...otherAudits, ...(await otherCases.execute()).map((c) => c.audit_id)])].sort((a, b) => a - b);
      if (blocking.length) {
        throw new UserInputError(
          `The demonstration data was not removed: ${blocking.length === 1 ? "audit" : "audits"} ${blocking.join(", ")} ${blocking.length === 1 ? "is" : "are"} not demonstration data but ${blocking.length === 1 ? "uses" : "use"} a demonstration service. Delete ${blocking.length === 1 ? "it" : "them"} or move ${blocking.length === 1 ? "its" : "their"} cases first`,
        );
      }
    }
    if (demoAudits.length) {
      const caseIds = trx.selectFrom("cases").select("id").where("audit_id", "in", demoAudits);
      counts.cases = Number((await trx.selectFrom("cases").select((eb) => eb.fn.countAll<number>().as("n")).where("audit_id", "in", demoAudits).executeTakeFirstOrThrow()).n);
      counts.answers = Number((await trx.selectFrom("answers").select((eb) => eb.fn.countAll<number>().as("n")).where("case_id", "in", caseIds).executeTakeFirstOrThrow()).n);
      // Children first, so this does not depend on ON DELETE CASCADE being enforced.
      await trx.deleteFrom("answers").where("case_id", "in", caseIds).execute();
      await trx.deleteFrom("agreed_answers").where("case_id", "in", caseIds).execute();
      await trx.deleteFrom("moderation_answers").where("case_id", "in", caseIds).execute();
      await trx.deleteFrom("moderation_cases").where("audit_id", "in", demoAudits).execute();
      await trx.deleteFrom("iha_reviews").where("case_id", "in", caseIds).execute();
      await trx.deleteFrom("cases").where("audit_id", "in", demoAudits).execute();
      const actionIds = trx.selectFrom("actions").select("id").where("audit_id", "in", demoAudits);
      await trx.deleteFrom("action_services").where("action_id", "in", actionIds).execute();
      await trx.deleteFrom("actions").where("audit_id", "in", demoAudits).execute();
      await trx.deleteFrom("no_action_reasons").where("audit_id", "in", demoAudits).execute();
      await trx.deleteFrom("samples").where("audit_id", "in", demoAudits).execute();
      await trx.deleteFrom("pending_imports").where("audit_id", "in", demoAudits).execute();
      await trx.deleteFrom("audit_services").where("audit_id", "in", demoAudits).execute();
      await trx.deleteFrom("result_cells").where("audit_id", "in", demoAudits).execute();
      await trx.deleteFrom("result_criteria").where("audit_id", "in", demoAudits).execute();
      counts.audits = Number((await trx.deleteFrom("audits").where("id", "in", demoAudits).executeTakeFirst()).numDeletedRows);
    }
    if (serviceIds.length) {
      counts.teams = Number((await trx.deleteFrom("teams").where("service_id", "in", serviceIds).executeTakeFirst()).numDeletedRows);
      counts.services = Number((await trx.deleteFrom("services").where("id", "in", serviceIds).executeTakeFirst()).numDeletedRows);
    }
    await trx.deleteFrom("providers").where("id", "in", providerIds).execute();
    await logEvent(trx, { actor, action: "demo-data-remove", entity: "demo-data", before: counts });
    return counts;
  });
}
