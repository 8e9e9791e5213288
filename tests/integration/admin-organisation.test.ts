import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as organisation from "~/routes/admin.organisation._index";
import * as providerPage from "~/routes/admin.providers.$providerId";
import * as servicePage from "~/routes/admin.services.$serviceId";
import {
  createProvider,
  createService,
  createTeam,
  DuplicateNameError,
  listProviders,
  listServices,
  listServicesWithTeams,
  listTeams,
  renameTeam,
} from "~/models/organisation.server";
import type { Db } from "~/utils/db.server";
import { callAction, callLoader, useTempDb, userWithSession } from "./helpers";

let env: Awaited<ReturnType<typeof useTempDb>>;
let db: Db;
let admin: Awaited<ReturnType<typeof userWithSession>>;

beforeAll(async () => {
  env = await useTempDb();
  db = env.db;
  admin = await userWithSession(db, "administrator", { email: "org-admin@example.nhs.uk" });
});
afterAll(async () => env.cleanup());

const logsFor = (entity: string, id: number | string) =>
  db.selectFrom("audit_log").selectAll().where("entity", "=", entity).where("entity_id", "=", String(id)).orderBy("id").execute();

let providerId: number;
let serviceId: number;

describe("providers", () => {
  it("lists no providers at first", async () => {
    const res = await callLoader(organisation.loader, "/admin/organisation", { cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(res.data.providers).toEqual([]);
  });

  it("adds a provider, logs it and opens its page", async () => {
    const res = await callAction(organisation.action, "/admin/organisation", { name: "  Northshire NHS Trust " }, { cookie: admin.cookie });
    expect(res.status).toBe(302);
    const row = await db.selectFrom("providers").selectAll().executeTakeFirstOrThrow();
    providerId = row.id;
    expect(row.name).toBe("Northshire NHS Trust");
    expect(res.location).toBe(`/admin/providers/${providerId}?added=provider`);
    const [log] = await logsFor("provider", providerId);
    expect(log).toMatchObject({ action: "create", user_id: admin.user.id });
    expect(JSON.parse(log.after!).name).toBe("Northshire NHS Trust");
    const page = await callLoader(providerPage.loader, res.location!, { cookie: admin.cookie, params: { providerId: String(providerId) } });
    expect(page.status).toBe(200);
    expect(page.data.provider.name).toBe("Northshire NHS Trust");
    expect(page.data.notice).toMatch(/has been added/);
  });

  it("refuses an empty or duplicate provider name (ignoring case) with a message next to the field", async () => {
    const empty = await callAction(organisation.action, "/admin/organisation", { name: "   " }, { cookie: admin.cookie });
    expect(empty.status).toBe(400);
    expect(empty.data.errors.name).toBe("Enter the provider's name");
    const dup = await callAction(organisation.action, "/admin/organisation", { name: "northshire nhs trust" }, { cookie: admin.cookie });
    expect(dup.status).toBe(400);
    expect(dup.data.errors).toEqual({ name: "A provider called northshire nhs trust already exists" });
    expect(dup.data.values.name).toBe("northshire nhs trust");
    const long = await callAction(organisation.action, "/admin/organisation", { name: "x".repeat(121) }, { cookie: admin.cookie });
    expect(long.data.errors.name).toBe("Provider name must be 120 characters or less");
    expect(await db.selectFrom("providers").select("id").execute()).toHaveLength(1);
    await expect(createProvider(db, null, { name: "NORTHSHIRE NHS TRUST" })).rejects.toBeInstanceOf(DuplicateNameError);
  });

  it("renames a provider, logging before and after, and refuses a name another provider has", async () => {
    await createProvider(db, null, { name: "Southshire Community Health" });
    const params = { providerId: String(providerId) };
    const dup = await callAction(providerPage.action, `/admin/providers/${providerId}`, { intent: "rename", providerName: "Southshire Community Health" }, { cookie: admin.cookie, params });
    expect(dup.status).toBe(400);
    expect(dup.data.errors).toEqual({ providerName: "A provider called Southshire Community Health already exists" });
    const res = await callAction(providerPage.action, `/admin/providers/${providerId}`, { intent: "rename", providerName: "Northshire Healthcare NHS Trust" }, { cookie: admin.cookie, params });
    expect(res.location).toBe(`/admin/providers/${providerId}?renamed=1`);
    const log = (await logsFor("provider", providerId)).find((l) => l.action === "rename")!;
    expect(JSON.parse(log.before!).name).toBe("Northshire NHS Trust");
    expect(JSON.parse(log.after!).name).toBe("Northshire Healthcare NHS Trust");
    // Changing only the case of its own name is allowed.
    const recase = await callAction(providerPage.action, `/admin/providers/${providerId}`, { intent: "rename", providerName: "Northshire healthcare NHS Trust" }, { cookie: admin.cookie, params });
    expect(recase.status).toBe(302);
    await callAction(providerPage.action, `/admin/providers/${providerId}`, { intent: "rename", providerName: "Northshire Healthcare NHS Trust" }, { cookie: admin.cookie, params });
  });

  it("answers 404 for an unknown provider", async () => {
    for (const id of ["9999", "nope"]) {
      expect((await callLoader(providerPage.loader, `/admin/providers/${id}`, { cookie: admin.cookie, params: { providerId: id } })).status).toBe(404);
      expect((await callAction(providerPage.action, `/admin/providers/${id}`, { intent: "add-service", name: "X" }, { cookie: admin.cookie, params: { providerId: id } })).status).toBe(404);
    }
  });
});

describe("services", () => {
  it("adds a service to a provider and logs it", async () => {
    const params = { providerId: String(providerId) };
    const res = await callAction(providerPage.action, `/admin/providers/${providerId}`, { intent: "add-service", name: "Health visiting" }, { cookie: admin.cookie, params });
    expect(res.status).toBe(302);
    const row = await db.selectFrom("services").selectAll().where("name", "=", "Health visiting").executeTakeFirstOrThrow();
    serviceId = row.id;
    expect(row.provider_id).toBe(providerId);
    expect(res.location).toBe(`/admin/providers/${providerId}?service=${serviceId}`);
    const [log] = await logsFor("service", serviceId);
    expect(log.action).toBe("create");
    const page = await callLoader(providerPage.loader, res.location!, { cookie: admin.cookie, params });
    expect(page.data.services).toEqual([{ id: serviceId, name: "Health visiting", teamCount: 0 }]);
    expect(page.data.notice).toBe("Health visiting has been added.");
    expect((await listProviders(db)).find((p) => p.id === providerId)!.service_count).toBe(1);
  });

  it("refuses a duplicate service name under the same provider, but allows it under another", async () => {
    const params = { providerId: String(providerId) };
    const dup = await callAction(providerPage.action, `/admin/providers/${providerId}`, { intent: "add-service", name: "health visiting" }, { cookie: admin.cookie, params });
    expect(dup.status).toBe(400);
    expect(dup.data.errors).toEqual({ name: "A service called health visiting already exists for this provider" });
    expect(dup.data.values).toMatchObject({ intent: "add-service", name: "health visiting" });
    const empty = await callAction(providerPage.action, `/admin/providers/${providerId}`, { intent: "add-service", name: "" }, { cookie: admin.cookie, params });
    expect(empty.data.errors.name).toBe("Enter the service's name");
    const other = (await listProviders(db)).find((p) => p.name === "Southshire Community Health")!;
    expect(await createService(db, null, other.id, { name: "Health visiting" })).toMatchObject({ name: "Health visiting", provider_id: other.id });
    expect((await listServices(db, providerId)).map((s) => s.name)).toEqual(["Health visiting"]);
    expect(await listServices(db)).toHaveLength(2);
  });

  it("renames a service and refuses a sibling's name", async () => {
    await createService(db, null, providerId, { name: "Emergency department" });
    const params = { serviceId: String(serviceId) };
    const dup = await callAction(servicePage.action, `/admin/services/${serviceId}`, { intent: "rename", serviceName: "Emergency Department" }, { cookie: admin.cookie, params });
    expect(dup.status).toBe(400);
    expect(dup.data.errors).toEqual({ serviceName: "A service called Emergency Department already exists for this provider" });
    const res = await callAction(servicePage.action, `/admin/services/${serviceId}`, { intent: "rename", serviceName: "Health visiting 0-19" }, { cookie: admin.cookie, params });
    expect(res.location).toBe(`/admin/services/${serviceId}?renamed=1`);
    const log = (await logsFor("service", serviceId)).find((l) => l.action === "rename")!;
    expect(JSON.parse(log.before!).name).toBe("Health visiting");
    expect(JSON.parse(log.after!).name).toBe("Health visiting 0-19");
  });

  it("answers 404 for an unknown service", async () => {
    expect((await callLoader(servicePage.loader, "/admin/services/9999", { cookie: admin.cookie, params: { serviceId: "9999" } })).status).toBe(404);
    expect((await callAction(servicePage.action, "/admin/services/9999", { intent: "add-team", name: "X" }, { cookie: admin.cookie, params: { serviceId: "9999" } })).status).toBe(404);
  });
});

describe("teams", () => {
  it("adds teams to a service, logs them and refuses duplicates in the same service", async () => {
    const params = { serviceId: String(serviceId) };
    const res = await callAction(servicePage.action, `/admin/services/${serviceId}`, { intent: "add-team", name: "North locality" }, { cookie: admin.cookie, params });
    expect(res.status).toBe(302);
    const team = await db.selectFrom("teams").selectAll().where("name", "=", "North locality").executeTakeFirstOrThrow();
    expect(team.service_id).toBe(serviceId);
    expect(res.location).toBe(`/admin/services/${serviceId}?team=${team.id}`);
    expect((await logsFor("team", team.id))[0].action).toBe("create");
    const dup = await callAction(servicePage.action, `/admin/services/${serviceId}`, { intent: "add-team", name: "NORTH LOCALITY" }, { cookie: admin.cookie, params });
    expect(dup.status).toBe(400);
    expect(dup.data.errors).toEqual({ name: "A team called NORTH LOCALITY already exists in this service" });
    const empty = await callAction(servicePage.action, `/admin/services/${serviceId}`, { intent: "add-team", name: " " }, { cookie: admin.cookie, params });
    expect(empty.data.errors.name).toBe("Enter the team's name");
    await callAction(servicePage.action, `/admin/services/${serviceId}`, { intent: "add-team", name: "South locality" }, { cookie: admin.cookie, params });
    const page = await callLoader(servicePage.loader, `/admin/services/${serviceId}?team=${team.id}`, { cookie: admin.cookie, params });
    expect(page.data.teams.map((t: { name: string }) => t.name)).toEqual(["North locality", "South locality"]);
    expect(page.data.service).toMatchObject({ providerId, providerName: "Northshire Healthcare NHS Trust" });
    expect(page.data.notice).toBe("North locality has been added.");
    // The same team name is fine in another service.
    const ed = (await listServices(db, providerId)).find((s) => s.name === "Emergency department")!;
    expect(await createTeam(db, null, ed.id, { name: "North locality" })).toBeTruthy();
    expect(await createTeam(db, null, 9999, { name: "Nowhere" })).toBeNull();
  });

  it("renames a team in this service only, refusing a sibling's name", async () => {
    const params = { serviceId: String(serviceId) };
    const [north, south] = await listTeams(db, serviceId);
    const dup = await callAction(servicePage.action, `/admin/services/${serviceId}`, { intent: "rename-team", teamId: String(north.id), newTeamName: "south locality" }, { cookie: admin.cookie, params });
    expect(dup.status).toBe(400);
    expect(dup.data.errors).toEqual({ newTeamName: "A team called south locality already exists in this service" });
    const none = await callAction(servicePage.action, `/admin/services/${serviceId}`, { intent: "rename-team", teamId: "", newTeamName: "" }, { cookie: admin.cookie, params });
    expect(none.data.errors).toEqual({ teamId: "Select the team to rename", newTeamName: "Enter the new name for the team" });
    const otherServiceTeam = (await db.selectFrom("teams").select("id").where("service_id", "!=", serviceId).executeTakeFirstOrThrow()).id;
    const foreign = await callAction(servicePage.action, `/admin/services/${serviceId}`, { intent: "rename-team", teamId: String(otherServiceTeam), newTeamName: "Hijacked" }, { cookie: admin.cookie, params });
    expect(foreign.status).toBe(400);
    expect(foreign.data.errors.teamId).toBe("Select the team to rename");
    const res = await callAction(servicePage.action, `/admin/services/${serviceId}`, { intent: "rename-team", teamId: String(south.id), newTeamName: "South and central locality" }, { cookie: admin.cookie, params });
    expect(res.location).toBe(`/admin/services/${serviceId}?team=${south.id}&renamed=1`);
    const log = (await logsFor("team", south.id)).find((l) => l.action === "rename")!;
    expect(JSON.parse(log.before!).name).toBe("South locality");
    expect(JSON.parse(log.after!).name).toBe("South and central locality");
    await expect(renameTeam(db, null, south.id, { name: "North Locality" })).rejects.toBeInstanceOf(DuplicateNameError);
  });

  it("lists every service with its provider and teams for other forms", async () => {
    const all = await listServicesWithTeams(db);
    const hv = all.find((s) => s.id === serviceId)!;
    expect(hv).toMatchObject({ name: "Health visiting 0-19", provider_id: providerId, provider_name: "Northshire Healthcare NHS Trust" });
    expect(hv.teams.map((t) => t.name)).toEqual(["North locality", "South and central locality"]);
    expect(all.map((s) => `${s.provider_name} / ${s.name}`)).toEqual([
      "Northshire Healthcare NHS Trust / Emergency department",
      "Northshire Healthcare NHS Trust / Health visiting 0-19",
      "Southshire Community Health / Health visiting",
    ]);
  });

  it("refuses posts without the CSRF field", async () => {
    const count = (await db.selectFrom("teams").select("id").execute()).length;
    const res = await callAction(servicePage.action, `/admin/services/${serviceId}`, { intent: "add-team", name: "Forged" }, { cookie: admin.cookie, params: { serviceId: String(serviceId) }, csrf: false });
    expect(res.status).toBe(403);
    expect((await callAction(organisation.action, "/admin/organisation", { name: "Forged" }, { cookie: admin.cookie, csrf: false })).status).toBe(403);
    expect((await db.selectFrom("teams").select("id").execute()).length).toBe(count);
    expect(await db.selectFrom("providers").select("id").where("name", "=", "Forged").execute()).toHaveLength(0);
  });
});
