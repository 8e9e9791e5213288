/**
 * An audit's population (its case list), the sample drawn from it, and changes to the sample
 * by hand after the draw.
 *
 * Decisions:
 * - The population is every case of the audit that is not excluded: imported (origin "import")
 *   and added by hand (origin "manual").
 * - A draw chooses among the imported cases only. Cases added by hand are in the sample from the
 *   moment they are added and stay there: they were picked, not drawn, and the page says how
 *   many there are. After a draw, adding a case by hand needs a reason.
 * - A draw stores the seed, the algorithm and the method, and sets in_sample on every imported
 *   case, in one transaction. The same seed and the same imported population give the same
 *   sample (app/lib/sampling.ts).
 * - Drawing again replaces the sample, and is refused once any sampled case has an answer:
 *   after that, changes are made case by case with a reason.
 * - Excluded cases stay excluded and are left out of any redraw. Cases added to the sample by
 *   hand that a redraw leaves out go back to the population (their reason is cleared, and the
 *   log keeps it).
 */
import { compareCodePoints, drawSample, drawStratified, SAMPLING_ALGORITHM } from "~/lib/sampling";
import type { DrawInput } from "~/schemas/sampling";
import { logEvent, type Actor } from "~/utils/audit-log.server";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";
import { UserInputError } from "~/utils/validation.server";
import type { AuditWithTemplate } from "./audits.server";

/** What a samples row's method JSON holds. */
export type SampleMethod = Omit<DrawInput, "seed"> & {
  /** Each stratum drawn from, in key order: its label, how many it had and how many were drawn. */
  strata: { key: string; label: string; population: number; sample: number }[];
};

export type Stratum = { key: string; label: string };

type PopulationRow = { id: number; case_ref: string; service_id: number; service_name: string; team_id: number | null; team_name: string | null };

/**
 * The stratum a case belongs to. Keys use ids, not names, so renaming a service or team never
 * changes which cases a seed draws; labels are for people.
 */
function stratumOf(c: PopulationRow, by: "service" | "team"): Stratum {
  if (by === "service") return { key: `service-${c.service_id}`, label: c.service_name };
  if (c.team_id === null) return { key: `service-${c.service_id}-no-team`, label: `${c.service_name}, no team` };
  return { key: `team-${c.team_id}`, label: `${c.team_name} (${c.service_name})` };
}

/** Imported cases that are not excluded: what a draw chooses from. */
async function drawPopulation(db: Db, auditId: number): Promise<(PopulationRow & { in_sample: number; sample_reason: string | null })[]> {
  return db
    .selectFrom("cases")
    .innerJoin("services", "services.id", "cases.service_id")
    .leftJoin("teams", "teams.id", "cases.team_id")
    .select(["cases.id", "cases.case_ref", "cases.service_id", "services.name as service_name", "cases.team_id", "teams.name as team_name", "cases.in_sample", "cases.sample_reason"])
    .where("cases.audit_id", "=", auditId)
    .where("cases.origin", "=", "import")
    .where("cases.excluded_at", "is", null)
    .execute();
}

