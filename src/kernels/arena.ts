// A bump allocator over one kernel instance's linear memory. Selections allocate a few
// large buffers once per problem and release everything together, so nothing finer is
// needed. Views are re-created on every access because memory.grow detaches the buffer.
import { AdacoreError } from '../errors.js';
import type { KernelExports } from './wasm.js';

const PAGE = 65536;
/** wasm32 addresses 4 GiB; leave a page of headroom. */
const MAX_BYTES = 4 * 1024 * 1024 * 1024 - PAGE;

export class Arena {
  private next: number;
  constructor(private readonly kernels: KernelExports) {
    this.next = kernels.heapBase();
  }

  /** Reserve `bytes` (16-byte aligned), growing memory as needed. Returns the address. */
  alloc(bytes: number, what: string): number {
    const start = this.next;
    const end = start + Math.ceil(bytes / 16) * 16;
    if (end > MAX_BYTES) {
      throw new AdacoreError('memoryBudget', `${what} needs ${formatBytes(bytes)}, beyond the 4 GiB a WebAssembly memory can address (${formatBytes(start)} already in use)`);
    }
    const memory = this.kernels.memory;
    const have = memory.buffer.byteLength;
    if (end > have) {
      try {
        memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        throw new AdacoreError('memoryBudget', `could not grow WebAssembly memory to ${formatBytes(end)} for ${what}`);
      }
    }
    this.next = end;
    return start;
  }

  f32(address: number, length: number): Float32Array {
    return new Float32Array(this.kernels.memory.buffer, address, length);
  }

  i32(address: number, length: number): Int32Array {
    return new Int32Array(this.kernels.memory.buffer, address, length);
  }

  /** Forget every allocation (memory is kept for the next problem on this instance). */
  release(): void {
    this.next = this.kernels.heapBase();
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}
