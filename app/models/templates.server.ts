/**
 * Audit templates: YAML files in `audit-templates/` (validated by `~/schemas/template`)
 * published into `template_versions`, where every key@version is immutable once stored.
 *
 * Start-up and `npm run templates:check` both go through readTemplateDir + syncTemplates,
 * so the CLI reports exactly what the server would refuse.
 */
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { ModuleSchema, TemplateSchema, type Module, type Template } from "~/schemas/template";
import type { Family } from "~/lib/families";
import type { Db } from "~/utils/db.server";
import { nowIso } from "~/utils/time.server";

export type LoadedTemplate = {
  /** Path relative to the working directory, with "/" separators, e.g. audit-templates/t01-lac-iha.yaml. */
  file: string;
  template: Template;
  /** SHA-256 (hex) of the canonical JSON of the validated template. */
  hash: string;
};

export type TemplateProblem = {
  file: string;
  /** Where in the file, e.g. "sections[0].criteria[2].sources", or "(file)" for the file as a whole. */
  path: string;
  message: string;
};

export type SyncResult = {
  /** key@version published by this sync (or, in a dry run, that would be). */
  added: string[];
  /** key@version already published with the same content. */
  unchanged: string[];
  problems: TemplateProblem[];
};

const FILE = "(file)";
const TEMPLATE_FILE = /\.ya?ml$/i;

// ---------------------------------------------------------------------------
// Reading and validating files

