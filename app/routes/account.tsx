/**
 * Your account: who you are signed in as, and "Sign out everywhere" (every browser and device
 * at once), for a shared or lost device or a password someone else may know.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput } from "~/components/form";
import { SummaryList } from "~/components/ui";
import { ROLE_LABELS } from "~/lib/permissions";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Your account – Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request, "ownAccount");
  return { name: user.name, email: user.email, role: ROLE_LABELS[user.role] };
}

export default function Account() {
  const { name, email, role } = useLoaderData<typeof loader>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Your account</h1>
        <SummaryList
          rows={[
            { key: "Name", value: name },
            { key: "Email address", value: email },
            { key: "Role", value: role },
          ]}
        />
        <p>To change your name, email address, role or password, ask an administrator.</p>

        <h2>Sign out everywhere</h2>
        <p>
          This signs you out on every browser and device where you are signed in, including this one. Use it if you signed in on a shared or lost device. If
          you think someone else knows your password, also ask an administrator to set a new one.
        </p>
        <Form method="post" action="/sign-out">
          <CsrfInput />
          <input type="hidden" name="everywhere" value="yes" />
          <Button secondary>Sign out everywhere</Button>
        </Form>
      </div>
    </div>
  );
}
