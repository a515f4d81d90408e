import { createContext, useContext } from "react";

/** Called when a request is refused for want of an API key: the app shows the login prompt. */
export const UnauthorizedContext = createContext<() => void>(() => undefined);

export function useUnauthorized(): () => void {
  return useContext(UnauthorizedContext);
}
