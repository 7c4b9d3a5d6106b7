import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorkerPlugin } from './scripts/serviceWorkerPlugin.ts';

/**
 * The built site's Content-Security-Policy, one directive per line with its reason. Exported for the
 * README's hosting section and the browser tests; a static host can send the same string as a header
 * (a header can add what a <meta> cannot: frame-ancestors, report-to).
 *
 * What `vite build` emits, checked: one external module script, one stylesheet <link>, a module worker
 * (assets/training.worker-*.js, same origin), no inline script, no eval/new Function in either bundle.
 */
export const CONTENT_SECURITY_POLICY = [
  // Anything not named below: only this site.
  "default-src 'self'",
  // The bundle only: no 'unsafe-inline' (no inline scripts), no 'unsafe-eval' (nothing evaluates strings).
  "script-src 'self'",
  // The stylesheet only. React's style={{…}} props need no 'unsafe-inline' or 'unsafe-hashes': React DOM
  // sets them through the CSSOM (element.style.setProperty), which CSP does not govern; only style=""
  // in markup or setAttribute('style', …) would be blocked, and the app has neither (the browser tests
  // fail on any violation).
  "style-src 'self'",
  // data: for the inline SVG favicon in index.html; blob: for images made from Blobs (model files are
  // saved through a blob: URL on a download link — a navigation, which img-src does not restrict).
  "img-src 'self' data: blob:",
  // The worker fetches the dataset and manifest from this site; nothing else is contacted.
  "connect-src 'self'",
  // The training worker is a same-origin module script.
  "worker-src 'self'",
  "object-src 'none'",
  // No <base> from an injection can redirect the relative asset URLs (base: './').
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Adds the CSP <meta> at build time only (`apply: 'build'`): the dev server stays looser, since Vite's
 * HMR client and React Refresh inject inline scripts and open a WebSocket.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'backprop-lab:csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        // Right after <meta charset> (which must stay first), before every script and stylesheet: a
        // policy in <meta> applies only to what comes after it.
        const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
        const charset = /<meta charset="[^"]*"\s*\/?>/i;
        if (!charset.test(html)) throw new Error('index.html: no <meta charset> to put the CSP after');
        return html.replace(charset, (m) => `${m}\n    ${meta}`);
      },
    },
  };
}

/**
 * `<meta name="backprop-build">`: which build a page came from (support questions, and the offline test,
 * which builds twice and checks that the second build is the one that loads after an update). The
 * package version, or `BACKPROP_BUILD_ID` when set (a deploy's commit, say).
 */
function buildLabel(): Plugin {
  const label = process.env.BACKPROP_BUILD_ID ?? process.env.npm_package_version ?? 'dev';
  return {
    name: 'backprop-lab:build-label',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { name: 'backprop-build', content: label }, injectTo: 'head' },
    ],
  };
}

/**
 * Cross-origin isolation, which SharedArrayBuffer needs (data-parallel training across workers): the page
 * opens no cross-origin window and embeds nothing cross-origin without consent. Everything the app loads
 * is its own, so `require-corp` costs nothing. Sent by `vite` dev and preview; a static host sends the same
 * (README "Hosting"). Without them the app trains on one worker and says so.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/** BACKPROP_NOT_ISOLATED=1 serves without them: the browser tests' host that cannot set headers. */
const headers = process.env.BACKPROP_NOT_ISOLATED === '1' ? {} : ISOLATION_HEADERS;

// `base: './'` makes the built site work from any sub-path (GitHub Pages, a course server's folder).
export default defineConfig({
  base: './',
  plugins: [react(), contentSecurityPolicy(), buildLabel(), serviceWorkerPlugin()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1', headers },
  preview: { host: '127.0.0.1', headers },
});
