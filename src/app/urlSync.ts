/**
 * The URL mirrors the config store (every setting, the seed included), so a link reproduces a setup and
 * back/forward work. How a state reads and writes is urlState.ts's; this file decides when: the first
 * state comes from the page's URL, every change the user makes is written (a slider drag replaces its
 * history entry instead of pushing one per step), and back/forward hands the URL's state to `onNavigate`.
 */
import { useConfigStore, type ConfigState } from '../store/config';
import { readUrlState, writeUrlState } from '../store/urlState';

/** Consecutive changes of the same setting within this time replace the history entry (slider drags). */
const DRAG_MS = 600;

export interface UrlEnv {
  /** The page's location (href, search). */
  location: { href: string; search: string; pathname: string; hash: string };
  history: {
    pushState(data: unknown, unused: string, url: string): void;
    replaceState(data: unknown, unused: string, url: string): void;
  };
  addPopStateListener(fn: () => void): void;
  now(): number;
}

export interface UrlSync {
  /** The state the page's URL describes (read once, at start). */
  readonly initial: ConfigState;
  /** Writes the config store into the URL; `changedKey` names what changed (drags of one key coalesce). */
  write(changedKey: string): void;
  /** The address's query string now. */
  search(): string;
  /** Goes to `search` as a link would: a new history entry (Back returns to where the user was). */
  go(search: string): void;
  /** Changes the address to `search` without a history entry (a view parameter such as presenter mode). */
  replace(search: string): void;
}

/** Starts listening to back/forward; `onNavigate` gets the state of the URL navigated to, and its query string. */
export function createUrlSync(env: UrlEnv, onNavigate: (next: ConfigState, search: string) => void): UrlSync {
  let lastChange: { key: string; at: number } | null = null;
  const urlOf = (search: string) => `${env.location.pathname}${search}${env.location.hash}`;

  function write(changedKey: string): void {
    const search = writeUrlState(useConfigStore.getState(), env.location.search);
    if (search === env.location.search) return;
    const url = urlOf(search);
    const now = env.now();
    const dragging = lastChange !== null && lastChange.key === changedKey && now - lastChange.at < DRAG_MS;
    if (dragging) env.history.replaceState(null, '', url);
    else env.history.pushState(null, '', url);
    lastChange = { key: changedKey, at: now };
  }

  env.addPopStateListener(() => {
    lastChange = null;
    onNavigate(readUrlState(env.location.search), env.location.search);
  });

  return {
    initial: readUrlState(env.location.search),
    write,
    search: () => env.location.search,
    go(search) {
      lastChange = null;
      if (search !== env.location.search) env.history.pushState(null, '', urlOf(search));
    },
    replace(search) {
      if (search !== env.location.search) env.history.replaceState(null, '', urlOf(search));
    },
  };
}
