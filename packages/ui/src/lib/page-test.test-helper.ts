import { act } from "react";
import type { UiTestServer } from "./test-server.test-helper.js";

/** Waits until `check` returns a value (pages render asynchronously as answers arrive). */
export async function until<T>(check: () => T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out; the page shows: ${document.body.textContent}`);
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
  }
}

/** Puts the page on the server's origin, as when the server serves the UI (no cross-origin requests). */
export function openOn(server: UiTestServer): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(server.url);
}

/** POSTs JSON to the test server, failing with the answer's text unless it is 2xx. */
export async function post<T>(server: UiTestServer, path: string, body: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Clicks an element inside act(), letting React handle the event. */
export async function click(element: HTMLElement): Promise<void> {
  await act(async () => {
    element.click();
    await Promise.resolve();
  });
}

/** Chooses an option of a <select> the way a user does. */
export async function choose(select: HTMLSelectElement, value: string): Promise<void> {
  await act(async () => {
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await Promise.resolve();
  });
}
