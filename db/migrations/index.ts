import type { Migration } from "kysely";
import * as foundation from "./20261123T0900-foundation";
import * as templateLibrary from "./20261123T1400-template-library";
import * as caseLists from "./20261123T1600-case-lists";
import * as qualityAssurance from "./20261123T1700-quality-assurance";
import * as apiTokens from "./20261123T1800-api-tokens";
import * as storedResults from "./20261123T1900-stored-results";
import * as signInAttempts from "./20261204T0900-sign-in-attempts";

/** In-code migration list: works inside the Remix server bundle and under tsx alike. */
export const migrations: Record<string, Migration> = {
  "20261123T0900-foundation": foundation,
  "20261123T1400-template-library": templateLibrary,
  "20261123T1600-case-lists": caseLists,
  "20261123T1700-quality-assurance": qualityAssurance,
  "20261123T1800-api-tokens": apiTokens,
  "20261123T1900-stored-results": storedResults,
  "20261204T0900-sign-in-attempts": signInAttempts,
};
