/** The actions the signed-in user owns, across all audits: overdue first, then by due date, done last. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ActionsTable } from "~/components/action-status";
import { sortForFollowUp } from "~/lib/actions";
import { todayInLondon } from "~/lib/dates";
import { listActions } from "~/models/actions.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "My actions – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await requireUser(request, "manageActions");
  const today = todayInLondon();
  const actions = sortForFollowUp(await listActions(db, { ownerUserId: user.id }, today), today);
  return { actions, overdue: actions.filter((a) => a.overdue).length };
}

export default function MyActions() {
  const { actions, overdue } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>My actions</h1>
      {actions.length === 0 ? (
        <p>You do not own any actions. When an action in an audit's action plan is given to you, it is listed here.</p>
      ) : (
        <>
          <p>
            {actions.length} {actions.length === 1 ? "action" : "actions"}
            {overdue > 0 ? `, ${overdue} overdue` : ""}. Overdue actions are listed first.
          </p>
          <ActionsTable caption="Your actions" captionHidden actions={actions} columns={{ audit: true, criterion: true }} />
        </>
      )}
    </>
  );
}
