/**
 * check-file-names: fails when two files (or folders) of the repository have names that differ only in
 * letter case once the extension is removed — `LossChart.tsx` and `lossChart.ts` are one module to
 * `import './lossChart'` on macOS and Windows, whose file systems ignore case, and two different ones
 * on Linux. Part of `npm run lint` (and so of `npm test`).
 *
 * The files are git's tracked ones plus new files not ignored (`git ls-files --cached --others
 * --exclude-standard`), minus those deleted from the working tree.
 *
 *   npx tsx scripts/check-file-names.ts     → exit 0 silently, or exit 1 naming each clashing group
 */

import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Groups of paths that clash on a case-insensitive file system when imported without extension:
 * files whose folder + name without the last extension are equal ignoring case, and folders whose
 * paths are equal ignoring case. Paths use '/' separators, relative to one root.
 * @returns each group's distinct spellings, sorted; groups sorted by their first spelling; [] when none
 */
export function findCaseClashes(paths: readonly string[]): string[][] {
  const groups = new Map<string, Set<string>>();
  const add = (key: string, spelling: string) => {
    const k = key.toLowerCase();
    let group = groups.get(k);
    if (group === undefined) groups.set(k, (group = new Set()));
    group.add(spelling);
  };
  for (const file of paths) {
    const parsed = path.posix.parse(file);
    // `.gitignore` keeps its whole name (parse gives name '.gitignore', ext '').
    add(`file:${path.posix.join(parsed.dir, parsed.name)}`, file);
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      add(`dir:${dir}`, `${dir}/`);
    }
  }
  return [...groups.values()]
    .filter((group) => group.size > 1)
    .map((group) => [...group].sort())
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The repository's files: tracked or new-and-not-ignored, still present on disk. */
function repositoryFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = new Set(out.split('\0').filter((f) => f !== ''));
  return [...files].filter((f) => existsSync(path.join(root, f)));
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  let files: string[];
  try {
    files = repositoryFiles(root);
  } catch (error) {
    console.error(`check-file-names: cannot list the files with git (${(error as Error).message.trim()})`);
    process.exitCode = 1;
    return;
  }
  const clashes = findCaseClashes(files);
  if (clashes.length === 0) return;
  console.error(
    'check-file-names: these names differ only in letter case (one file on macOS and Windows); rename one ' +
      'of each group, naming a pure helper for what it does (e.g. lossChartLayout.ts):',
  );
  for (const group of clashes) console.error(`  ${group.join('  ↔  ')}`);
  process.exitCode = 1;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) main();
