/**
 * Issue #11 (item 11): `aaaaaaaaaaaa` and `password1234` were accepted as passwords. New
 * passwords are now checked against a list of the most common passwords (from a maintained
 * package) and may not contain the person's name or email address.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startInstance, type Client, type Instance } from "./instance";

let app: Instance;
let admin: Client;
beforeAll(async () => {
  app = await startInstance();
  admin = await app.signedIn("administrator");
});
afterAll(async () => {
  await app?.dispose();
});

const errorOf = (html: string) => /nhsuk-error-summary__list"><li><a href="[^"]*">([^<]*)<\/a>/.exec(html)?.[1] ?? "";

const COMMON = "Password is too easy to guess: it is a common password or a simple pattern. Choose a different one, for example 3 or 4 random words";
const PERSONAL = "Password must not contain their name or email address";

let n = 0;
function addUser(password: string, { name = "Priya Sharma", email }: { name?: string; email?: string } = {}) {
  n += 1;
  return admin.post("/admin/users/new", { name, email: email ?? `new.person${n}@example.nhs.uk`, role: "auditor", password, confirmPassword: password });
}

describe("adding a user", () => {
  test.each([
    ["aaaaaaaaaaaa", COMMON],
    ["password1234", COMMON],
    ["Password1234", COMMON],
    ["qwertyuiop123", COMMON],
    ["123456789012", COMMON],
    ["abcdefghijkl", COMMON],
    ["abcabcabcabc", COMMON],
  ])("refuses %s", async (password) => {
    const reply = await addUser(password);
    expect(reply.status).toBe(400);
    expect(errorOf(reply.text)).toBe(COMMON);
  });

  test.each([
    ["the family name", "sharma lantern kettle"],
    ["the given name, in capitals", "PRIYA-copper-orbit-9"],
    ["the email address's name", "new.person-and-violet-tractor"],
  ])("refuses a password containing %s", async (_label, password) => {
    const reply = await addUser(password, { email: "new.person@example.nhs.uk" });
    expect(reply.status).toBe(400);
    expect(errorOf(reply.text)).toBe(PERSONAL);
  });

  test("accepts a passphrase, and nothing is saved for the refused ones", async () => {
    const reply = await addUser("granite orchard pebble violin");
    expect(reply.status).toBe(302);
    const list = await admin.get("/admin/users");
    expect(new Set(list.text.match(/new\.person\d*@example\.nhs\.uk/g))).toEqual(new Set([`new.person${n}@example.nhs.uk`]));
  });
});

describe("setting a new password for someone", () => {
  test("refuses a common one and one containing their name, accepts a passphrase", async () => {
    const target = `/admin/users/${app.users.reviewer.id}`;
    const common = await admin.post(target, { intent: "password", password: "password1234" });
    expect(common.status).toBe(400);
    expect(errorOf(common.text)).toBe(COMMON);
    const personal = await admin.post(target, { intent: "password", password: "reviewer rocks 2026" });
    expect(personal.status).toBe(400);
    expect(errorOf(personal.text)).toBe(PERSONAL);
    // The old password still works: nothing was changed.
    const reviewer = app.client();
    expect((await reviewer.post("/sign-in", { email: app.users.reviewer.email, password: app.users.reviewer.password })).status).toBe(302);
    const ok = await admin.post(target, { intent: "password", password: "saffron beacon tundra willow" });
    expect(ok.status).toBe(302);
  });
});
