import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { formatProblems, parseTemplateSource, readTemplateDir, templateHash, type LoadedTemplate } from "~/models/templates.server";
import { TemplateSchema } from "~/schemas/template";

const FIXTURES = "tests/fixtures/templates";
const BROKEN = `${FIXTURES}/broken`;

/** Each broken fixture and the one problem it must give, as `path: message`. */
const EXPECTED: Record<string, string> = {
  "amber-above-green.yaml": "rag.amber: must not be higher than rag.green",
  "bad-rule-field.yaml": 'sections[0].criteria[0].rule.to: "request_received" is not a date case field of this template',
  "duplicate-criterion-id.yaml": 'sections[1].criteria[0].id: "voice" is used by more than one criterion',
  "empty.yaml": "(file): is empty",
  "missing-field-type.yaml": "caseFields[0].type: is required",
  "missing-sources.yaml": "sections[1].criteria[0].sources: must list at least 1 source",
  "missing-title.yaml": "title: is required",
  "not-a-date-field.yaml": 'caseFields[1].notBefore: "placement" is not a date case field of this template',
  "rule-answer-not-allowed.yaml": 'sections[0].criteria[0].answers: must include "partial", which the iha_timeliness rule can give',
  "unknown-answer.yaml": "sections[0].criteria[0].answers[1]: must be one of met, partial, not_met, na",
  "unknown-key.yaml": 'sections[0].criteria[0]: unknown key "weight"',
  "version-zero.yaml": "version: must be 1 or more",
  "yaml-syntax.yaml": "(file): is not valid YAML at line 7, column 1",
};

function parseFixture(file: string) {
  return parseTemplateSource(file, fs.readFileSync(file, "utf8"));
}

describe("broken template fixtures", () => {
  test("every fixture in the folder has an expected problem (and no expectation is stale)", () => {
    expect(fs.readdirSync(BROKEN).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(Object.entries(EXPECTED))("%s fails with “%s”", (name, expected) => {
    const result = parseFixture(`${BROKEN}/${name}`);
    if (!("problems" in result)) throw new Error(`${name} was accepted`);
    expect(result.problems).toHaveLength(1);
    const [problem] = result.problems;
    expect(problem.file).toBe(`${BROKEN}/${name}`);
    expect(`${problem.path}: ${problem.message}`).toContain(expected);
  });

  test("readTemplateDir reports every broken file, labelled with its relative path, and loads none", async () => {
    const { templates, problems } = await readTemplateDir(BROKEN);
    expect(templates).toEqual([]);
    const lines = formatProblems(problems).split("\n");
    for (const [name, expected] of Object.entries(EXPECTED)) {
      expect(lines.some((l) => l.startsWith(`${BROKEN}/${name}: `) && l.includes(expected))).toBe(true);
    }
  });
});

describe("the minimal valid template", () => {
  const result = parseFixture(`${FIXTURES}/valid/minimal.yaml`);

  test("passes, with every default filled in", () => {
    if ("problems" in result) throw new Error(formatProblems(result.problems));
    const { template } = result;
    expect(template.rag).toEqual({ green: 90, amber: 75 });
    expect(template.partialCredit).toBe(0);
    expect(template.answers).toEqual(["met", "partial", "not_met", "na"]);
    expect(template.caseFields).toEqual([]);
    const criterion = template.sections[0].criteria[0];
    expect(criterion.answers).toEqual(["met", "partial", "not_met", "na"]);
    expect(criterion.noteRequiredFor).toEqual(["partial", "not_met"]);
    expect(criterion.sources).toEqual([{ report: "HAR", paragraph: "§4.4", recommendation: "R10.2" }]);
  });

  test("hashes the validated template, independent of key order", () => {
    if ("problems" in result) throw new Error(formatProblems(result.problems));
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
    const reordered = Object.fromEntries(Object.entries(result.template).reverse()) as typeof result.template;
    expect(templateHash(reordered)).toBe(result.hash);
    expect(templateHash({ ...result.template, title: "Another title" })).not.toBe(result.hash);
  });

  test("noteRequiredFor keeps only answers the criterion allows", () => {
    const input = {
      key: "x",
      version: 1,
      title: "T",
      description: "D",
      caseTypes: ["LAC"],
      sections: [
        {
          id: "s",
          title: "S",
          criteria: [{ id: "c", question: "Q?", guidance: { met: "M" }, answers: ["met", "not_met"], sources: [{ report: "HAR", paragraph: "§1" }] }],
        },
      ],
    };
    const parsed = TemplateSchema.parse(input);
    expect(parsed.sections[0].criteria[0].noteRequiredFor).toEqual(["not_met"]);
  });
});

describe("readTemplateDir on a folder", () => {
  const dirs: string[] = [];
  function tempDir(files: Record<string, string>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "templates-"));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  }
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  const minimal = fs.readFileSync(`${FIXTURES}/valid/minimal.yaml`, "utf8");

  test("reads .yaml and .yml files and ignores others", async () => {
    const dir = tempDir({ "a.yaml": minimal, "b.yml": minimal.replace("key: minimal", "key: other"), "notes.txt": "not a template" });
    const { templates, problems } = await readTemplateDir(dir);
    expect(problems).toEqual([]);
    expect(templates.map((t: LoadedTemplate) => t.template.key)).toEqual(["minimal", "other"]);
  });

  test("two files with the same key is a problem naming both files", async () => {
    const dir = tempDir({ "a.yaml": minimal, "b.yaml": minimal.replace("version: 1", "version: 2") });
    const { templates, problems } = await readTemplateDir(dir);
    expect(templates).toHaveLength(1);
    expect(problems).toHaveLength(1);
    expect(problems[0].file).toMatch(/b\.yaml$/);
    expect(problems[0].path).toBe("key");
    expect(problems[0].message).toMatch(/"minimal" is also the key of .*a\.yaml/);
  });

  test("an empty folder is a problem", async () => {
    const dir = tempDir({ "readme.md": "nothing here" });
    const { templates, problems } = await readTemplateDir(dir);
    expect(templates).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain("has no templates");
  });

  test("a folder that does not exist is a problem", async () => {
    const { problems } = await readTemplateDir(path.join(os.tmpdir(), "no-such-templates-folder-x"));
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain("does not exist");
  });
});

test("formatProblems writes one `<file>: <path>: <message>` line per problem", () => {
  expect(
    formatProblems([
      { file: "audit-templates/x.yaml", path: "sections[1].criteria[0].sources", message: "must list at least 1 source" },
      { file: "audit-templates/y.yaml", path: "(file)", message: "is empty" },
    ]),
  ).toBe("audit-templates/x.yaml: sections[1].criteria[0].sources: must list at least 1 source\naudit-templates/y.yaml: (file): is empty");
});
