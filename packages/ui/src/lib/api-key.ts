/**
 * The API key the operator typed into the login prompt. It lives in sessionStorage: it survives a
 * reload but not the tab, and is never written to localStorage or a cookie.
 */
const STORAGE_KEY = "sluice.apiKey";

export function readApiKey(): string | undefined {
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}

export function storeApiKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetApiKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