/** How many sampled cases already have at least one answer (or note). */
export async function countAnsweredSampledCases(db: Db, auditId: number) {
  const row = await db
    .selectFrom("answers")
    .innerJoin("cases", "cases.id", "answers.case_id")
    .select((eb) => eb.fn.count<number>("answers.case_id").distinct().as("n"))
    .where("cases.audit_id", "=", auditId)
    .where("cases.in_sample", "=", 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function parseMethod(json: string): SampleMethod | null {
  try {
    return JSON.parse(json) as SampleMethod;
  } catch {
    return null;
  }
}

/** The audit's sample (seed, algorithm, method, who drew it and when), or null before the draw. */
/**
 * For a re-audit with no sample yet: the audit it repeats and how that audit's sample was drawn,
 * so the same method can be offered (issue #6: a re-audit copies the sampling settings). Null
 * for any other audit, or when the original's sample was never drawn.
 */
export async function originalSampling(db: Db, audit: { reaudit_of: number | null }) {
  if (!audit.reaudit_of) return null;
  const original = await db.selectFrom("audits").select(["id", "title"]).where("id", "=", audit.reaudit_of).executeTakeFirst();
  const sample = original ? await getSample(db, original.id) : null;
  if (!original || !sample?.method) return null;
  return { auditId: original.id, title: original.title, method: sample.method, methodText: describeMethod(sample.method) };
}

export async function getSample(db: Db, auditId: number) {
  const row = await db
    .selectFrom("samples")
    .innerJoin("users", "users.id", "samples.drawn_by")
    .select(["samples.seed", "samples.algorithm", "samples.method", "samples.population_size", "samples.sample_size", "samples.drawn_at", "users.name as drawn_by_name"])
    .where("samples.audit_id", "=", auditId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    seed: row.seed,
    algorithm: row.algorithm,
    method: parseMethod(row.method),
    populationSize: row.population_size,
    sampleSize: row.sample_size,
    drawnAt: row.drawn_at,
    drawnBy: row.drawn_by_name,
  };
}

/** The method in words: "Stratified by team, in proportion to size, 10% of cases, at least 2 from each team". */
export function describeMethod(m: Omit<DrawInput, "seed">): string {
  const amount = m.sizeBy === "percent" ? `${m.percent}% of cases` : `${m.size} ${m.size === 1 ? "case" : "cases"}`;
  if (m.method === "simple") return `Simple random sample, ${amount}`;
  const unit = m.stratifyBy === "team" ? "team" : "service";
  const parts = [`Stratified by ${unit}`];
  if (m.allocation === "fixed") parts.push(`${m.perStratum} from each ${unit} (or all of a smaller one)`);
  else parts.push(`in proportion to the size of each ${unit}, ${amount}`);
  if (m.minPerStratum > 0) parts.push(`at least ${m.minPerStratum} from each ${unit}`);
  return parts.join(", ");
}

/** Everything the sampling page and the audit page show about the population and the sample. */
export async function samplingOverview(db: Db, auditId: number) {
  const rows = await db
    .selectFrom("cases")
    .innerJoin("services", "services.id", "cases.service_id")
    .leftJoin("teams", "teams.id", "cases.team_id")
    .select(["cases.id", "cases.case_ref", "cases.service_id", "services.name as service_name", "cases.team_id", "teams.name as team_name", "cases.origin", "cases.in_sample", "cases.sample_reason", "cases.excluded_at"])
    .where("cases.audit_id", "=", auditId)
    .execute();
  const live = rows.filter((r) => !r.excluded_at);
  const imported = live.filter((r) => r.origin === "import");
  const strata = (by: "service" | "team") => {
    // sampled: in the sample now; drawn: of those, chosen at random (not added by hand with a reason).
    const map = new Map<string, { key: string; label: string; population: number; sampled: number; drawn: number }>();
    for (const r of imported) {
      const s = stratumOf(r, by);
      const entry = map.get(s.key) ?? { ...s, population: 0, sampled: 0, drawn: 0 };
      entry.population += 1;
      if (r.in_sample === 1) entry.sampled += 1;
      if (r.in_sample === 1 && r.sample_reason === null) entry.drawn += 1;
      map.set(s.key, entry);
    }
    return [...map.values()].sort((a, b) => compareCodePoints(a.label, b.label));
  };
  return {
    /** Every case not excluded: imported and added by hand. */
    population: live.length,
    /** Imported cases not excluded: what a draw chooses from. */
    imported: imported.length,
    /** Cases added by hand (in the sample without being drawn). */
    handAdded: live.filter((r) => r.origin !== "import").length,
    sampled: live.filter((r) => r.in_sample === 1).length,
    excluded: rows.length - live.length,
    byService: strata("service"),
    byTeam: strata("team"),
    sample: await getSample(db, auditId),
    answeredSampledCases: await countAnsweredSampledCases(db, auditId),
  };
}

/** Percentage of a population, rounded up, never more than the population (as drawStratified does). */
function percentOf(percent: number, population: number) {
  return Math.min(Math.ceil(Math.round(((percent * population) / 100) * 1e9) / 1e9), population);
}

function chunks<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Draws (or draws again) the audit's sample from its imported cases, all or nothing, and logs
 * the seed, method and the references drawn. Throws a UserInputError the page can show when
 * there is nothing to draw from, the size is larger than the population, or scoring has started.
 */
export async function drawAuditSample(db: Db, actor: NonNullable<Actor>, audit: AuditWithTemplate, input: DrawInput, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const previous = await trx.selectFrom("samples").selectAll().where("audit_id", "=", audit.id).executeTakeFirst();
    if (previous) {
      const answered = await countAnsweredSampledCases(trx, audit.id);
      if (answered > 0) {
        throw new UserInputError(
          `The sample cannot be drawn again because scoring has started: ${answered} sampled ${answered === 1 ? "case has" : "cases have"} answers. Add or exclude single cases with a reason instead`,
          "method",
        );
      }
    }
    const population = await drawPopulation(trx, audit.id);
    const N = population.length;
    if (N === 0) throw new UserInputError("There are no imported cases to draw from. Import a case list first", "method");
    if (input.size !== null && input.size > N) {
      throw new UserInputError(`Number of cases must be no more than ${N}, the number of imported cases that can be drawn`, "size");
    }

    const byRef = new Map(population.map((c) => [c.case_ref, c]));
    let chosen: string[];
    let strata: SampleMethod["strata"] = [];
    if (input.method === "simple") {
      const n = input.sizeBy === "percent" ? percentOf(input.percent!, N) : input.size!;
      chosen = drawSample([...byRef.keys()], n, input.seed);
    } else {
      const by = input.stratifyBy!;
      const groups: Record<string, string[]> = {};
      const labels: Record<string, string> = {};
      for (const c of population) {
        const s = stratumOf(c, by);
        (groups[s.key] ??= []).push(c.case_ref);
        labels[s.key] = s.label;
      }
      const result = drawStratified({
        strata: groups,
        seed: input.seed,
        mode: input.allocation!,
        ...(input.allocation === "fixed"
          ? { perStratum: input.perStratum! }
          : input.sizeBy === "percent"
            ? { percent: input.percent! }
            : { total: input.size! }),
        minPerStratum: input.minPerStratum,
      });
      chosen = result.sample;
      strata = Object.keys(groups)
        .sort(compareCodePoints)
        .map((key) => ({ key, label: labels[key], population: groups[key].length, sample: result.allocation[key] }));
    }

    const chosenIds = new Set(chosen.map((ref) => byRef.get(ref)!.id));
    const leaving = population.filter((c) => !chosenIds.has(c.id) && (c.in_sample === 1 || c.sample_reason !== null)).map((c) => c.id);
    const joining = population.filter((c) => chosenIds.has(c.id) && (c.in_sample !== 1 || c.sample_reason !== null)).map((c) => c.id);
    const now = nowIso();
    // Leaving the sample also drops any assignment: the case is no longer anyone's to score.
    for (const ids of chunks(leaving)) {
      await trx.updateTable("cases").set({ in_sample: 0, sample_reason: null, assigned_to: null, updated_at: now }).where("id", "in", ids).execute();
    }
    for (const ids of chunks(joining)) {
      await trx.updateTable("cases").set({ in_sample: 1, sample_reason: null, updated_at: now }).where("id", "in", ids).execute();
    }

    const { seed, ...rest } = input;
    const method: SampleMethod = { ...rest, strata };
    const row = { seed, algorithm: SAMPLING_ALGORITHM, method: JSON.stringify(method), population_size: N, sample_size: chosen.length, drawn_by: actor.id, drawn_at: now };
    const after = previous
      ? await trx.updateTable("samples").set(row).where("id", "=", previous.id).returningAll().executeTakeFirstOrThrow()
      : await trx.insertInto("samples").values({ audit_id: audit.id, ...row }).returningAll().executeTakeFirstOrThrow();
    const previousRefs = previous ? population.filter((c) => c.in_sample === 1).map((c) => c.case_ref).sort(compareCodePoints) : undefined;
    await logEvent(trx, {
      actor,
      action: previous ? "redraw-sample" : "draw-sample",
      entity: "audit",
      entityId: audit.id,
      before: previous ? { ...previous, method: parseMethod(previous.method), caseRefs: previousRefs } : null,
      after: { ...after, method, caseRefs: [...chosen].sort(compareCodePoints) },
      request,
    });
    return { ...after, method };
  });
}

