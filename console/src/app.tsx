/**
 * @module console/app
 * The console's shell: sign-in when the server asks for the admin key, the navigation, the banners
 * every page shows, and the current page.
 */
import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from "react";
import { api, errorMessage, optionalApi, UNAUTHORIZED_EVENT } from "./api/client.js";
import type { Session } from "./api/types.js";
import { useResource } from "./api/use-resource.js";
import { Banners } from "./components/banners.js";
import { EmptyState, ErrorText, Loading } from "./components/feedback.js";
import { Toasts } from "./components/toasts.js";
import { ApiKeysPage } from "./pages/api-keys-page.js";
import { ConnectPage } from "./pages/connect-page.js";
import { DefaultsPage } from "./pages/defaults-page.js";
import { LoginPage } from "./pages/login-page.js";
import { ModelsPage } from "./pages/models-page.js";
import { RoutingPage } from "./pages/routing-page.js";
import { navigate, usePath } from "./router.js";

interface PageEntry {
  path: string;
  label: string;
  render: () => ReactNode;
}

const HOME = "/settings/api-keys";

const PAGES: readonly PageEntry[] = [
  { path: HOME, label: "API keys", render: () => <ApiKeysPage /> },
  { path: "/settings/models", label: "Models", render: () => <ModelsPage /> },
  { path: "/settings/defaults", label: "Defaults", render: () => <DefaultsPage /> },
  { path: "/settings/routing", label: "Routing", render: () => <RoutingPage /> },
  { path: "/settings/connect", label: "Connect your app", render: () => <ConnectPage /> },
];

function NavLink({ page, current }: { page: PageEntry; current: boolean }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    // Let the browser handle new-tab and new-window clicks.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    navigate(page.path);
  };
  return (
    <a href={page.path} aria-current={current ? "page" : undefined} onClick={onClick}>
      {page.label}
    </a>
  );
}

/** `undefined` session: the server has no sign-in (no `/api/session` route), so nothing to sign in to. */
type SessionState = { phase: "loading" } | { phase: "failed"; message: string } | { phase: "ready"; session: Session | undefined };

function useSession(): [SessionState, () => void] {
  const [state, setState] = useState<SessionState>({ phase: "loading" });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    optionalApi<Session>("GET", "/api/session").then(
      (session) => current && setState({ phase: "ready", session }),
      (error: unknown) => current && setState({ phase: "failed", message: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [generation]);
  useEffect(() => {
    const signedOut = (): void => setState({ phase: "ready", session: { auth_required: true, authenticated: false } });
    window.addEventListener(UNAUTHORIZED_EVENT, signedOut);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, signedOut);
  }, []);
  return [state, () => setGeneration((value) => value + 1)];
}

function Shell({ session, onSignedOut }: { session: Session | undefined; onSignedOut: () => void }) {
  const path = usePath();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  // Routing is hidden until its API exists on this server (it answers 404 before that).
  const routing = useResource(() => optionalApi("GET", "/api/routes").then((body) => body !== undefined));
  const pages = PAGES.filter((page) => page.path !== "/settings/routing" || routing.data === true);
  const page = path === "/" || path === "/settings" || path === "/settings/" ? PAGES[0] : PAGES.find((entry) => entry.path === path);

  useEffect(() => {
    if (path === "/" || path === "/settings" || path === "/settings/") navigate(HOME, { replace: true });
  }, [path]);
  useEffect(() => {
    document.title = page === undefined ? "Not found · Switchyard" : `${page.label} · Switchyard`;
    // After a navigation (not on first load), move focus to the new page, as a page load would.
    if (firstRender.current) firstRender.current = false;
    else {
      mainRef.current?.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
  }, [page]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a
          className="brand"
          href={HOME}
          onClick={(event) => {
            event.preventDefault();
            navigate(HOME);
          }}
        >
          <img src="/favicon.svg" alt="" width="24" height="24" />
          Switchyard
        </a>
        <nav aria-label="Settings">
          {pages.map((entry) => (
            <NavLink key={entry.path} page={entry} current={entry === page} />
          ))}
        </nav>
        {session?.auth_required === true ? (
          <button type="button" className="small" onClick={() => void api("DELETE", "/api/session").finally(onSignedOut)}>
            Sign out
          </button>
        ) : null}
      </header>
      <Banners />
      <main id="main" ref={mainRef} tabIndex={-1}>
        {page === undefined ? (
          <EmptyState title="There is no such page">
            <button type="button" className="primary" onClick={() => navigate(HOME)}>
              Go to API keys
            </button>
          </EmptyState>
        ) : (
          page.render()
        )}
      </main>
      <Toasts />
    </>
  );
}

/** The whole console. */
export function App() {
  const [state, reload] = useSession();
  if (state.phase === "loading") return <Loading label="Connecting to Switchyard…" />;
  if (state.phase === "failed") {
    return (
      <main className="login">
        <div className="card login-card">
          <h1>Switchyard is not answering</h1>
          <ErrorText message={state.message} />
          <button type="button" className="primary" onClick={reload}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (state.session?.auth_required === true && !state.session.authenticated) return <LoginPage onSignedIn={reload} />;
  return <Shell session={state.session} onSignedOut={reload} />;
}
