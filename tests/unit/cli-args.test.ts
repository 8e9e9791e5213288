import { describe, expect, it } from "vitest";
import { readArgs } from "~/cli/args";

describe("readArgs (Node's util.parseArgs with plain messages)", () => {
  const spec = { audit: { type: "string" }, json: { type: "boolean" } } as const;

  it("reads options and positionals", () => {
    expect(readArgs(["--audit", "12", "--json", "cases.csv"], spec)).toEqual({ values: { audit: "12", json: true }, positionals: ["cases.csv"] });
  });

  it("names an unknown option", () => {
    expect(readArgs(["--csv"], spec)).toBe("Unknown option --csv");
  });

  it("says which option is missing its value", () => {
    expect(readArgs(["--audit"], spec)).toBe("--audit needs a value");
  });
});
