import { createClient, SluiceApiError, type SluiceClient } from "@sluice/client";
import { createContext, useContext } from "react";
import type { ServerEventStream } from "./server-events.js";

/** What every page needs: the API client and the app's one live event stream. */
export interface AppServices {
  readonly client: SluiceClient;
  readonly events: ServerEventStream;
}

export const AppContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error("useServices must be used inside <AppContext.Provider>");
  return services;
}

/** A client for the server that served the page; few retries, so a down server shows quickly. */
export function browserClient(baseUrl: string, apiKey: string | undefined): SluiceClient {
  return createClient({ baseUrl, apiKey, retries: 1, timeoutMs: 15_000 });
}

/** True when the server refused the request for want of a (valid) API key. */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof SluiceApiError && error.status === 401;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
