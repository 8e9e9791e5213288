import { describe, expect, test } from "vitest";
import { formDataToObject } from "~/lib/form-data";

const form = (pairs: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of pairs) f.append(k, v);
  return f;
};

describe("formDataToObject", () => {
  test("nests dotted names and gathers repeated names", () => {
    const o = formDataToObject(form([["a.b", "1"], ["a.c", "2"], ["x", "1"], ["x", "2"]]));
    expect(JSON.parse(JSON.stringify(o))).toEqual({ a: { b: "1", c: "2" }, x: ["1", "2"] });
  });

  test.each(["__proto__.polluted", "constructor.prototype.polluted", "a.__proto__.polluted", "prototype.polluted", "__proto__", "a..b"])(
    "a field named %s is dropped and pollutes nothing",
    (name) => {
      const o = formDataToObject(form([[name, "yes"], ["ok", "1"]]), { arrays: [name] });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty("polluted");
      expect(Object.keys(o)).toEqual(["ok"]);
    },
  );

  test("the objects have no prototype, so no inherited key reads as a posted value", () => {
    const o = formDataToObject(form([["a.b", "1"]]));
    expect(Object.getPrototypeOf(o)).toBeNull();
    expect(Object.getPrototypeOf(o.a)).toBeNull();
    expect((o as Record<string, unknown>).toString).toBeUndefined();
  });
});
