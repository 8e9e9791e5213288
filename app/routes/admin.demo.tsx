import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary } from "~/components/form";
import { BackLink, Banner } from "~/components/ui";
import { DEFAULT_DEMO_TEMPLATES, generateDemoData, hasDemoData, removeDemoData } from "~/models/demo-data.server";
import { requireUser } from "~/utils/auth.server";
import { readForm } from "~/utils/csrf.server";
import { orInvalid } from "~/utils/validation.server";

export const meta: MetaFunction = () => [{ title: "Demonstration data – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db } = await requireUser(request, "manageOrganisation");
  const done = new URL(request.url).searchParams.get("done");
  return { loaded: await hasDemoData(db), done: done === "loaded" || done === "removed" ? done : null, templates: DEFAULT_DEMO_TEMPLATES };
}

/** Load or remove the fictional trust (the same generator as `npm run cli -- demo`). */
export async function action({ request }: ActionFunctionArgs) {
  const { db, user } = await requireUser(request, "manageOrganisation");
  const form = await readForm(request);
  const intent = form.get("intent");
  return orInvalid({ intent: String(intent) }, async () => {
    if (intent === "load") await generateDemoData(db, user, {});
    else if (intent === "remove") await removeDemoData(db, user);
    else throw new Response("Unknown request.", { status: 400 });
    return redirect(`/admin/demo?done=${intent === "load" ? "loaded" : "removed"}`);
  }, { field: "demo" });
}

export default function DemoData() {
  const { loaded, done, templates } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const error = actionData && "errors" in actionData ? (actionData.errors as Record<string, string>) : undefined;
  return (
    <>
      <BackLink to="/admin">Back to administration</BackLink>
      {error && <ErrorSummary errors={error} />}
      {done && !error && <Banner>{done === "loaded" ? "The demonstration data has been loaded." : "The demonstration data has been removed."}</Banner>}
      <h1>Demonstration data</h1>
      <p>
        A fictional trust with its services and teams and two years of quarterly audits ({templates.length} templates), with realistic variation: some services improving, one
        deteriorating. It lets a new team see the results, trends and charts at once.
      </p>
      <p>
        Everything it adds is marked: its providers are named “… (demonstration data)” and its audits start with “[Demo]”. Removing it deletes exactly that and nothing
        else. Every load and removal is in the audit log.
      </p>
      <div id="demo">
        {loaded ? (
          <>
            <p>
              Demonstration data is loaded. See the <Link to="/templates/lac-iha/trends">LAC IHA trends</Link> or the <Link to="/audits">audits</Link>.
            </p>
            <Form method="post">
              <CsrfInput />
              <Button name="intent" value="remove" warning>
                Remove the demonstration data
              </Button>
            </Form>
          </>
        ) : (
          <Form method="post">
            <CsrfInput />
            <Button name="intent" value="load">
              Load demonstration data
            </Button>
          </Form>
        )}
      </div>
    </>
  );
}
