/**
 * Server rendering. Pages here have no deferred data, so the whole document is rendered before it
 * is sent (simpler, and right for screen readers and print). A 400 document is a form shown again
 * with validation errors, after a post without JavaScript: GOV.UK asks for "Error: " before its
 * title, which a meta function cannot do because it never sees the action's data.
 *
 * Every inline script (Remix's context and hydration, React's, the root's body-class script)
 * carries the response's CSP nonce from the server (`loadContext.cspNonce`).
 */
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/components/nonce";

const ABORT_DELAY = 5_000;

export function prefixErrorTitle(html: string): string {
  return html.replace(/<title>(?!Error: )/, "<title>Error: ");
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext = {},
) {
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let failed = false;
    const app = (
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>
    );
    const { pipe, abort } = renderToPipeableStream(app, {
      nonce,
      onAllReady() {
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        const body = new PassThrough();
        if (responseStatusCode === 400) {
          const chunks: Buffer[] = [];
          const collector = new PassThrough();
          collector.on("data", (c: Buffer) => chunks.push(c));
          collector.on("end", () => body.end(prefixErrorTitle(Buffer.concat(chunks).toString("utf8"))));
          pipe(collector);
        } else {
          pipe(body);
        }
        resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: failed ? 500 : responseStatusCode }));
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        failed = true;
        console.error(error);
      },
    });
    setTimeout(abort, ABORT_DELAY);
  });
}
