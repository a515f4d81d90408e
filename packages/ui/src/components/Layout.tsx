import type { ReactNode } from "react";
import { Link, useLocation } from "../lib/router.js";

export const NAV_ITEMS: readonly { to: string; label: string }[] = [
  { to: "/", label: "Dashboard" },
  { to: "/runs", label: "Flow runs" },
  { to: "/deployments", label: "Deployments" },
  { to: "/work-pools", label: "Work pools" },
  { to: "/blocks", label: "Blocks" },
  { to: "/variables", label: "Variables" },
  { to: "/artifacts", label: "Artifacts" },
  { to: "/concurrency", label: "Concurrency" },
];

function isActive(to: string, path: string): boolean {
  return to === "/" ? path === "/" : path === to || path.startsWith(`${to}/`);
}

/** The page frame: the navigation on the left, the page on the right. */
export function Layout(props: { children: ReactNode; onSignOut?: (() => void) | undefined }) {
  const path = useLocation().split("?")[0] ?? "/";
  return (
    <div className="layout">
      <nav className="nav" aria-label="Main">
        <div className="brand">Sluice</div>
        <ul>
          {NAV_ITEMS.map((item) => (
            <li key={item.to}>
              <Link to={item.to} className={isActive(item.to, path) ? "active" : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
        <div className="nav-footer">
          <a href="/api/docs">API reference</a>
          {props.onSignOut && (
            <button type="button" className="link-button" onClick={props.onSignOut}>
              Sign out
            </button>
          )}
        </div>
      </nav>
      <main className="content">{props.children}</main>
    </div>
  );
}
