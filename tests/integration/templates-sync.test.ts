import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { createDb, migrateToLatest, type Db } from "../../db/client";
import { templatesCheck } from "~/cli/templates";
import {
  getTemplateVersion,
  listLatestTemplates,
  listTemplateVersions,
  loadTemplates,
  parseTemplateSource,
  readTemplateDir,
  syncTemplates,
  type LoadedTemplate,
} from "~/models/templates.server";

const MINIMAL = fs.readFileSync("tests/fixtures/templates/valid/minimal.yaml", "utf8");

let tmp: string;
let db: Db;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "templates-sync-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
beforeEach(async () => {
  db = createDb(path.join(tmp, `db-${++n}.sqlite`));
  await migrateToLatest(db);
});
afterEach(async () => {
  await db.destroy();
});

function load(source: string, file = "audit-templates/minimal.yaml"): LoadedTemplate {
  const result = parseTemplateSource(file, source);
  if ("problems" in result) throw new Error(JSON.stringify(result.problems));
  return result;
}

async function storedRows() {
  return db.selectFrom("template_versions").selectAll().orderBy("key").orderBy("version").execute();
}

describe("syncTemplates", () => {
  test("the first sync adds; the second finds it unchanged", async () => {
    const minimal = load(MINIMAL);
    expect(await syncTemplates(db, [minimal])).toEqual({ added: ["minimal@1"], unchanged: [], problems: [] });

    const rows = await storedRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: "minimal", version: 1, title: "Minimal template", content_hash: minimal.hash, source_file: "audit-templates/minimal.yaml" });
    expect(JSON.parse(rows[0].definition)).toEqual(minimal.template);
    expect(rows[0].loaded_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    expect(await syncTemplates(db, [load(MINIMAL)])).toEqual({ added: [], unchanged: ["minimal@1"], problems: [] });
    expect(await storedRows()).toHaveLength(1);
  });

  test("changed content under the same version is refused, and nothing at all is written", async () => {
    await syncTemplates(db, [load(MINIMAL)]);
    const before = await storedRows();

    const changed = load(MINIMAL.replace("title: Minimal template", "title: Minimal template, reworded"));
    const other = load(MINIMAL.replace("key: minimal", "key: brand-new"), "audit-templates/brand-new.yaml");
    const result = await syncTemplates(db, [changed, other]);

    expect(result.added).toEqual([]);
    expect(result.problems).toEqual([
      {
        file: "audit-templates/minimal.yaml",
        path: "version",
        message:
          "the content of minimal version 1 has changed but its version has not. " +
          "Raise version to 2 to publish the change (audits already using version 1 keep it).",
      },
    ]);
    // Not even the valid new template is published: one transaction, all or nothing.
    expect(await storedRows()).toEqual(before);
  });

  test("raising the version adds the new one and keeps the old", async () => {
    await syncTemplates(db, [load(MINIMAL)]);
    const v2 = load(MINIMAL.replace("version: 1", "version: 2").replace("title: Minimal template", "title: Minimal template v2"));
    expect(await syncTemplates(db, [v2])).toEqual({ added: ["minimal@2"], unchanged: [], problems: [] });

    const rows = await storedRows();
    expect(rows.map((r) => [r.version, r.title])).toEqual([
      [1, "Minimal template"],
      [2, "Minimal template v2"],
    ]);

    expect((await listTemplateVersions(db, "minimal")).map((v) => v.version)).toEqual([2, 1]);
    const latest = await listLatestTemplates(db);
    expect(latest).toHaveLength(1);
    expect(latest[0]).toMatchObject({ id: rows[1].id, key: "minimal", version: 2, title: "Minimal template v2", description: "The smallest template the schema accepts." });

    // Going back to version 1's exact content is fine (nothing new); new content as version 1 is not.
    expect((await syncTemplates(db, [load(MINIMAL)])).unchanged).toEqual(["minimal@1"]);
    const stale = await syncTemplates(db, [load(MINIMAL.replace("title: Minimal template", "title: Something else"))]);
    expect(stale.problems[0].message).toContain("Raise version to 3");
  });

  test("new content under a version lower than the latest published one is refused", async () => {
    await syncTemplates(db, [load(MINIMAL.replace("version: 1", "version: 3"))]);
    const result = await syncTemplates(db, [load(MINIMAL.replace("version: 1", "version: 2").replace("title: Minimal template", "title: Lower"))]);
    expect(result.added).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ path: "version" });
    expect(result.problems[0].message).toContain("version 3 is already published. Raise version to 4");
    expect((await storedRows()).map((r) => r.version)).toEqual([3]);
  });

  test("a dry run reports what would be added but writes nothing", async () => {
    const result = await syncTemplates(db, [load(MINIMAL)], { dryRun: true });
    expect(result.added).toEqual(["minimal@1"]);
    expect(await storedRows()).toEqual([]);
  });
});

