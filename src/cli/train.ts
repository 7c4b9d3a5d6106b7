/**
 * `npm run train -- [options]` (tsx src/cli/train.ts): headless training on the prepared data.
 * See `npm run train -- --help`, and runTrain.ts for what happens.
 */

import { performance } from 'node:perf_hooks';
import { runCli } from './runTrain.ts';

// A closed pipe (e.g. `… --json | head -1`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: process.stderr.isTTY === true,
  now: () => performance.now(),
});
