import * as z from "zod/mini";
import { requiredText } from "./fields";

export const ProviderSchema = z.object({ name: requiredText("Enter the provider's name", { max: 120, label: "Provider name" }) });
export const ServiceSchema = z.object({ name: requiredText("Enter the service's name", { max: 120, label: "Service name" }) });
export const TeamSchema = z.object({ name: requiredText("Enter the team's name", { max: 120, label: "Team name" }) });
