import { useCallback, useEffect, useMemo, useState } from "react";
import { Layout } from "./components/Layout.js";
import { Login } from "./components/Login.js";
import { forgetApiKey, readApiKey, storeApiKey } from "./lib/api-key.js";
import { AppContext, browserClient } from "./lib/app-context.js";
import { UnauthorizedContext } from "./lib/auth-context.js";
import { useLocation } from "./lib/router.js";
import { ServerEventStream } from "./lib/server-events.js";
import { pageForPath } from "./pages/page-for-path.js";

/** The page for a path (pages/page-for-path.tsx), or "not found". */
function Page({ path }: { path: string }) {
  const page = pageForPath(path);
  if (page !== undefined) return page;
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
