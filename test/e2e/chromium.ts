/**
 * Which Chromium the browser tests drive, and how (see TOOLCHAIN.md, "A browser for the tests").
 *
 * Order: $CHROMIUM_PATH → /usr/bin/chromium (Debian's; what .ci/run installs) → a browser Playwright
 * knows (its own download, or an installed Google Chrome) → otherwise THROW with how to get one.
 * The tests never skip silently for want of a browser.
 */

import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from 'playwright-core';

/**
 * Without the networking flags Chromium's background connections are refused by a closed network and
 * slow everything down; no --user-data-dir (Playwright rejects it: each context gets a fresh profile).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Google Chrome where its installers put it (what Playwright's `channel: 'chrome'` would launch). */
const CHROME_PATHS: Readonly<Partial<Record<NodeJS.Platform, string[]>>> = {
  linux: ['/opt/google/chrome/chrome'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: [
    `${process.env.LOCALAPPDATA ?? ''}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env.PROGRAMFILES ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`,
  ],
};

export const HOW_TO_GET_CHROMIUM =
  'No Chromium found for the browser tests. Install one:\n' +
  '  Debian/Ubuntu:  sudo apt-get install chromium      (gives /usr/bin/chromium)\n' +
  '  elsewhere:      npx playwright install chromium    (needs internet access)\n' +
  'or point CHROMIUM_PATH at a Chrome/Chromium binary.';

/** The executable to launch, with where it came from. Throws when there is none. */
export function resolveChromium(env: NodeJS.ProcessEnv = process.env): { path: string; source: string } {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    // An explicit setting that is wrong is an error, not a reason to quietly use something else.
    if (!existsSync(fromEnv))
      throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.\n${HOW_TO_GET_CHROMIUM}`);
    return { path: fromEnv, source: '$CHROMIUM_PATH' };
  }
  if (existsSync('/usr/bin/chromium')) return { path: '/usr/bin/chromium', source: '/usr/bin/chromium' };
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    // Playwright throws when it has no entry for this platform; fall through.
  }
  if (bundled !== '' && existsSync(bundled)) return { path: bundled, source: "Playwright's download" };
  for (const candidate of CHROME_PATHS[process.platform] ?? []) {
    if (existsSync(candidate)) return { path: candidate, source: 'Google Chrome' };
  }
  throw new Error(HOW_TO_GET_CHROMIUM);
}

/** Launch options for Playwright's `use.launchOptions` (or `chromium.launch`). */
export function chromiumLaunchOptions(env: NodeJS.ProcessEnv = process.env): LaunchOptions {
  return { executablePath: resolveChromium(env).path, args: [...CHROMIUM_ARGS] };
}
