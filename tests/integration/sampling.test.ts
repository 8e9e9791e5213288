import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawSample, drawStratified, SAMPLING_ALGORITHM } from "~/lib/sampling";
import * as auditPage from "~/routes/audits.$auditId._index";
import * as samplePage from "~/routes/audits.$auditId.sample";
import * as excludePage from "~/routes/audits.$auditId.cases.$caseId.exclude";
import * as newCase from "~/routes/audits.$auditId.cases.new";
import * as casePage from "~/routes/audits.$auditId.cases.$caseId._index";
import * as results from "~/routes/audits.$auditId.results";
import type { Db } from "~/utils/db.server";
import { callAction, callLoader, useTempDb } from "./helpers";
import { addCaseByHand, casesOf, createAudit, importCases, pad, postAnswers, setUpWorld, type World } from "./sample-fixtures";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let w: World;

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  w = await setUpWorld(db);
});

afterAll(async () => env.cleanup());

const p = (auditId: number, extra: Record<string, string> = {}) => ({ auditId: String(auditId), ...extra });
const samplePageOf = (auditId: number, query = "", cookie = w.users.auditor.cookie) => callLoader(samplePage.loader, `/audits/${auditId}/sample${query}`, { cookie, params: p(auditId) });
const draw = (auditId: number, fields: Record<string, string>, cookie = w.users.auditor.cookie) =>
  callAction(samplePage.action, `/audits/${auditId}/sample`, { intent: "draw", ...fields }, { cookie, params: p(auditId) });
const addToSample = (auditId: number, fields: Record<string, string>, cookie = w.users.auditor.cookie) =>
  callAction(samplePage.action, `/audits/${auditId}/sample`, { intent: "add", ...fields }, { cookie, params: p(auditId) });
const exclude = (auditId: number, caseId: number, fields: Record<string, string>, cookie = w.users.auditor.cookie) =>
  callAction(excludePage.action, `/audits/${auditId}/cases/${caseId}/exclude`, fields, { cookie, params: p(auditId, { caseId: String(caseId) }) });
const auditPageOf = (auditId: number, cookie = w.users.auditor.cookie) => callLoader(auditPage.loader, `/audits/${auditId}`, { cookie, params: p(auditId) });
const sampledRefs = async (auditId: number) =>
  [...(await casesOf(db, auditId)).values()].filter((c) => c.in_sample === 1 && !c.excluded_at).map((c) => c.case_ref).sort();

/** 100 imported cases: 60 in service A (30 North, 30 South), 40 in service B (East). */
async function standardPopulation(auditId: number, order: "forward" | "reverse" = "forward") {
  const rows = Array.from({ length: 100 }, (_, i) => ({
    ref: `LAC-${pad(i + 1)}`,
    serviceId: i < 60 ? w.serviceA : w.serviceB,
    teamId: i < 30 ? w.north : i < 60 ? w.south : w.east,
  }));
  return importCases(db, w, auditId, order === "forward" ? rows : rows.reverse());
}

describe("the sampling page and the sample-size helper", () => {
  let auditId: number;
  beforeAll(async () => {
    auditId = await createAudit(w);
    await standardPopulation(auditId);
  });

  it("shows the population and suggests n from the formula, saying what the sample can and cannot show", async () => {
    const res = await samplePageOf(auditId, "?confidence=0.95&margin=5");
    expect(res.status).toBe(200);
    expect(res.data.counts).toEqual({ population: 100, imported: 100, handAdded: 0, sampled: 0, excluded: 0 });
    // Domain rule 33 vector: N = 100 at 95% and ±5 points → 80.
    expect(res.data.helper.result.n).toBe(80);
    expect(res.data.helper.result.shows).toBe("With 80 of 100 cases, a compliance figure is within ±5 percentage points of the true figure 95 times in 100 — if the cases were chosen at random.");
    expect(res.data.helper.result.cannot[0]).toMatch(/cannot show the true figure exactly/);
    expect(res.data.drawDefaults).toMatchObject({ method: "simple", sizeBy: "number", size: "80" });
    expect(res.data.drawDefaults.seed).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(res.data.sample).toBeNull();
  });

  it("gives a smaller n for lower confidence, and a message for a margin that is not a number", async () => {
    const low = await samplePageOf(auditId, "?confidence=0.8&margin=10");
    expect(low.data.helper.result.n).toBeLessThan(80);
    expect(low.data.helper.result.confidencePercent).toBe(80);
    const bad = await samplePageOf(auditId, "?confidence=0.95&margin=lots");
    expect(bad.status).toBe(200);
    expect(bad.data.helper.errors.margin).toBe("Margin of error must be a number, like 5");
    expect(bad.data.helper.result).toBeNull();
    const tooWide = await samplePageOf(auditId, "?confidence=0.5&margin=50");
    expect(tooWide.data.helper.errors).toEqual({ confidence: "Select a confidence level", margin: "Margin of error must be between 1 and 20 percentage points" });
  });
});

