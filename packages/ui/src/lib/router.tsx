import { useSyncExternalStore, type MouseEvent, type ReactNode } from "react";

/**
 * A minimal history router: the pages are few and flat, so a path match per page is enough and
 * keeps the bundle small. The server answers every client route with index.html.
 */
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

const currentLocation = () => window.location.pathname + window.location.search;

/** The current path and query string, re-rendering on navigation. */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, currentLocation);
}

export function navigate(to: string): void {
  if (to === currentLocation()) return;
  window.history.pushState(null, "", to);
  for (const listener of listeners) listener();
}

/** An in-app link: a real <a> (middle click and copy work), handled without a page load. */
export function Link(props: { to: string; children: ReactNode; className?: string; testId?: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={props.to} onClick={onClick} className={props.className} data-testid={props.testId}>
      {props.children}
    </a>
  );
}
