/**
 * A Vite plugin (build only) that writes the service worker, `sw.js`, at the site's base: src/sw/sw.ts
 * bundled into one classic script (no imports: a module service worker is not yet everywhere) with this
 * build's precache list baked in.
 *
 *   the build's output (minus source maps) + public/ files outside data/  ─► the shell, each with its hash
 *   public/data/<name>/manifest.json                                      ─► each dataset's files, sizes
 *                           ─► buildPrecache (src/sw/precache.ts) ─► define __PRECACHE__ ─► sw.js
 *
 * A change to any shell file changes the version, so sw.js differs byte for byte and browsers install
 * the new build (and its activation deletes the old shell cache). The data caches are named by their
 * manifests' hashes, so a rebuild with the same data keeps them.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin, type ResolvedConfig } from 'vite';

// With extensions: vite.config.ts loads this file (Vite warns about extensionless imports in a config).
import { DATASET_NAMES } from '../src/data/dataset.ts';
import { DATASET_SETTING } from '../src/settings/schema.ts';
import {
  buildPrecache,
  type Precache,
  type PrecacheDataFile,
  type PrecacheDataset,
} from '../src/sw/precache.ts';

/** src/data/manifest.ts's MANIFEST_FILE (that module is not importable from the config: see above). */
const MANIFEST_FILE = 'manifest.json';

/** The service worker's file name at the site's base (its scope is the base: README "Hosting"). */
export const SERVICE_WORKER_FILE = 'sw.js';

const SW_ENTRY = path.resolve(import.meta.dirname, '..', 'src', 'sw', 'sw.ts');

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Files under `dir`, relative, '/'-separated, sorted. */
function listFiles(dir: string, rel = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(dir, p));
    else out.push(p);
  }
  return out.sort();
}

/**
 * The public files that belong to the shell: everything in public/ but the datasets (cached per dataset)
 * and anything a test writes there.
 */
export function isPublicShellFile(rel: string): boolean {
  return !rel.startsWith('data/') && !rel.endsWith('.map') && rel !== SERVICE_WORKER_FILE;
}

/** Each dataset prepared in public/data/ (a missing one is left out: the app reports it when opened). */
function readDatasets(publicDir: string): Record<string, PrecacheDataset> {
  const datasets: Record<string, PrecacheDataset> = {};
  for (const name of DATASET_NAMES) {
    const file = path.join(publicDir, 'data', name, MANIFEST_FILE);
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    datasets[name] = { manifestSha256: sha256(bytes), files: manifestFiles(bytes, file) };
  }
  return datasets;
}

/**
 * The files a manifest lists, with their two sizes. Only what the service worker needs is read here;
 * the page's loader checks the whole manifest (src/data/manifest.ts) whenever it reads one.
 */
export function manifestFiles(bytes: Uint8Array, where: string): PrecacheDataFile[] {
  const json = JSON.parse(new TextDecoder().decode(bytes)) as { files?: unknown };
  if (!Array.isArray(json.files)) throw new Error(`${where}: no "files" list`);
  return json.files.map((f: unknown) => {
    const { name, bytes: stored, rawBytes } = (f ?? {}) as Record<string, unknown>;
    if (
      typeof name !== 'string' ||
      !/^[\w.-]+$/.test(name) ||
      typeof stored !== 'number' ||
      typeof rawBytes !== 'number'
    )
      throw new Error(`${where}: a file entry without a plain name, bytes and rawBytes`);
    return { name, bytes: stored, rawBytes };
  });
}

export function serviceWorkerPlugin(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'backprop-lab:service-worker',
    apply: 'build',
    // After Vite's own plugins, so index.html is in the bundle.
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    async generateBundle(_options, bundle) {
      const shell: { path: string; sha256: string }[] = [];
      for (const item of Object.values(bundle)) {
        if (item.fileName.endsWith('.map')) continue;
        shell.push({
          path: item.fileName,
          sha256: sha256(item.type === 'chunk' ? item.code : item.source),
        });
      }
      const publicDir = config.publicDir;
      if (publicDir !== '') {
        for (const rel of listFiles(publicDir).filter(isPublicShellFile))
          shell.push({ path: rel, sha256: sha256(readFileSync(path.join(publicDir, rel))) });
      }
      const datasets = readDatasets(publicDir);
      const install = DATASET_SETTING.default in datasets ? [DATASET_SETTING.default] : [];
      const precache = buildPrecache(shell, datasets, install, sha256);
      this.emitFile({ type: 'asset', fileName: SERVICE_WORKER_FILE, source: await bundleWorker(precache) });
    },
  };
}

/** src/sw/sw.ts as one minified classic script, with the precache list in it. */
async function bundleWorker(precache: Precache): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    define: { __PRECACHE__: JSON.stringify(precache) },
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      copyPublicDir: false,
      lib: { entry: SW_ENTRY, formats: ['iife'], name: 'backpropLabServiceWorker', fileName: () => 'sw.js' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
  const chunk = outputs.find((o) => o.type === 'chunk');
  if (chunk === undefined || chunk.type !== 'chunk') throw new Error('service worker: the bundle is empty');
  return `// Backprop Lab service worker, build ${precache.version} (src/sw/sw.ts)\n${chunk.code}`;
}