/** Reads and validates every *.yaml / *.yml file in `dir` (not its sub-folders). */
export async function readTemplateDir(
  dir: string = process.env.TEMPLATES_DIR || "audit-templates",
): Promise<{ templates: LoadedTemplate[]; problems: TemplateProblem[] }> {
  const shownDir = displayPath(dir);
  let names: string[];
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    names = entries
      .filter((e) => e.isFile() && TEMPLATE_FILE.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read (${(error as Error).message})`;
    return { templates: [], problems: [{ file: shownDir, path: FILE, message: `the templates folder ${reason}` }] };
  }
  if (names.length === 0) {
    return {
      templates: [],
      problems: [{ file: shownDir, path: FILE, message: "the templates folder has no templates (no .yaml or .yml files)" }],
    };
  }

  const { library, problems } = await readModuleDir(path.join(dir, MODULES_DIR));
  const templates: LoadedTemplate[] = [];
  const fileByKey = new Map<string, string>();
  for (const name of names) {
    const file = displayPath(path.join(dir, name));
    const result = parseTemplateSource(file, await fs.readFile(path.join(dir, name), "utf8"), library);
    if ("problems" in result) {
      problems.push(...result.problems);
      continue;
    }
    const other = fileByKey.get(result.template.key);
    if (other) {
      problems.push({
        file,
        path: "key",
        message: `"${result.template.key}" is also the key of ${other}: each template key must be in one file only`,
      });
      continue;
    }
    fileByKey.set(result.template.key, file);
    templates.push(result);
  }
  return { templates, problems };
}

/** Shared module criteria by id, as included by templates. */
export type ModuleLibrary = Map<string, { module: Module; file: string; criterion: Module["criteria"][number] }>;

const MODULES_DIR = "modules";

/**
 * Reads and validates every shared module in `dir` (audit-templates/modules). A missing
 * folder is an empty library: templates then cannot include anything.
 */
export async function readModuleDir(dir: string): Promise<{ library: ModuleLibrary; problems: TemplateProblem[] }> {
  const library: ModuleLibrary = new Map();
  const problems: TemplateProblem[] = [];
  let names: string[];
  try {
    names = (await fs.readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && TEMPLATE_FILE.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { library, problems };
    return { library, problems: [{ file: displayPath(dir), path: FILE, message: `the modules folder cannot be read (${(error as Error).message})` }] };
  }
  const fileByModule = new Map<string, string>();
  for (const name of names) {
    const file = displayPath(path.join(dir, name));
    const parsed = parseYaml(file, await fs.readFile(path.join(dir, name), "utf8"));
    if ("problems" in parsed) {
      problems.push(...parsed.problems);
      continue;
    }
    const result = ModuleSchema.safeParse(parsed.data, { reportInput: true, error: readableDefault });
    if (!result.success) {
      problems.push(...result.error.issues.map((issue) => issueToProblem(file, issue)));
      continue;
    }
    const m = result.data;
    const other = fileByModule.get(m.module);
    if (other) {
      problems.push({ file, path: "module", message: `"${m.module}" is also the id of ${other}: each module id must be in one file only` });
      continue;
    }
    fileByModule.set(m.module, file);
    m.criteria.forEach((criterion, i) => {
      const clash = library.get(criterion.id);
      if (clash) {
        problems.push({ file, path: `criteria[${i}].id`, message: `"${criterion.id}" is also a criterion of ${clash.file}: criterion ids must be unique across modules` });
      } else {
        library.set(criterion.id, { module: m, file, criterion });
      }
    });
  }
  return { library, problems };
}

/**
 * Replaces each `- include: <criterion id>` in a template's sections with that module
 * criterion (plus the template's own `applicableWhen`, if given) and lists the modules used.
 * The composed result is what is validated, hashed and pinned: editing a module changes the
 * hash of every template that includes it, so each must be given a new version.
 */
function compose(file: string, data: unknown, library: ModuleLibrary): { data: unknown; problems: TemplateProblem[] } {
  if (!data || typeof data !== "object" || Array.isArray(data)) return { data, problems: [] };
  const problems: TemplateProblem[] = [];
  const raw = data as Record<string, unknown>;
  if ("modules" in raw) problems.push({ file, path: "modules", message: "is filled in by the app from the included criteria: remove it" });
  const used = new Map<string, Module>();
  const sections = Array.isArray(raw.sections)
    ? raw.sections.map((section: unknown, si: number) => {
        if (!section || typeof section !== "object" || !Array.isArray((section as { criteria?: unknown }).criteria)) return section;
        const criteria = (section as { criteria: unknown[] }).criteria.map((item, ci) => {
          const at = `sections[${si}].criteria[${ci}]`;
          if (!item || typeof item !== "object") return item;
          const entry = item as Record<string, unknown>;
          if (!("include" in entry)) {
            const shared = typeof entry.id === "string" ? library.get(entry.id) : undefined;
            if (shared) {
              problems.push({ file, path: `${at}.id`, message: `"${entry.id}" is a criterion of the shared module in ${shared.file}: write "- include: ${entry.id}" instead of repeating it` });
            }
            return item;
          }
          const extra = Object.keys(entry).filter((k) => k !== "include" && k !== "applicableWhen");
          if (extra.length > 0) {
            problems.push({ file, path: at, message: `unknown ${extra.length === 1 ? "key" : "keys"} ${extra.map((k) => `"${k}"`).join(", ")} beside include: only applicableWhen can be set for an included criterion` });
          }
          const shared = typeof entry.include === "string" ? library.get(entry.include) : undefined;
          if (!shared) {
            problems.push({ file, path: `${at}.include`, message: `no shared module has a criterion "${String(entry.include)}"` });
            return item;
          }
          used.set(shared.module.module, shared.module);
          return { ...shared.criterion, module: shared.module.module, ...("applicableWhen" in entry ? { applicableWhen: entry.applicableWhen } : {}) };
        });
        return { ...(section as object), criteria };
      })
    : raw.sections;
  const composed: Record<string, unknown> = { ...raw, sections };
  if (used.size > 0 && !("modules" in raw)) composed.modules = [...used.values()].map((m) => ({ module: m.module, title: m.title }));
  return { data: composed, problems };
}

function parseYaml(file: string, source: string): { data: unknown } | { problems: TemplateProblem[] } {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const at = e.linePos?.[0];
        // yaml's message repeats the position and quotes the source; keep its first sentence only.
        const what = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        return { file, path: FILE, message: `is not valid YAML${at ? ` at line ${at.line}, column ${at.col}` : ""}: ${what}` };
      }),
    };
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return { problems: [{ file, path: FILE, message: "is empty" }] };
  return { data };
}

/**
 * Parses, composes (with the shared modules in `library`) and validates the text of one
 * template file. `file` is only used to label the result.
 */
export function parseTemplateSource(file: string, source: string, library: ModuleLibrary = new Map()): LoadedTemplate | { problems: TemplateProblem[] } {
  const yaml = parseYaml(file, source);
  if ("problems" in yaml) return yaml;
  const composed = compose(file, yaml.data, library);
  const parsed = TemplateSchema.safeParse(composed.data, { reportInput: true, error: readableDefault });
  const problems = [...composed.problems, ...(parsed.success ? [] : parsed.error.issues.map((issue) => issueToProblem(file, issue)))];
  if (!parsed.success || problems.length > 0) return { problems };
  return { file, template: parsed.data, hash: templateHash(parsed.data) };
}

type Issue = z.core.$ZodIssue & { input?: unknown };

/** One zod issue as a problem with a readable path and message. */
function issueToProblem(file: string, issue: Issue): TemplateProblem {
  const where = formatPath(issue.path);
  // With reportInput, an absent key has input undefined; YAML `key:` with nothing after it gives null.
  if (issue.code === "invalid_type" && (issue.input === undefined || issue.input === null)) {
    return { file, path: where, message: where === FILE ? "is empty" : "is required" };
  }
  if (issue.code === "invalid_type" && issue.path.length === 0) {
    return { file, path: FILE, message: "must be a YAML mapping of template settings (key: value lines)" };
  }
  if (issue.code === "invalid_union" && "discriminator" in issue && issue.discriminator) {
    const input = issue.input as Record<string, unknown> | undefined;
    if (input && typeof input === "object" && !(issue.discriminator in input)) {
      return { file, path: where, message: "is required" };
    }
  }
  return { file, path: where, message: issue.message };
}

/**
 * Messages for the checks the schema leaves to zod's defaults ("Too small: expected array
 * to have >=2 items"). Messages written in the schema take precedence over these.
 */
function readableDefault(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "unrecognized_keys": {
      const keys = issue.keys.map((k) => `"${k}"`).join(", ");
      return `${issue.keys.length === 1 ? "unknown key" : "unknown keys"} ${keys}: check the spelling, or remove ${issue.keys.length === 1 ? "it" : "them"}`;
    }
    case "invalid_type":
      return `must be ${describeType(issue.expected)}`;
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
      return bound(issue.origin, Number(issue.minimum), issue.inclusive ?? true, "min");
    case "too_big":
      return bound(issue.origin, Number(issue.maximum), issue.inclusive ?? true, "max");
    default:
      return undefined;
  }
}

function describeType(expected: string): string {
  return (
    { string: "text", number: "a number", int: "a whole number", boolean: "true or false", array: "a list", object: "a mapping (key: value lines)" }[
      expected
    ] ?? expected
  );
}

function bound(origin: string, n: number, inclusive: boolean, side: "min" | "max"): string | undefined {
  if (origin === "array") return side === "min" ? `must list at least ${n}` : `must list no more than ${n}`;
  if (origin === "string") return side === "min" ? (n <= 1 ? "must not be empty" : `must be at least ${n} characters`) : `must be ${n} characters or less`;
  if (origin === "number") {
    if (side === "min") return inclusive ? `must be ${n} or more` : `must be more than ${n}`;
    return inclusive ? `must be ${n} or less` : `must be less than ${n}`;
  }
  return undefined;
}

/** ["sections", 1, "criteria", 0, "sources"] → "sections[1].criteria[0].sources". */
function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const s of segments) out += typeof s === "number" ? `[${s}]` : `${out ? "." : ""}${String(s)}`;
  return out || FILE;
}

/** Relative to the working directory when inside it (the usual case), else absolute; always "/". */
function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), path.resolve(p));
  const shown = rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? path.resolve(p) : rel;
  return shown.split(path.sep).join("/");
}

/** JSON with object keys sorted at every level, so equal templates always hash alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function templateHash(template: Template): string {
  return createHash("sha256").update(canonicalJson(template)).digest("hex");
}

/** One line per problem: `<file>: <path>: <message>`. */
export function formatProblems(problems: TemplateProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join("\n");
}

// ---------------------------------------------------------------------------
// Publishing into template_versions

/**
 * Publishes each key@version not yet stored. A stored key@version is immutable: changed
 * content under the same version, or new content under a version lower than the latest
 * stored one, is a problem. Nothing is written unless there are no problems at all, and
 * nothing at all with `dryRun` (what `templates:check` uses against a live database).
 */
export async function syncTemplates(db: Db, loaded: LoadedTemplate[], { dryRun = false }: { dryRun?: boolean } = {}): Promise<SyncResult> {
  return db.transaction().execute(async (trx) => {
    const keys = [...new Set(loaded.map((l) => l.template.key))];
    const stored =
      keys.length === 0
        ? []
        : await trx.selectFrom("template_versions").select(["key", "version", "content_hash"]).where("key", "in", keys).execute();

    const added: string[] = [];
    const unchanged: string[] = [];
    const problems: TemplateProblem[] = [];
    const toInsert: LoadedTemplate[] = [];
    const fileByKey = new Map<string, string>();

    for (const l of loaded) {
      const { key, version } = l.template;
      const other = fileByKey.get(key);
      if (other) {
        problems.push({ file: l.file, path: "key", message: `"${key}" is also the key of ${other}: each template key must be in one file only` });
        continue;
      }
      fileByKey.set(key, l.file);

      const versions = stored.filter((s) => s.key === key);
      const latest = Math.max(0, ...versions.map((s) => s.version));
      const same = versions.find((s) => s.version === version);
      if (same) {
        if (same.content_hash === l.hash) {
          unchanged.push(`${key}@${version}`);
        } else {
          problems.push({
            file: l.file,
            path: "version",
            message:
              `the content of ${key} version ${version} has changed but its version has not. ` +
              `Raise version to ${latest + 1} to publish the change (audits already using version ${version} keep it).`,
          });
        }
      } else if (version < latest) {
        problems.push({
          file: l.file,
          path: "version",
          message:
            `${key} version ${version} is new content but version ${latest} is already published. ` +
            `Raise version to ${latest + 1} to publish it (versions are never reused or inserted below the latest).`,
        });
      } else {
        toInsert.push(l);
        added.push(`${key}@${version}`);
      }
    }

    if (problems.length > 0) return { added: [], unchanged, problems };
    if (!dryRun && toInsert.length > 0) {
      const loadedAt = nowIso();
      await trx
        .insertInto("template_versions")
        .values(
          toInsert.map((l) => ({
            key: l.template.key,
            version: l.template.version,
            title: l.template.title,
            content_hash: l.hash,
            definition: JSON.stringify(l.template),
            source_file: l.file,
            loaded_at: loadedAt,
          })),
        )
        .execute();
    }
    return { added, unchanged, problems };
  });
}

/**
 * Reads the templates folder and publishes new versions. Any problem (reading or
 * publishing) means nothing is written; the publishing checks still run, so every
 * problem is reported at once.
 */
export async function loadTemplates(db: Db, dir?: string): Promise<SyncResult> {
  const read = await readTemplateDir(dir);
  const sync = await syncTemplates(db, read.templates, { dryRun: read.problems.length > 0 });
  const problems = [...read.problems, ...sync.problems];
  return { problems, added: problems.length > 0 ? [] : sync.added, unchanged: sync.unchanged };
}

// ---------------------------------------------------------------------------
// Queries

export type TemplateVersionSummary = {
  id: number;
  key: string;
  version: number;
  title: string;
  description: string;
  auditedBy: string | null;
  caseTypes: string[];
  criteriaCount: number;
  modules: { module: string; title: string }[];
  /** Criteria in the headline families, in template order. */
  families: { family: Family; criterionId: string; question: string }[];
};

/** The latest version of each template, ordered by title. */
export async function listLatestTemplates(db: Db): Promise<TemplateVersionSummary[]> {
  const rows = await db
    .selectFrom("template_versions as tv")
    .select(["tv.id", "tv.key", "tv.version", "tv.title", "tv.definition"])
    .where(({ eb, selectFrom }) =>
      eb(
        "tv.version",
        "=",
        selectFrom("template_versions as newer")
          .select(({ fn }) => fn.max("newer.version").as("max"))
          .whereRef("newer.key", "=", "tv.key"),
      ),
    )
    .orderBy("tv.title")
    .orderBy("tv.key")
    .execute();
  return rows.map((r) => {
    const t = cachedDefinition(db, r.id, r.definition);
    const criteria = t.sections.flatMap((s) => s.criteria);
    return {
      id: r.id,
      key: r.key,
      version: r.version,
      title: r.title,
      description: t.description,
      auditedBy: t.auditedBy ?? null,
      caseTypes: t.caseTypes,
      criteriaCount: criteria.length,
      modules: t.modules ?? [],
      families: criteria.flatMap((c) => (c.family ? [{ family: c.family, criterionId: c.id, question: c.question }] : [])),
    };
  });
}

/** Every published version of one template, newest first. */
export async function listTemplateVersions(db: Db, key: string) {
  const rows = await db
    .selectFrom("template_versions")
    .select(["id", "key", "version", "title", "content_hash", "source_file", "loaded_at"])
    .where("key", "=", key)
    .orderBy("version", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    version: r.version,
    title: r.title,
    contentHash: r.content_hash,
    sourceFile: r.source_file,
    loadedAt: r.loaded_at,
  }));
}

export type TemplateVersion = { id: number; key: string; version: number; title: string; template: Template };

/** One published version with its parsed template, or undefined if there is no such id. */
export async function getTemplateVersion(db: Db, id: number): Promise<TemplateVersion | undefined> {
  const row = await db
    .selectFrom("template_versions")
    .select(["id", "key", "version", "title", "definition"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, key: row.key, version: row.version, title: row.title, template: cachedDefinition(db, row.id, row.definition) };
}

/**
 * Parsed definitions by id. Versions are immutable, so a parse is never stale; keyed by
 * database handle too, because separate databases (tests) reuse ids.
 */
const definitions = new WeakMap<object, Map<number, Template>>();

function cachedDefinition(db: Db, id: number, definition: string): Template {
  let byId = definitions.get(db);
  if (!byId) definitions.set(db, (byId = new Map()));
  let template = byId.get(id);
  if (!template) {
    // Stored only after TemplateSchema validation (syncTemplates), so the JSON is a Template.
    template = JSON.parse(definition) as Template;
    byId.set(id, template);
  }
  return template;
}

/** One published version by key and version number. */
export async function getTemplateVersionByKey(db: Db, key: string, version: number): Promise<TemplateVersion | undefined> {
  if (!Number.isInteger(version) || version <= 0) return undefined;
  const row = await db.selectFrom("template_versions").select("id").where("key", "=", key).where("version", "=", version).executeTakeFirst();
  return row ? getTemplateVersion(db, row.id) : undefined;
}

/** The audits pinned to each version of a template, newest first (for administrators). */
export async function listAuditsByTemplateVersion(db: Db, key: string) {
  return db
    .selectFrom("audits")
    .innerJoin("template_versions as tv", "tv.id", "audits.template_version_id")
    .select(["audits.id", "audits.title", "audits.status", "audits.period_start", "audits.period_end", "tv.version"])
    .where("tv.key", "=", key)
    .orderBy("tv.version", "desc")
    .orderBy("audits.created_at", "desc")
    .execute();
}
