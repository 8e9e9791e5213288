import { describe, expect, it } from "vitest";
import { passwordProblem, personalMessage, TOO_COMMON } from "~/utils/password-policy.server";

const person = { name: "Priya Sharma", email: "p.sharma@example.nhs.uk" };

describe("passwords that are common or simple patterns", () => {
  it.each([
    "aaaaaaaaaaaa",
    "password1234",
    "Password1234!",
    "1234password",
    "P@ssw0rd2026",
    "qwertyuiop123",
    "123456789012",
    "098765432109",
    "abcdefghijkl",
    "lkjihgfedcba",
    "qwertyuiopas",
    "abcabcabcabc",
    "monkeymonkey",
    "abababababab",
    "1qaz2wsx3edc",
    "iloveyou2026",
    "football!!!!",
  ])("refuses %s", (password) => {
    expect(passwordProblem(password, person)).toBe(TOO_COMMON);
  });

  it.each(["correct horse battery staple", "granite orchard pebble violin", "violet tractor lantern harbour", "Tr0ub4dor&3-kettle", "long enough password"])(
    "accepts %s",
    (password) => {
      expect(passwordProblem(password, person)).toBeNull();
    },
  );
});

describe("passwords about the person", () => {
  it.each([
    ["the family name", "sharma lantern kettle"],
    ["the given name in capitals", "PRIYA-copper-orbit"],
    ["the name joined up", "copper priyasharma orbit"],
    ["the email address's name", "violet p.sharma tractor"],
  ])("refuses one containing %s", (_label, password) => {
    expect(passwordProblem(password, person)).toBe(personalMessage("their"));
    expect(passwordProblem(password, person, "your")).toBe("Password must not contain your name or email address");
  });

  it("ignores name parts shorter than 4 letters, which are too common inside words", () => {
    expect(passwordProblem("tomato atom bottom sky", { name: "Tom Li", email: "tom.li@example.nhs.uk" })).toBeNull();
    expect(passwordProblem("tomato atom tomli sky", { name: "Tom Li", email: "tom.li@example.nhs.uk" })).toBe(personalMessage("their"));
  });
});
