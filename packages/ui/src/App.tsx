import { useCallback, useEffect, useMemo, useState } from "react";
import { Layout, NAV_ITEMS } from "./components/Layout.js";
import { Login } from "./components/Login.js";
import { forgetApiKey, readApiKey, storeApiKey } from "./lib/api-key.js";
import { AppContext, browserClient } from "./lib/app-context.js";
import { UnauthorizedContext } from "./lib/auth-context.js";
import { useLocation } from "./lib/router.js";
import { ServerEventStream } from "./lib/server-events.js";
import { ComingSoon } from "./pages/ComingSoon.js";
import { Dashboard } from "./pages/Dashboard.js";
import { FlowRunDetail } from "./pages/FlowRunDetail.js";
import { FlowRuns } from "./pages/FlowRuns.js";
import { TaskRunDetail } from "./pages/TaskRunDetail.js";

/**
 * The page for a path: /, /runs, /runs/{id} (FLOW_RUN_PAGE_PATH), /task-runs/{id}, and the pages
 * still to come.
 */
function Page({ path }: { path: string }) {
  const run = /^\/runs\/([^/]+)\/?$/.exec(path);
  if (run?.[1]) return <FlowRunDetail key={run[1]} id={decodeURIComponent(run[1])} />;
  const taskRun = /^\/task-runs\/([^/]+)\/?$/.exec(path);
  if (taskRun?.[1]) return <TaskRunDetail key={taskRun[1]} id={decodeURIComponent(taskRun[1])} />;
  if (path === "/") return <Dashboard />;
  if (path === "/runs" || path === "/runs/") return <FlowRuns />;
  const item = NAV_ITEMS.find((i) => i.to === path);
  if (item) return <ComingSoon title={item.label} />;
  return (
    <div>
      <h1>Not found</h1>
      <p className="muted">There is no page at {path}.</p>
    </div>
  );
}

/**
 * The app: one API client and one live event stream for every page, rebuilt when the API key
 * changes; the login prompt replaces the pages while the server refuses the key.
 */
export function App({ baseUrl = window.location.origin }: { baseUrl?: string }) {
  const [apiKey, setApiKey] = useState(readApiKey);
  const [needsLogin, setNeedsLogin] = useState(false);
  const [loginFailed, setLoginFailed] = useState(false);
  const services = useMemo(() => {
    const keyNow = apiKey;
    return {
      client: browserClient(baseUrl, keyNow),
      events: new ServerEventStream(
        baseUrl,
        () => keyNow,
        () => {
          setLoginFailed(keyNow !== undefined);
          setNeedsLogin(true);
        },
      ),
    };
  }, [baseUrl, apiKey]);
  useEffect(() => {
    if (needsLogin) return;
    services.events.start();
    return () => services.events.stop();
  }, [services, needsLogin]);
  const onUnauthorized = useCallback(() => {
    setLoginFailed(apiKey !== undefined);
    setNeedsLogin(true);
  }, [apiKey]);
  const path = useLocation().split("?")[0] ?? "/";
  if (needsLogin) {
    return (
      <Login
        failed={loginFailed}
        onSubmit={(key) => {
          storeApiKey(key);
          setApiKey(key);
          setNeedsLogin(false);
        }}
      />
    );
  }
  const signOut =
    apiKey === undefined
      ? undefined
      : () => {
          forgetApiKey();
          setApiKey(undefined);
          setLoginFailed(false);
          setNeedsLogin(true);
        };
  return (
    <AppContext.Provider value={services}>
      <UnauthorizedContext.Provider value={onUnauthorized}>
        <Layout onSignOut={signOut}>
          <Page path={path} />
        </Layout>
      </UnauthorizedContext.Provider>
    </AppContext.Provider>
  );
}
