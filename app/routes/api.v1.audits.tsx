/** GET /api/v1/audits: every audit (JSON) with its template version, period, services and case count. Token with viewAudits. */
import { listAuditsForApi } from "~/models/api.server";
import { apiLoader, apiMethodNotAllowed } from "~/utils/api.server";

export const loader = apiLoader("viewAudits", async ({ db }) => ({ audits: await listAuditsForApi(db) }));

export const action = apiMethodNotAllowed;
