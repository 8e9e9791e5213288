/**
 * The Content-Security-Policy nonce of the response being rendered. The server makes a new one
 * for every response (app/cli/serve.ts) and entry.server.tsx provides it here, so the document's
 * inline scripts can carry it. In the browser it is empty: scripts are never added after hydration.
 */
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export const useNonce = () => useContext(NonceContext);
