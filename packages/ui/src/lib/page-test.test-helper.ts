import { act } from "react";
import type { UiTestServer } from "./test-server.test-helper.js";

/** Waits until `check` returns a value (the page renders asynchronously as answers arrive). */
export async function until<T>(check: () => T | null | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out; the page shows: ${document.body.textContent}`);
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
  }
}

/** Puts the page on the server's origin, as when the server serves the UI. */
export function openOn(server: UiTestServer, path: string): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(server.url + path);
}

/** Sends a JSON request to the test server; throws with the answer unless it is 2xx. */
export async function request<T>(
  server: UiTestServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Types `value` into an input or textarea the way React notices (its value tracker is bypassed). */
export async function type(element: HTMLInputElement | HTMLTextAreaElement, value: string): Promise<void> {
  await act(async () => {
    const proto =
      element instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the element as `this`
    const setter = Object.getOwnPropertyDescriptor(proto, "value")!.set!;
    setter.call(element, value);
    element.dispatchEvent(new Event("input", { bubbles: true }));
    await Promise.resolve();
  });
}

/** Clicks an element and lets React handle it. */
export async function click(element: Element | null | undefined): Promise<void> {
  if (!(element instanceof HTMLElement))
    throw new Error(`nothing to click; the page shows: ${document.body.textContent}`);
  await act(async () => {
    element.click();
    await Promise.resolve();
  });
}

/** The first element matching `selector` whose text contains `text`. */
export function withText<E extends Element = HTMLElement>(
  root: ParentNode,
  selector: string,
  text: string,
): E | undefined {
  return [...root.querySelectorAll<E>(selector)].find((e) => e.textContent?.includes(text));
}
