// The usage texts, built from the flag declarations (src/cli/flags.ts, src/options).
import { ADACORE_FLAGS, DISTRIBUTED_FLAGS, INPUT_FLAGS, METHOD_FLAGS, OUTPUT_FLAGS, PRUNE_OUTPUT_FLAGS, SELECTION_FLAGS, WORKER_FLAGS, usageLines, type Flag } from './flags.js';

export const MAIN_USAGE = `Usage: adacore <command> [options]

Coreset selection by facility location (CRAIG / AdaCore) on SIMD WebAssembly.

Commands:
  select          select a weighted coreset of a data file's rows (adacore select --help)
  prune           write the rows of a coreset as a pruned data set (adacore prune --help)
  train           train a model on all rows or on coresets, with its learning curve (adacore train --help)
  worker          run distributed-selection jobs from Redis (adacore worker --help)

Options:
  -h, --help      show this help
  -v, --version   print the version
`;

const section = (title: string, flags: Flag[]) => `${title}\n${flags.map(usageLines).join('\n')}\n`;

export const SELECT_USAGE = `Usage: adacore select --input FILE (--budget K | --fraction F) [options]
       adacore select --method adacore|craig|random --logits FILE --labels FILE
                      (--budget K | --fraction F) [options]

Select a weighted subset of FILE's rows whose facility-location cost is small, and
write it as JSON: indices, weights (cluster sizes, summing to the number of rows),
gains, cost, path, seconds, evaluations, rows, dim, options and version. With
--method, also the method, and the options include AdaCore's; random's weights are
n_c / k_c for each of the k_c rows drawn from a class of n_c (float32).

${section('Input:', INPUT_FLAGS)}
${section('Selection:', SELECTION_FLAGS)}
${section('Methods (selection on per-example gradients; without --method and --logits the rows of --input\nare selected as given; with --method the optimizer defaults to partitioned):', METHOD_FLAGS)}
${section('AdaCore (with --method adacore only; there --epsilon E is --precondition-epsilon):', ADACORE_FLAGS)}
${section('Many machines (--distributed with --redis, --partitions and --store; rows of --input only; the\nselection flags that apply are --budget/--fraction, --labels, --metric, --seed, --oversampling,\n--block-memory):', DISTRIBUTED_FLAGS)}
${section('Output:', OUTPUT_FLAGS)}
Byte counts take an optional suffix K, M, G or T (powers of 1024), e.g. 512M.
Exit status: 0 success, 1 error, 2 usage error, 130 interrupted (Ctrl-C).
Set ADACORE_DEBUG=1 to print stack traces of unexpected errors.
`;

export const PRUNE_USAGE = `Usage: adacore prune --input FILE [--labels FILE] (--budget K | --fraction F)
                     --out FILE [--labels-out FILE] [--weights-out FILE]
                     [--indices-out FILE] [--force] [options]

Select a coreset of FILE's rows (as adacore select does) and write the kept rows
themselves, in input order, with their labels, weights (cluster sizes) and row numbers
if asked. A summary goes to stderr: rows kept, cost, time, optimizer, path and peak
memory. On an error or Ctrl-C nothing is written; an existing file is replaced only
with --force. Rows are written as the reader decoded them (float32, or float64 for
float64 .npy and text input).

${section('Input:', INPUT_FLAGS)}
${section('Selection:', SELECTION_FLAGS)}
${section('Output:', PRUNE_OUTPUT_FLAGS)}
Byte counts take an optional suffix K, M, G or T (powers of 1024), e.g. 4096M.
Exit status: 0 success, 1 error, 2 usage error, 130 interrupted (Ctrl-C).
`;

export const WORKER_USAGE = `Usage: adacore worker --redis URL [--concurrency N] [--queue NAME] [options]

Take distributed-selection jobs (adacore select --distributed, or distributedSelect in
adacore/distributed) from the queue and run each in a thread of its own, until SIGTERM
or Ctrl-C, which finish the jobs in hand and exit. A worker that dies mid-job loses
nothing: after the lock duration another worker takes the job over. Needs bullmq and
ioredis installed. Logs a line per job on stderr.

${section('Options:', WORKER_FLAGS)}
Exit status: 0 after a clean shutdown, 1 error, 2 usage error.
`;