describe("drawing a simple random sample", () => {
  let auditId: number;
  const seed = "7K3Q-9M2X-AB4D";
  beforeAll(async () => {
    auditId = await createAudit(w);
    await standardPopulation(auditId);
  });

  it("draws the seeded sample, stores seed, algorithm and method, and logs the references drawn", async () => {
    const res = await draw(auditId, { method: "simple", sizeBy: "number", size: "12", seed: seed.toLowerCase() });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/audits/${auditId}/sample?done=drawn`);
    const expected = drawSample(Array.from({ length: 100 }, (_, i) => `LAC-${pad(i + 1)}`), 12, seed).sort();
    expect(await sampledRefs(auditId)).toEqual(expected);
    const row = await db.selectFrom("samples").selectAll().where("audit_id", "=", auditId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ seed, algorithm: SAMPLING_ALGORITHM, population_size: 100, sample_size: 12, drawn_by: w.users.auditor.user.id });
    expect(JSON.parse(row.method)).toMatchObject({ method: "simple", sizeBy: "number", size: 12, strata: [] });
    const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "draw-sample").where("entity_id", "=", String(auditId)).executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toMatchObject({ seed, caseRefs: expected });
  });

  it("shows the stored seed and who drew it, and says the same seed gives the same sample", async () => {
    const res = await samplePageOf(auditId);
    expect(res.data.sample).toMatchObject({ seed, algorithm: SAMPLING_ALGORITHM, drawnBy: "Bea Auditor", sampleSize: 12, populationSize: 100, methodText: "Simple random sample, 12 cases" });
    expect(res.data.counts.sampled).toBe(12);
    const page = await auditPageOf(auditId);
    expect(page.data.sample).toMatchObject({ seed, drawnBy: "Bea Auditor" });
    expect(page.data.population).toEqual({ total: 100, imported: 100, handAdded: 0, excluded: 0 });
    expect(page.data.progress.total).toBe(12);
  });

  it("gives the same sample from the same seed and population, whatever order the list came in", async () => {
    const other = await createAudit(w, "Same list, other order");
    await standardPopulation(other, "reverse");
    expect((await draw(other, { method: "simple", sizeBy: "number", size: "12", seed })).status).toBe(302);
    expect(await sampledRefs(other)).toEqual(await sampledRefs(auditId));
    // And redrawing with the same seed changes nothing; a different seed gives a different sample.
    expect((await draw(other, { method: "simple", sizeBy: "number", size: "12", seed })).status).toBe(302);
    expect(await sampledRefs(other)).toEqual(await sampledRefs(auditId));
    expect((await draw(other, { method: "simple", sizeBy: "number", size: "12", seed: "ANOTHER-SEED" })).status).toBe(302);
    expect(await sampledRefs(other)).not.toEqual(await sampledRefs(auditId));
    expect(await db.selectFrom("audit_log").select("id").where("action", "=", "redraw-sample").where("entity_id", "=", String(other)).execute()).toHaveLength(2);
  });

  it("draws a percentage, rounded up", async () => {
    const other = await createAudit(w, "Percentage");
    await importCases(db, w, other, Array.from({ length: 101 }, (_, i) => ({ ref: `P-${pad(i)}`, serviceId: w.serviceA })));
    expect((await draw(other, { method: "simple", sizeBy: "percent", percent: "10", seed })).status).toBe(302);
    expect(await sampledRefs(other)).toHaveLength(11);
  });

  it.each([
    ["nothing", {}, { method: "Select how the cases should be chosen", seed: "Enter a seed" }],
    ["no size", { method: "simple", seed: "ABC" }, { sizeBy: "Select whether to give a number of cases or a percentage" }],
    ["a size that is not a number", { method: "simple", sizeBy: "number", size: "ten", seed: "ABC" }, { size: "Number of cases must be a whole number, like 50" }],
    ["a zero size", { method: "simple", sizeBy: "number", size: "0", seed: "ABC" }, { size: "Number of cases must be 1 or more" }],
    ["a percentage over 100", { method: "simple", sizeBy: "percent", percent: "120", seed: "ABC" }, { percent: "Percentage must be more than 0 and no more than 100" }],
    ["a seed with spaces", { method: "simple", sizeBy: "number", size: "5", seed: "my seed" }, { seed: "Seed must only include letters, numbers and hyphens" }],
    ["stratified without its choices", { method: "stratified", seed: "ABC" }, { stratifyBy: "Select whether to stratify by service or by team", allocation: "Select how the sample is shared between services or teams" }],
    ["fixed without a number", { method: "stratified", stratifyBy: "team", allocation: "fixed", seed: "ABC" }, { perStratum: "Enter the number of cases to draw from each service or team" }],
    ["more cases than the population", { method: "simple", sizeBy: "number", size: "101", seed: "ABC" }, { size: "Number of cases must be no more than 100, the number of imported cases that can be drawn" }],
  ])("refuses %s with a message on the field and changes nothing", async (_label, fields, errors) => {
    const before = await sampledRefs(auditId);
    const sampleBefore = await db.selectFrom("samples").selectAll().where("audit_id", "=", auditId).executeTakeFirstOrThrow();
    const res = await draw(auditId, fields as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.data.errors).toEqual(errors);
    expect(await sampledRefs(auditId)).toEqual(before);
    expect(await db.selectFrom("samples").selectAll().where("audit_id", "=", auditId).executeTakeFirstOrThrow()).toEqual(sampleBefore);
  });

  it("says so when there is nothing to draw from", async () => {
    const empty = await createAudit(w, "Empty");
    const res = await draw(empty, { method: "simple", sizeBy: "number", size: "5", seed });
    expect(res.status).toBe(400);
    expect(res.data.errors.method).toBe("There are no imported cases to draw from. Import a case list first");
    expect((await samplePageOf(empty)).data.canDraw).toBe(false);
  });
});

describe("stratified samples", () => {
  let auditId: number;
  beforeAll(async () => {
    auditId = await createAudit(w);
    // Service A: 60 cases (North 30, South 30); service B: 6 cases (East).
    await importCases(db, w, auditId, [
      ...Array.from({ length: 60 }, (_, i) => ({ ref: `A-${pad(i)}`, serviceId: w.serviceA, teamId: i < 30 ? w.north : w.south })),
      ...Array.from({ length: 6 }, (_, i) => ({ ref: `B-${pad(i)}`, serviceId: w.serviceB, teamId: w.east })),
    ]);
  });

  const countBy = async (key: "service_id" | "team_id") => {
    const counts: Record<number, number> = {};
    for (const c of (await casesOf(db, auditId)).values()) if (c.in_sample === 1) counts[c[key]!] = (counts[c[key]!] ?? 0) + 1;
    return counts;
  };

  it("shares a percentage out in proportion to each service, raising small ones to the minimum", async () => {
    // 10% of 66 → 7: A gets 6 and B 1 by largest remainder; B is raised to the minimum of 3.
    const res = await draw(auditId, { method: "stratified", stratifyBy: "service", allocation: "proportional", sizeBy: "percent", percent: "10", minPerStratum: "3", seed: "STRATA-1" });
    expect(res.status).toBe(302);
    expect(await countBy("service_id")).toEqual({ [w.serviceA]: 6, [w.serviceB]: 3 });
    const expected = drawStratified({
      strata: { [`service-${w.serviceA}`]: Array.from({ length: 60 }, (_, i) => `A-${pad(i)}`), [`service-${w.serviceB}`]: Array.from({ length: 6 }, (_, i) => `B-${pad(i)}`) },
      seed: "STRATA-1",
      mode: "proportional",
      percent: 10,
      minPerStratum: 3,
    });
    expect(await sampledRefs(auditId)).toEqual([...expected.sample].sort());
    const page = await samplePageOf(auditId);
    expect(page.data.sample.methodText).toBe("Stratified by service, in proportion to the size of each service, 10% of cases, at least 3 from each service");
    expect(page.data.sample.strata).toEqual([
      { key: `service-${w.serviceA}`, label: "LAC health team", population: 60, sample: 6 },
      { key: `service-${w.serviceB}`, label: "Health visiting", population: 6, sample: 3 },
    ]);
    // A small stratum's own figure is imprecise, and the page says so.
    expect(page.data.sample.description.cannot.join(" ")).toMatch(/cannot give a precise figure for (LAC health team|Health visiting) on its own/);
  });

  it("takes the same number from every team, or all of a smaller one", async () => {
    const res = await draw(auditId, { method: "stratified", stratifyBy: "team", allocation: "fixed", perStratum: "8", seed: "STRATA-2" });
    expect(res.status).toBe(302);
    expect(await countBy("team_id")).toEqual({ [w.north]: 8, [w.south]: 8, [w.east]: 6 });
    const method = JSON.parse((await db.selectFrom("samples").select("method").where("audit_id", "=", auditId).executeTakeFirstOrThrow()).method);
    expect(method).toMatchObject({ method: "stratified", stratifyBy: "team", allocation: "fixed", perStratum: 8 });
    // Strata are stored in key order (the order they are drawn in).
    expect(method.strata.map((s: { label: string; sample: number }) => [s.label, s.sample])).toEqual([
      ["North (LAC health team)", 8],
      ["South (LAC health team)", 8],
      ["East (Health visiting)", 6],
    ]);
  });
});

describe("cases added by hand, redraws and changes after the draw", () => {
  let auditId: number;
  let handBefore: number;
  beforeAll(async () => {
    auditId = await createAudit(w);
    await importCases(db, w, auditId, Array.from({ length: 30 }, (_, i) => ({ ref: `IMP-${pad(i)}`, serviceId: w.serviceA })));
    const res = await addCaseByHand(w, auditId, "HAND-001");
    expect(res.status).toBe(302);
    handBefore = Number(res.location!.split("/").pop());
  });

  it("keeps a case added by hand before the draw in the sample, outside the draw, without asking for a reason", async () => {
    const row = await db.selectFrom("cases").selectAll().where("id", "=", handBefore).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ origin: "manual", in_sample: 1, sample_reason: null });
    // Before the draw, imported cases are not scored: only the hand-added case counts.
    expect((await auditPageOf(auditId)).data.progress).toEqual({ complete: 0, total: 1 });
    expect((await callLoader(results.loader, `/audits/${auditId}/results`, { cookie: w.users.manager.cookie, params: p(auditId) })).data.caseCount).toBe(1);

    expect((await draw(auditId, { method: "simple", sizeBy: "number", size: "5", seed: "HAND-SEED" })).status).toBe(302);
    const after = await db.selectFrom("cases").selectAll().where("id", "=", handBefore).executeTakeFirstOrThrow();
    expect(after.in_sample).toBe(1);
    const sample = await db.selectFrom("samples").selectAll().where("audit_id", "=", auditId).executeTakeFirstOrThrow();
    expect(sample).toMatchObject({ population_size: 30, sample_size: 5 });
    expect(await sampledRefs(auditId)).toHaveLength(6);
    const page = await samplePageOf(auditId);
    expect(page.data.counts).toEqual({ population: 31, imported: 30, handAdded: 1, sampled: 6, excluded: 0 });
    // Imported cases the draw left out stay out of progress and results.
    expect((await auditPageOf(auditId)).data.progress.total).toBe(6);
    expect((await callLoader(results.loader, `/audits/${auditId}/results`, { cookie: w.users.manager.cookie, params: p(auditId) })).data.caseCount).toBe(6);
  });

  it("asks for a reason to add a case on the 'Add a case' page once the sample is drawn, and keeps it", async () => {
    expect((await callLoader(newCase.loader, `/audits/${auditId}/cases/new`, { cookie: w.users.auditor.cookie, params: p(auditId) })).data.needsReason).toBe(true);
    const refused = await addCaseByHand(w, auditId, "HAND-002");
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toEqual({ sampleReason: "Enter why this case is being added to the sample after it was drawn" });
    expect((await casesOf(db, auditId)).has("HAND-002")).toBe(false);
    const ok = await addCaseByHand(w, auditId, "HAND-002", { sampleReason: "Named by the designated nurse after a serious incident" });
    expect(ok.status).toBe(302);
    expect((await casesOf(db, auditId)).get("HAND-002")).toMatchObject({ origin: "manual", in_sample: 1, sample_reason: "Named by the designated nurse after a serious incident" });
  });

  it("points to 'Add to sample' when a hand-added reference is already in the case list", async () => {
    const notDrawn = [...(await casesOf(db, auditId)).values()].find((c) => c.origin === "import" && c.in_sample === 0)!;
    const res = await addCaseByHand(w, auditId, notDrawn.case_ref, { sampleReason: "x" });
    expect(res.status).toBe(400);
    expect(res.data.errors.caseRef).toBe(`Case reference ${notDrawn.case_ref} is already in this audit's case list. Add it to the sample on the sampling page instead`);
  });

  it("adds a case from the case list to the sample only with a reason, and logs it", async () => {
    const notDrawn = [...(await casesOf(db, auditId)).values()].find((c) => c.origin === "import" && c.in_sample === 0)!;
    const noReason = await addToSample(auditId, { caseRef: notDrawn.case_ref, reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors).toEqual({ reason: "Enter why this case is being added to the sample" });
    expect((await casesOf(db, auditId)).get(notDrawn.case_ref)!.in_sample).toBe(0);

    const unknown = await addToSample(auditId, { caseRef: "NOPE-999", reason: "Asked for" });
    expect(unknown.status).toBe(400);
    expect(unknown.data.errors.caseRef).toBe("Case reference NOPE-999 is not in this audit's case list. Enter a reference from the case list");

    const ok = await addToSample(auditId, { caseRef: notDrawn.case_ref.toLowerCase(), reason: "Complaint received about this child's IHA" });
    expect(ok.status).toBe(302);
    expect((await casesOf(db, auditId)).get(notDrawn.case_ref)).toMatchObject({ in_sample: 1, sample_reason: "Complaint received about this child's IHA" });
    const log = await db.selectFrom("audit_log").selectAll().where("action", "=", "add-to-sample").where("entity_id", "=", String(notDrawn.id)).executeTakeFirstOrThrow();
    expect(JSON.parse(log.after!)).toMatchObject({ case_ref: notDrawn.case_ref, in_sample: 1, sample_reason: "Complaint received about this child's IHA" });

    const again = await addToSample(auditId, { caseRef: notDrawn.case_ref, reason: "Again" });
    expect(again.data.errors.caseRef).toBe(`Case ${notDrawn.case_ref} is already in the sample`);
  });

  it("excludes a sampled case only with a reason; it leaves progress and results; logged", async () => {
    const drawn = [...(await casesOf(db, auditId)).values()].find((c) => c.origin === "import" && c.in_sample === 1 && !c.sample_reason)!;
    const before = (await auditPageOf(auditId)).data.progress.total;
    const page = await callLoader(excludePage.loader, `/audits/${auditId}/cases/${drawn.id}/exclude`, { cookie: w.users.auditor.cookie, params: p(auditId, { caseId: String(drawn.id) }) });
    expect(page.status).toBe(200);
    expect(page.data.case.ref).toBe(drawn.case_ref);

    const noReason = await exclude(auditId, drawn.id, { reason: "" });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors).toEqual({ reason: "Enter why this case is being excluded, for example the record cannot be found" });
    expect((await casesOf(db, auditId)).get(drawn.case_ref)!.excluded_at).toBeNull();

    const ok = await exclude(auditId, drawn.id, { reason: "The record cannot be found" });
    expect(ok.status).toBe(302);
    expect(ok.location).toBe(`/audits/${auditId}?done=excluded`);
    expect((await casesOf(db, auditId)).get(drawn.case_ref)).toMatchObject({ excluded_reason: "The record cannot be found", excluded_by: w.users.auditor.user.id });
    expect((await auditPageOf(auditId)).data.progress.total).toBe(before - 1);
    expect((await auditPageOf(auditId)).data.cases.map((c: { caseRef: string }) => c.caseRef)).not.toContain(drawn.case_ref);
    expect((await callLoader(results.loader, `/audits/${auditId}/results`, { cookie: w.users.manager.cookie, params: p(auditId) })).data.caseCount).toBe(before - 1);
    expect(await db.selectFrom("audit_log").select("id").where("action", "=", "exclude-from-sample").where("entity_id", "=", String(drawn.id)).executeTakeFirst()).toBeDefined();

    // Excluding it again, or excluding a case not in the sample, is refused.
    const twice = await callLoader(excludePage.loader, `/audits/${auditId}/cases/${drawn.id}/exclude`, { cookie: w.users.auditor.cookie, params: p(auditId, { caseId: String(drawn.id) }) });
    expect(twice.status).toBe(400);
    const population = [...(await casesOf(db, auditId)).values()].find((c) => c.in_sample === 0)!;
    const notSampled = await exclude(auditId, population.id, { reason: "x" });
    expect(notSampled.status).toBe(400);
    // Neither an excluded case nor one only in the case list can be scored; their pages say why.
    const casePageOf = (id: number) => callLoader(casePage.loader, `/audits/${auditId}/cases/${id}`, { cookie: w.users.auditor.cookie, params: p(auditId, { caseId: String(id) }) });
    expect((await casePageOf(drawn.id)).data).toMatchObject({ canEdit: false, notScored: "This case was excluded from the sample: The record cannot be found. It is not scored." });
    expect((await casePageOf(population.id)).data).toMatchObject({ canEdit: false, notScored: "This case is in the audit's case list but not in the sample, so it is not scored." });
    expect((await postAnswers(w, auditId, drawn.id, { "answers.iha-uasc.answer": "met", "answers.iha-uasc.overrideReason": "x" })).status).toBe(403);
    expect((await postAnswers(w, auditId, population.id, { "answers.iha-uasc.answer": "met", "answers.iha-uasc.overrideReason": "x" })).status).toBe(403);
  });

  it("lists the changes after the draw on the audit page (not for managers)", async () => {
    const page = await auditPageOf(auditId);
    const changes = page.data.changes as { caseRef: string; change: string; reason: string; by: string; at: string }[];
    expect(changes.map((c) => [c.change, c.reason, c.by])).toEqual([
      ["added", "Named by the designated nurse after a serious incident", "Bea Auditor"],
      ["added", "Complaint received about this child's IHA", "Bea Auditor"],
      ["excluded", "The record cannot be found", "Bea Auditor"],
    ]);
    expect(changes[0].caseRef).toBe("HAND-002");
    for (const c of changes) expect(c.at).toMatch(/\d{4} at \d{1,2}:\d{2}(am|pm)$/);
    // The case added by hand before the draw is not a change after it.
    expect(changes.map((c) => c.caseRef)).not.toContain("HAND-001");
    expect((await auditPageOf(auditId, w.users.manager.cookie)).data.changes).toBeNull();
  });

  it("refuses to draw again once a sampled case has an answer", async () => {
    const before = await sampledRefs(auditId);
    await postAnswers(w, auditId, handBefore, { "answers.iha-uasc.answer": "met", "answers.iha-uasc.overrideReason": "Status changed" });
    const page = await samplePageOf(auditId);
    expect(page.data.canDraw).toBe(false);
    expect(page.data.answeredSampledCases).toBe(1);
    const res = await draw(auditId, { method: "simple", sizeBy: "number", size: "5", seed: "OTHER" });
    expect(res.status).toBe(400);
    expect(res.data.errors.method).toBe("The sample cannot be drawn again because scoring has started: 1 sampled case has answers. Add or exclude single cases with a reason instead");
    expect(await sampledRefs(auditId)).toEqual(before);
    expect((await db.selectFrom("samples").select("seed").where("audit_id", "=", auditId).executeTakeFirstOrThrow()).seed).toBe("HAND-SEED");
  });
});