describe("reading published versions", () => {
  test("getTemplateVersion returns the parsed template, and undefined for an unknown id", async () => {
    const minimal = load(MINIMAL);
    await syncTemplates(db, [minimal]);
    const [row] = await storedRows();

    const version = await getTemplateVersion(db, row.id);
    expect(version).toEqual({ id: row.id, key: "minimal", version: 1, title: "Minimal template", template: minimal.template });
    expect(version!.template.sections[0].criteria[0].noteRequiredFor).toEqual(["partial", "not_met"]);
    // Cached: the same parsed object comes back.
    expect((await getTemplateVersion(db, row.id))!.template).toBe(version!.template);

    expect(await getTemplateVersion(db, row.id + 1000)).toBeUndefined();
  });
});

describe("loadTemplates", () => {
  test("publishes the real audit-templates/ folder, then finds it unchanged", async () => {
    const first = await loadTemplates(db, "audit-templates");
    expect(first.problems).toEqual([]);
    expect(first.added).toContain("lac-iha@2");

    const second = await loadTemplates(db, "audit-templates");
    expect(second).toEqual({ problems: [], added: [], unchanged: first.added });

    const lac = (await listLatestTemplates(db)).find((t) => t.key === "lac-iha");
    expect(lac?.title).toBe("LAC Initial Health Assessment — quality and timeliness");
    const parsed = await getTemplateVersion(db, lac!.id);
    expect(parsed?.template.sections.flatMap((s) => s.criteria).length).toBe(lac!.criteriaCount);
    expect(lac!.criteriaCount).toBeGreaterThan(21);
  });

  test("a folder with any broken file publishes nothing, not even its valid files", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "mixed-"));
    fs.writeFileSync(path.join(dir, "good.yaml"), MINIMAL);
    fs.copyFileSync("tests/fixtures/templates/broken/missing-title.yaml", path.join(dir, "bad.yaml"));
    const result = await loadTemplates(db, dir);
    expect(result.added).toEqual([]);
    expect(result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(["title: is required"]);
    expect(await storedRows()).toEqual([]);
  });
});

