/** Creating an API token (administrators): who it is for and a name to recognise it by. */
import * as z from "zod/mini";
import { idChoice, requiredText } from "./fields";

export const NewApiTokenSchema = z.object({
  userId: idChoice("Select the user the token is for"),
  name: requiredText("Enter a name for the token, for example Power BI compliance dashboard", { max: 100, label: "Name" }),
});

export type NewApiTokenInput = z.infer<typeof NewApiTokenSchema>;