describe("a redraw before scoring starts", () => {
  it("replaces the sample, returns hand additions the draw leaves out to the case list, keeps exclusions out, and clears assignments of cases that leave", async () => {
    const auditId = await createAudit(w);
    await importCases(db, w, auditId, Array.from({ length: 20 }, (_, i) => ({ ref: `R-${pad(i)}`, serviceId: w.serviceA })));
    expect((await draw(auditId, { method: "simple", sizeBy: "number", size: "5", seed: "FIRST" })).status).toBe(302);
    const cases = await casesOf(db, auditId);
    const excluded = [...cases.values()].find((c) => c.in_sample === 1)!;
    expect((await exclude(auditId, excluded.id, { reason: "Record cannot be found" })).status).toBe(302);
    const added = [...cases.values()].find((c) => c.in_sample === 0)!;
    expect((await addToSample(auditId, { caseRef: added.case_ref, reason: "Asked for" })).status).toBe(302);
    await db.updateTable("cases").set({ assigned_to: w.users.auditor.user.id }).where("audit_id", "=", auditId).where("in_sample", "=", 1).execute();

    expect((await draw(auditId, { method: "simple", sizeBy: "number", size: "5", seed: "SECOND" })).status).toBe(302);
    const refs = [...(await casesOf(db, auditId)).values()].filter((c) => c.case_ref !== excluded.case_ref).map((c) => c.case_ref);
    const expected = drawSample(refs, 5, "SECOND").sort();
    expect(await sampledRefs(auditId)).toEqual(expected);
    const after = await casesOf(db, auditId);
    expect(after.get(excluded.case_ref)!.excluded_at).not.toBeNull();
    expect(after.get(added.case_ref)!.sample_reason).toBeNull();
    for (const c of after.values()) if (c.in_sample === 0) expect(c.assigned_to).toBeNull();
    expect((await db.selectFrom("samples").selectAll().where("audit_id", "=", auditId).executeTakeFirstOrThrow()).population_size).toBe(19);
  });
});

