/**
 * Where the page tells the worker to fetch data from: the `baseUrl` of the `load-data` command. Computed
 * on the main thread, from the page's own URL (a worker's `location` is the script's URL, not the page's).
 */

/** The URL parameter choosing another data folder (used by the browser tests for damaged copies). */
export const DATA_PARAM = 'data';

/**
 * The `baseUrl` to pass to `load-data` (the worker's loadDataset fetches `${baseUrl}data/<name>/…`).
 *
 * Without the parameter: the folder of the page, so `data/<name>/…` resolves next to index.html
 * whatever sub-path the site is served from. With `?data=<folder>` (letters, digits, `-`, `_`): that
 * sub-folder of it, e.g. `?data=broken` → `<site>/broken/data/mnist/…`. Anything else is ignored.
 * @example resolveDataBase('https://x.org/lab/?data=broken') === 'https://x.org/lab/broken/'
 */
export function resolveDataBase(pageHref: string): string {
  const page = new URL(pageHref);
  const folder = page.searchParams.get(DATA_PARAM);
  const base = new URL('./', page);
  if (folder !== null && /^[A-Za-z0-9_-]+$/.test(folder)) return new URL(`${folder}/`, base).href;
  return base.href;
}