describe("templatesCheck (npm run templates:check)", () => {
  let databaseUrl: string | undefined;
  let out: string[];
  let err: string[];
  beforeEach(() => {
    databaseUrl = process.env.DATABASE_URL;
    out = [];
    err = [];
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    if (databaseUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = databaseUrl;
  });

  test("returns 1 for the broken fixtures, printing each problem to stderr", async () => {
    process.env.DATABASE_URL = path.join(tmp, "does-not-exist.sqlite");
    expect(await templatesCheck("tests/fixtures/templates/broken")).toBe(1);
    expect(err.join("\n")).toContain("tests/fixtures/templates/broken/missing-title.yaml: title: is required");
    expect(err.at(-1)).toMatch(/problems in \d+ files/);
    expect(out.filter((l) => l.startsWith("✔"))).toEqual([]);
  });

  test("returns 0 for the real folder, and does not create a missing database", async () => {
    const missing = path.join(tmp, "not-created.sqlite");
    process.env.DATABASE_URL = missing;
    expect(await templatesCheck("audit-templates")).toBe(0);
    expect(out.find((l) => l.startsWith("✔ audit-templates/t01-lac-iha.yaml"))).toMatch(/^✔ audit-templates\/t01-lac-iha\.yaml: lac-iha version 2 \(\d+ criteria\)$/);
    expect(err).toEqual([]);
    expect(fs.existsSync(missing)).toBe(false);
  });

  test("with an existing database, refuses changed content under a published version without writing", async () => {
    const file = path.join(tmp, "published.sqlite");
    const pub = createDb(file);
    await migrateToLatest(pub);
    await loadTemplates(pub, "audit-templates");
    const before = await pub.selectFrom("template_versions").selectAll().execute();
    await pub.destroy();

    const dir = fs.mkdtempSync(path.join(tmp, "edited-"));
    fs.cpSync("audit-templates/modules", path.join(dir, "modules"), { recursive: true });
    const t01 = fs.readFileSync("audit-templates/t01-lac-iha.yaml", "utf8");
    expect(t01).toContain("auditedBy: Designated doctor or LAC named nurse");
    fs.writeFileSync(path.join(dir, "t01-lac-iha.yaml"), t01.replace("auditedBy: Designated doctor or LAC named nurse", "auditedBy: LAC named nurse"));
    process.env.DATABASE_URL = file;

    expect(await templatesCheck(dir)).toBe(1);
    expect(err.join("\n")).toContain("version: the content of lac-iha version 2 has changed but its version has not. Raise version to 3");

    expect(await templatesCheck("audit-templates")).toBe(0);
    expect(out.at(-1)).toContain(`checked against the published versions in ${file}`);

    const after = createDb(file);
    expect(await after.selectFrom("template_versions").selectAll().execute()).toEqual(before);
    await after.destroy();
  });
});

test("readTemplateDir labels files relative to the working directory", async () => {
  const { templates } = await readTemplateDir("audit-templates");
  expect(templates.every((t) => t.file.startsWith("audit-templates/"))).toBe(true);
});

describe("shared modules", () => {
  /** A folder with the real templates and modules, to edit a copy of. */
  function copyLibrary() {
    const dir = fs.mkdtempSync(path.join(tmp, "library-"));
    fs.cpSync("audit-templates", dir, { recursive: true });
    return dir;
  }

  test("editing a module criterion changes every template that includes it, which must each get a new version; audits keep the old", async () => {
    expect((await loadTemplates(db, "audit-templates")).problems).toEqual([]);
    const pinned = (await listLatestTemplates(db)).find((t) => t.key === "lac-iha")!;
    const before = (await getTemplateVersion(db, pinned.id))!.template;

    const dir = copyLibrary();
    const core = path.join(dir, "modules", "m-core.yaml");
    const text = fs.readFileSync(core, "utf8");
    const edited = text.replace(/(- id: core-voice-of-child\n\s+question: )(.+)/, "$1$2 (edited)");
    expect(edited).not.toBe(text);
    fs.writeFileSync(core, edited);

    const including = (await readTemplateDir(dir)).templates.filter((t) => t.template.sections.some((s) => s.criteria.some((c) => c.id === "core-voice-of-child")));
    expect(including.length).toBeGreaterThan(5);
    const result = await loadTemplates(db, dir);
    expect(result.added).toEqual([]);
    expect(result.problems.map((p) => p.file).sort()).toEqual(including.map((t) => t.file).sort());
    for (const p of result.problems) expect(p.message).toMatch(/has changed but its version has not/);
    // Nothing was written: the published version, and so every audit pinned to it, is as it was.
    expect((await getTemplateVersion(db, pinned.id))!.template).toEqual(before);
  });

  test("an include of a criterion no module has, extra keys beside include, and a module criterion written inline are each named", async () => {
    const { library } = await (await import("~/models/templates.server")).readModuleDir("audit-templates/modules");
    const source = (criteria: string) => `key: broken\nversion: 1\ntitle: Broken\ndescription: Broken on purpose.\ncaseTypes: [CHILD]\nsections:\n  - id: s\n    title: S\n    criteria:\n${criteria}`;
    const problems = (criteria: string) => {
      const r = parseTemplateSource("audit-templates/broken.yaml", source(criteria), library);
      return "problems" in r ? r.problems.map((p) => `${p.path}: ${p.message}`) : [];
    };
    expect(problems("      - include: core-no-such-thing\n")).toContain('sections[0].criteria[0].include: no shared module has a criterion "core-no-such-thing"');
    expect(problems("      - include: core-voice-of-child\n        question: Mine\n")).toContain(
      'sections[0].criteria[0]: unknown key "question" beside include: only applicableWhen can be set for an included criterion',
    );
    expect(problems("      - id: core-voice-of-child\n        question: Q\n        guidance: { met: M }\n        sources: [{ report: HAR, paragraph: x }]\n")[0]).toMatch(
      /^sections\[0\]\.criteria\[0\]\.id: "core-voice-of-child" is a criterion of the shared module in audit-templates\/modules\/m-core\.yaml: write "- include: core-voice-of-child"/,
    );
    // A module criterion that names case fields the template does not have is caught after composition.
    expect(problems("      - include: ref-timely\n").join("\n")).toMatch(/"concern_date" is not a date case field of this template/);
  });
});