describe("who may sample", () => {
  let auditId: number;
  let caseId: number;
  beforeAll(async () => {
    auditId = await createAudit(w);
    await importCases(db, w, auditId, [{ ref: "ROLE-001", serviceId: w.serviceA }]);
    const res = await addCaseByHand(w, auditId, "ROLE-002");
    caseId = Number(res.location!.split("/").pop());
  });

  it("lets administrators and auditors in, refuses reviewers and managers with 403, and sends signed-out users to sign in", async () => {
    const runs = [
      { name: "GET sample", run: (cookie?: string) => callLoader(samplePage.loader, `/audits/${auditId}/sample`, { cookie, params: p(auditId) }) },
      { name: "POST draw", run: (cookie?: string) => callAction(samplePage.action, `/audits/${auditId}/sample`, { intent: "draw" }, { cookie, params: p(auditId) }) },
      { name: "POST add to sample", run: (cookie?: string) => callAction(samplePage.action, `/audits/${auditId}/sample`, { intent: "add" }, { cookie, params: p(auditId) }) },
      { name: "GET exclude", run: (cookie?: string) => callLoader(excludePage.loader, `/audits/${auditId}/cases/${caseId}/exclude`, { cookie, params: p(auditId, { caseId: String(caseId) }) }) },
      { name: "POST exclude", run: (cookie?: string) => callAction(excludePage.action, `/audits/${auditId}/cases/${caseId}/exclude`, {}, { cookie, params: p(auditId, { caseId: String(caseId) }) }) },
    ];
    const allowed = ["admin", "auditor"];
    for (const r of runs) {
      for (const [role, u] of Object.entries(w.users)) {
        const res = await r.run(u.cookie);
        if (allowed.includes(role) || role === "auditor2") expect([200, 302, 400], `${r.name} as ${role}`).toContain(res.status);
        else expect(res.status, `${r.name} as ${role}`).toBe(403);
      }
      const anon = await r.run(undefined);
      expect(anon.status, `${r.name} signed out`).toBe(302);
      expect(anon.location).toMatch(/^\/sign-in\?redirectTo=/);
    }
  });

  it("refuses a post without the CSRF token", async () => {
    const res = await callAction(samplePage.action, `/audits/${auditId}/sample`, { intent: "draw", method: "simple", sizeBy: "number", size: "1", seed: "X" }, { cookie: w.users.auditor.cookie, params: p(auditId), csrf: false });
    expect(res.status).toBe(403);
    expect(await db.selectFrom("samples").select("id").where("audit_id", "=", auditId).executeTakeFirst()).toBeUndefined();
  });
});
