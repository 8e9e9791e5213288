/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
import "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

declare module "@remix-run/server-runtime" {
  /** What app/cli/serve.ts passes to every loader, action and the document render. */
  interface AppLoadContext {
    /** This response's Content-Security-Policy nonce: every inline script must carry it. */
    cspNonce?: string;
  }
}
