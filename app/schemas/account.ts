import * as z from "zod/mini";
import { ROLES } from "../../db/schema";
import { checkboxValues, choice, email, newPassword, requiredText } from "./fields";

export const SignInSchema = z.object({
  email,
  password: z.string({ error: "Enter your password" }).check(z.minLength(1, "Enter your password")),
  redirectTo: z.optional(z.string()),
});

const roleField = choice(ROLES, "Select a role");

const passwordPair = z.object({
  name: requiredText("Enter the person's full name", { max: 100, label: "Name" }),
  email,
  password: newPassword,
  confirmPassword: z.string({ error: "Enter the password again" }).check(z.minLength(1, "Enter the password again")),
});

const passwordsMatch = z.refine<{ password: string; confirmPassword: string }>((v) => v.password === v.confirmPassword, {
  message: "Passwords do not match. Enter the same password twice",
  path: ["confirmPassword"],
});

/** The first-run page's single "Load demonstration data" box: ticked ("yes") → true; absent → false. */
const loadDemo = z.pipe(
  checkboxValues(),
  z.transform((v) => v.includes("yes")),
);

export const FirstAdminSchema = z.extend(passwordPair, { loadDemo }).check(passwordsMatch);

export const NewUserSchema = z.extend(passwordPair, { role: roleField }).check(passwordsMatch);

export const ChangeRoleSchema = z.object({ role: roleField });

export const ResetPasswordSchema = z.object({ password: newPassword });

export type SignInInput = z.infer<typeof SignInSchema>;
export type FirstAdminInput = z.infer<typeof FirstAdminSchema>;
export type NewUserInput = z.infer<typeof NewUserSchema>;
