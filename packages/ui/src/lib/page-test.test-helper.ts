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
export function openOn(server: UiTestServer, path = ""): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(server.url + path);
}

/** Calls the test server's API directly (setting up data and checking what the page did); throws unless 2xx. */
export async function api<T>(server: UiTestServer, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** The same as `api`, under the name some page tests use. */
export const request = api;

/** POSTs JSON to the test server; throws with the answer unless it is 2xx. */
export function post<T>(server: UiTestServer, path: string, body: unknown): Promise<T> {
  return api<T>(server, "POST", path, body);
}

/** Sets a control's value the way React notices (the native value setter, then the event). */
export function typeInto(
  element: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  text: string,
): void {
  const proto = Object.getPrototypeOf(element) as object;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the element as `this`
  const setter = Object.getOwnPropertyDescriptor(proto, "value")!.set!;
  act(() => {
    setter.call(element, text);
    element.dispatchEvent(
      new Event(element instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }),
    );
  });
}

/** Types `value` into an input or textarea and lets React handle it. */
export async function type(element: HTMLInputElement | HTMLTextAreaElement, value: string): Promise<void> {
  typeInto(element, value);
  await act(() => Promise.resolve());
}

/** Clicks an element and lets the resulting requests and renders run. */
export async function click(element: Element | null | undefined): Promise<void> {
  if (!(element instanceof HTMLElement))
    throw new Error(`nothing to click; the page shows: ${document.body.textContent}`);
  await act(async () => {
    element.click();
    await Promise.resolve();
  });
}

/** The message shown beside the control named `name` (its aria-describedby), or null. */
export function fieldErrorOf(container: HTMLElement, name: string): string | null {
  const control = container.querySelector(`[name="${name}"]`);
  const id = control?.getAttribute("aria-describedby");
  return id ? (container.querySelector(`#${CSS.escape(id)}`)?.textContent ?? null) : null;
}

/** The first element matching `selector` whose text contains `text`. */
export function withText<E extends Element = HTMLElement>(
  root: ParentNode,
  selector: string,
  text: string,
): E | undefined {
  return [...root.querySelectorAll<E>(selector)].find((e) => e.textContent?.includes(text));
}

/** Chooses an option of a <select> the way a user does. */
export async function choose(select: HTMLSelectElement, value: string): Promise<void> {
  await act(async () => {
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await Promise.resolve();
  });
}
