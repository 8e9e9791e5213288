import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import nhsukStyles from "nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css";
import { useEffect, type ReactNode } from "react";
import appStyles from "~/styles/app.css";
import { can, ROLE_LABELS } from "~/lib/permissions";
import { getOptionalUser } from "~/utils/auth.server";
import { getCsrfToken } from "~/utils/csrf.server";
import { takeUnsuccessfulAttempts } from "~/utils/session.server";
import { useNonce } from "~/components/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: nhsukStyles },
  { rel: "stylesheet", href: appStyles },
  { rel: "icon", href: "/assets/images/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Safeguarding case-file audit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { db, user } = await getOptionalUser(request);
  // Told once, on the first page after signing in (issue #11: a stranger's guesses are no secret from the account holder).
  const unsuccessfulAttempts = user ? await takeUnsuccessfulAttempts(db, request) : 0;
  return { user, csrf: getCsrfToken(request) ?? "", unsuccessfulAttempts };
}

/** After signing in: how many unsuccessful attempts there were on the account since the user's previous sign-in. */
function UnsuccessfulAttemptsNotice({ count }: { count: number }) {
  return (
    <div className="nhsuk-warning-callout" data-testid="unsuccessful-attempts">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>Unsuccessful attempts to sign in
        </span>
      </h2>
      <p>{`There ${count === 1 ? "was 1 unsuccessful attempt" : `were ${count} unsuccessful attempts`} to sign in to your account since you last signed in. If this was not you, tell your administrator.`}</p>
    </div>
  );
}

function Header({ user }: { user: Awaited<ReturnType<typeof loader>>["user"] }) {
  const nav: { to: string; label: string }[] = [];
  if (user) {
    nav.push({ to: "/dashboard", label: "Dashboard" });
    nav.push({ to: "/audits", label: "Audits" });
    if (can(user.role, "editCases")) nav.push({ to: "/my-cases", label: "My cases" });
    if (can(user.role, "reviewQuality")) nav.push({ to: "/reviews", label: "IHA reviews" });
    nav.push({ to: "/actions", label: "Actions" });
    nav.push({ to: "/templates", label: "Templates" });
    if (can(user.role, "manageUsers")) nav.push({ to: "/admin", label: "Administration" });
  }
  return (
    <header className="nhsuk-header" data-module="nhsuk-header" role="banner">
      <div className="nhsuk-header__container nhsuk-width-container">
        <div className="nhsuk-header__service">
          <Link className="nhsuk-header__service-logo" to="/" aria-label="Safeguarding case-file audit homepage">
            <svg className="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS">
              <title>NHS</title>
              <path fill="currentcolor" d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z" />
            </svg>
            <span className="nhsuk-header__service-name">Safeguarding case-file audit</span>
          </Link>
        </div>
        {user && (
          <nav className="nhsuk-header__account" aria-label="Account">
            <ul className="nhsuk-header__account-list">
              <li className="nhsuk-header__account-item">
                <Link className="nhsuk-header__account-link" to="/account">
                  {`${user.name} (${ROLE_LABELS[user.role]})`}
                  <span className="nhsuk-u-visually-hidden">: your account</span>
                </Link>
              </li>
              <li className="nhsuk-header__account-item">
                <form className="nhsuk-header__account-form" method="post" action="/sign-out">
                  <CsrfHidden />
                  <button className="nhsuk-header__account-button" type="submit">
                    Sign out
                  </button>
                </form>
              </li>
            </ul>
          </nav>
        )}
      </div>
      {nav.length > 0 && (
        <nav className="nhsuk-header__navigation" aria-label="Menu">
          <div className="nhsuk-header__navigation-container nhsuk-width-container">
            <ul className="nhsuk-header__navigation-list">
              {nav.map((n) => (
                <li className="nhsuk-header__navigation-item" key={n.to}>
                  <Link className="nhsuk-header__navigation-link" to={n.to}>
                    {n.label}
                  </Link>
                </li>
              ))}
              <li className="nhsuk-header__menu" hidden>
                <button className="nhsuk-header__menu-toggle nhsuk-header__navigation-link" id="toggle-menu" aria-expanded="false" type="button">
                  <span className="nhsuk-u-visually-hidden">Browse </span>More
                </button>
              </li>
            </ul>
          </div>
        </nav>
      )}
    </header>
  );
}

function CsrfHidden() {
  const root = useRouteLoaderData<typeof loader>("root");
  return <input type="hidden" name="csrf" value={root?.csrf ?? ""} />;
}

function Document({ children, user, unsuccessfulAttempts = 0 }: { children: ReactNode; user?: Awaited<ReturnType<typeof loader>>["user"]; unsuccessfulAttempts?: number }) {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
    // An error page rendered on the client replaces <body>, losing the classes set by the inline script.
    document.body.classList.add("js-enabled");
    if ("noModule" in HTMLScriptElement.prototype) document.body.classList.add("nhsuk-frontend-supported");
    import("nhsuk-frontend").then(({ initAll }) => initAll()).catch(() => undefined);
  }, []);
  const nonce = useNonce();
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <script
          nonce={nonce}
          dangerouslySetInnerHTML={{
            __html: "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');",
          }}
        />
        <a className="nhsuk-skip-link" href="#maincontent">
          Skip to main content
        </a>
        <Header user={user ?? null} />
        <div className="nhsuk-width-container">
          <main className="nhsuk-main-wrapper" id="maincontent" role="main">
            {unsuccessfulAttempts > 0 && <UnsuccessfulAttemptsNotice count={unsuccessfulAttempts} />}
            {children}
          </main>
        </div>
        <footer role="contentinfo">
          <div className="nhsuk-footer">
            <div className="nhsuk-width-container">
              <p className="nhsuk-body-s">
                Case records hold pseudonymous references only. Never enter a child's name or NHS number.
              </p>
            </div>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { user, unsuccessfulAttempts } = useLoaderData<typeof loader>();
  return (
    <Document user={user} unsuccessfulAttempts={unsuccessfulAttempts}>
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const root = useRouteLoaderData<typeof loader>("root");
  let title = "Sorry, there is a problem with the service";
  let body = "Try again later.";
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = "Page not found";
      body = typeof error.data === "string" && error.data ? error.data : "If you typed the web address, check it is correct.";
    } else if (error.status === 403) {
      title = "You do not have permission to do this";
      body = typeof error.data === "string" && error.data ? error.data : "Ask an administrator if you need access.";
    } else if (error.status === 400) {
      title = "There is a problem with your request";
      body = typeof error.data === "string" ? error.data : body;
    }
  }
  return (
    <Document user={root?.user}>
      <title>{title}</title>
      <h1>{title}</h1>
      <p>{body}</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </Document>
  );
}
