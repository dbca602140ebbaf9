// The worker's job threads: up to `size` worker_threads, each running one job at a time
// (thread-main.ts), started on first use and kept. A thread that dies fails its job with
// the reason and is replaced on the next one.
import { Worker } from 'node:worker_threads';
import type { JobData, JobName } from './addresses.js';

export interface ThreadTask { id: number; name: JobName; data: JobData }
export type ThreadReply =
  | { id: number; result: Record<string, number> }
  | { id: number; error: { name: string; message: string; argument?: string } };

/** A job's error as the thread reported it. */
export class JobError extends Error {
  constructor(message: string, name: string, readonly argument: string | undefined) {
    super(message);
    this.name = name;
  }
}

interface Slot { thread: Worker; busy: boolean; settle?: (reply: ThreadReply | Error) => void }

export class ThreadPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private next = 0;
  private closed = false;

  constructor(private readonly script: URL, private readonly size: number) {}

  async run(name: JobName, data: JobData): Promise<Record<string, number>> {
    const slot = await this.acquire();
    try {
      const reply = await new Promise<ThreadReply | Error>((resolve) => {
        slot.settle = resolve;
        slot.thread.postMessage({ id: this.next++, name, data } satisfies ThreadTask);
      });
      if (reply instanceof Error) throw reply;
      if ('error' in reply) throw new JobError(reply.error.message, reply.error.name, reply.error.argument);
      return reply.result;
    } finally {
      slot.settle = undefined;
      this.release(slot);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { thread: new Worker(this.script), busy: true };
    slot.thread.on('message', (reply: ThreadReply) => slot.settle?.(reply));
    const die = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      slot.settle?.(new Error(`the job thread died: ${error.message}`));
    };
    slot.thread.on('error', die);
    slot.thread.on('exit', (code) => die(new Error(`exit code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      if (this.closed) throw new Error('the worker is closing');
      const free = this.slots.find((s) => !s.busy);
      if (free) { free.busy = true; return free; }
      if (this.slots.length < this.size) return this.spawn();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(slot: Slot): void {
    slot.busy = false;
    this.waiting.shift()?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all(this.slots.splice(0).map((s) => s.thread.terminate()));
  }
}