/**
 * "Add to sample": a case from the case list (population) joins the sample by hand, with a
 * reason. Only after the draw (before it, the draw decides); logged.
 */
export async function addToSample(db: Db, actor: NonNullable<Actor>, auditId: number, caseRef: string, reason: string, request?: Request) {
  return db.transaction().execute(async (trx) => {
    if (!(await trx.selectFrom("samples").select("id").where("audit_id", "=", auditId).executeTakeFirst())) {
      throw new UserInputError("Draw the sample before adding cases to it by hand", "caseRef");
    }
    const before = await trx.selectFrom("cases").selectAll().where("audit_id", "=", auditId).where("case_ref", "=", caseRef).executeTakeFirst();
    if (!before) throw new UserInputError(`Case reference ${caseRef} is not in this audit's case list. Enter a reference from the case list`, "caseRef");
    if (before.excluded_at) throw new UserInputError(`Case ${caseRef} has been excluded from this audit, so it cannot be added to the sample`, "caseRef");
    if (before.in_sample === 1) throw new UserInputError(`Case ${caseRef} is already in the sample`, "caseRef");
    const after = await trx
      .updateTable("cases")
      .set({ in_sample: 1, sample_reason: reason, updated_at: nowIso() })
      .where("id", "=", before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await logEvent(trx, {
      actor,
      action: "add-to-sample",
      entity: "case",
      entityId: before.id,
      before: { audit_id: auditId, case_ref: caseRef, in_sample: before.in_sample, sample_reason: before.sample_reason },
      after: { audit_id: auditId, case_ref: caseRef, in_sample: after.in_sample, sample_reason: after.sample_reason },
      request,
    });
    return after;
  });
}

/**
 * Excludes a sampled case with a reason (the record cannot be found, say). It leaves progress,
 * results and completion; its answers are kept. Logged.
 */
export async function excludeCase(db: Db, actor: NonNullable<Actor>, auditId: number, caseId: number, reason: string, request?: Request) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("cases").selectAll().where("audit_id", "=", auditId).where("id", "=", caseId).executeTakeFirst();
    if (!before) throw new Response("This case does not exist in this audit.", { status: 404, statusText: "Not Found" });
    if (before.excluded_at) throw new UserInputError(`Case ${before.case_ref} has already been excluded`, "reason");
    if (before.in_sample !== 1) throw new UserInputError(`Case ${before.case_ref} is not in the sample, so it cannot be excluded from it`, "reason");
    const now = nowIso();
    const after = await trx
      .updateTable("cases")
      .set({ excluded_reason: reason, excluded_at: now, excluded_by: actor.id, updated_at: now })
      .where("id", "=", caseId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await logEvent(trx, {
      actor,
      action: "exclude-from-sample",
      entity: "case",
      entityId: caseId,
      before: { audit_id: auditId, case_ref: before.case_ref, excluded_reason: null, excluded_at: null },
      after: { audit_id: auditId, case_ref: after.case_ref, excluded_reason: after.excluded_reason, excluded_at: after.excluded_at },
      request,
    });
    return after;
  });
}

