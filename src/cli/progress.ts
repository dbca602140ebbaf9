// The progress bar on stderr, driven by selectCoreset's onProgress. It appears only for
// runs that last (after `delayMs`), so quick selections print no flicker.
import cliProgress from 'cli-progress';
import type { Progress } from '../index.js';

export interface ProgressDisplay {
  /** Pass to selectCoreset; undefined when no bar is shown. */
  onProgress: ((progress: Progress) => void) | undefined;
  /** Remove the bar (idempotent). */
  stop(): void;
}

const PHASE_LABEL: Record<Progress['phase'], string> = {
  distances: 'distances',
  bounds: 'bounds   ',
  greedy: 'greedy   ',
  partitions: 'parts    ',
  assignment: 'assign   ',
};

const FORMAT = '{phase} |{bar}| {percentage}% | selected {selected}/{budget} | class {klass}/{classCount} | {duration_formatted}';

/** A bar on `stream`, or nothing when `stream` is undefined (not a TTY, or --quiet). */
export function progressDisplay(stream: NodeJS.WritableStream | undefined, delayMs = 500): ProgressDisplay {
  if (stream === undefined) return { onProgress: undefined, stop() {} };
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  let total = -1;
  let stopped = false;

  const onProgress = (p: Progress): void => {
    if (stopped) return;
    const payload = {
      phase: PHASE_LABEL[p.phase] ?? p.phase,
      selected: p.selected,
      budget: p.budget,
      klass: p.classIndex + 1,
      classCount: p.classCount,
    };
    const barTotal = Math.max(1, p.total);
    if (bar === undefined) {
      if (Date.now() - started < delayMs) return;
      bar = new cliProgress.SingleBar(
        { format: FORMAT, stream, hideCursor: true, clearOnComplete: true, barsize: 30, fps: 10 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(barTotal, Math.min(p.done, barTotal), payload);
      total = barTotal;
      return;
    }
    if (barTotal !== total) {
      bar.setTotal(barTotal);
      total = barTotal;
    }
    bar.update(Math.min(p.done, barTotal), payload);
  };

  return {
    onProgress,
    stop() {
      if (stopped) return;
      stopped = true;
      bar?.stop();
    },
  };
}

/** A bar over named steps (distributed selection's write, select, merge, assign, count), or nothing without `stream`. */
export function stepDisplay(stream: NodeJS.WritableStream | undefined): { onStep: ((step: { phase: string; done: number; total: number }) => void) | undefined; stop(): void } {
  if (stream === undefined) return { onStep: undefined, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: '{phase} |{bar}| {value}/{total} | {duration_formatted}', stream, hideCursor: true, clearOnComplete: true, barsize: 30, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  let started = false, stopped = false;
  return {
    onStep({ phase, done, total }) {
      if (stopped) return;
      if (!started) { bar.start(total, done, { phase: phase.padEnd(6) }); started = true; return; }
      bar.setTotal(total);
      bar.update(done, { phase: phase.padEnd(6) });
    },
    stop() { if (!stopped) { stopped = true; if (started) bar.stop(); } },
  };
}
