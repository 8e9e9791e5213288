/**
 * Command-line options for the CLI commands, read by Node's own `util.parseArgs`; its errors
 * become one plain sentence for the user ("Unknown option --csv", "--audit needs a value").
 */
import { parseArgs } from "node:util";

type Spec = Record<string, { type: "string" | "boolean" }>;
type Values<S extends Spec> = { [K in keyof S]?: S[K]["type"] extends "boolean" ? boolean : string };

export function readArgs<S extends Spec>(args: string[], options: S): { values: Values<S>; positionals: string[] } | string {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Values<S>, positionals };
  } catch (error) {
    const e = error as Error & { code?: string };
    const option = /'(-[^ ']+)/.exec(e.message)?.[1];
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `Unknown option ${option ?? ""}`.trim();
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return `${option ?? "An option"} needs a value`;
    return e.message;
  }
}