export type SampleChange = { caseId: number; caseRef: string; change: "added" | "excluded"; reason: string; by: string | null; at: string | null };

/**
 * Changes to the sample made by hand after the draw, oldest first: cases added with a reason
 * (from the case list, or new on the "Add a case" page) and cases excluded with a reason.
 * Who and when come from the case row for exclusions and from the audit log for additions.
 */
export async function listSampleChanges(db: Db, auditId: number): Promise<SampleChange[]> {
  const rows = await db
    .selectFrom("cases")
    .leftJoin("users as excluder", "excluder.id", "cases.excluded_by")
    .select(["cases.id", "cases.case_ref", "cases.in_sample", "cases.sample_reason", "cases.excluded_reason", "cases.excluded_at", "excluder.name as excluded_by_name"])
    .where("cases.audit_id", "=", auditId)
    .where((eb) => eb.or([eb.and([eb("cases.in_sample", "=", 1), eb("cases.sample_reason", "is not", null)]), eb("cases.excluded_at", "is not", null)]))
    .execute();
  const added = rows.filter((r) => r.in_sample === 1 && r.sample_reason !== null);
  const logged = new Map<string, { at: string; name: string | null }>();
  for (const ids of chunks(added.map((r) => String(r.id)))) {
    const entries = await db
      .selectFrom("audit_log")
      .leftJoin("users", "users.id", "audit_log.user_id")
      .select(["audit_log.entity_id", "audit_log.at", "audit_log.actor", "users.name"])
      .where("audit_log.entity", "=", "case")
      .where("audit_log.action", "in", ["add-to-sample", "create"])
      .where("audit_log.entity_id", "in", ids)
      .orderBy("audit_log.id")
      .execute();
    // The latest entry wins: it is the one that put the case in the sample with its reason.
    for (const e of entries) logged.set(e.entity_id!, { at: e.at, name: e.name ?? e.actor });
  }
  const changes: SampleChange[] = [
    ...added.map((r) => ({ caseId: r.id, caseRef: r.case_ref, change: "added" as const, reason: r.sample_reason!, by: logged.get(String(r.id))?.name ?? null, at: logged.get(String(r.id))?.at ?? null })),
    ...rows
      .filter((r) => r.excluded_at)
      .map((r) => ({ caseId: r.id, caseRef: r.case_ref, change: "excluded" as const, reason: r.excluded_reason ?? "", by: r.excluded_by_name, at: r.excluded_at })),
  ];
  return changes.sort((a, b) => (a.at ?? "").localeCompare(b.at ?? "") || compareCodePoints(a.caseRef, b.caseRef));
}
