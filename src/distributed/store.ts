// Where the distributed run's data lives between jobs: a blob store of named byte strings. Jobs
// carry only a store's descriptor (small JSON) and addresses; every machine opens the same
// store from the descriptor. A shared directory (NFS, a cluster file system, or one machine's
// disk) is built in; an S3-compatible store implements the same four methods and is added
// with registerStore (docs/distributed.md).
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AdacoreError } from '../index.js';

export interface BlobStore {
  /** Store `bytes` at `key`, whole or not at all (a reader never sees a partial blob). */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes at `key`; an AdacoreError naming the key when there are none. */
  get(key: string): Promise<Uint8Array>;
  has(key: string): Promise<boolean>;
  /** Remove the blob at `key` (none there is not an error). */
  remove(key: string): Promise<void>;
}

/** A store as jobs carry it: `type` names an opener (registerStore), the rest is its options. */
export interface StoreDescriptor { type: string; [option: string]: unknown }

const KEY = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function checkKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) throw new AdacoreError('store', `bad blob key ${JSON.stringify(key)}`);
}

/** Blobs as files under `root`, written to a temporary name and renamed into place. */
export class DirectoryStore implements BlobStore {
  readonly root: string;
  constructor(root: string) {
    if (typeof root !== 'string' || root === '') throw new AdacoreError('store', 'a directory store needs a path');
    this.root = resolve(root);
  }

  private path(key: string): string {
    checkKey(key);
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new AdacoreError('store', `could not write ${path}: ${(error as Error).message}`);
    }
  }

  async get(key: string): Promise<Uint8Array> {
    const path = this.path(key);
    try {
      return new Uint8Array(await readFile(path));
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new AdacoreError('store', code === 'ENOENT' ? `${key}: no such blob (${path})` : `${key}: could not read ${path}: ${(error as Error).message}`);
    }
  }

  async has(key: string): Promise<boolean> {
    try { return (await stat(this.path(key))).isFile(); } catch { return false; }
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}

/** How registerStore opens a store of its type from a descriptor (exported as StoreOpener). */
export type Opener = (descriptor: StoreDescriptor) => BlobStore;
const OPENERS = new Map<string, Opener>([
  ['directory', (d) => new DirectoryStore(d.path as string)],
]);

/** Teach this process (the driver's and every worker's) to open stores of `type`. */
export function registerStore(type: string, open: Opener): void {
  OPENERS.set(type, open);
}

export function openStore(descriptor: StoreDescriptor): BlobStore {
  const open = OPENERS.get(descriptor?.type);
  if (open === undefined) throw new AdacoreError('store', `no store of type ${JSON.stringify(descriptor?.type)} (known: ${[...OPENERS.keys()].join(', ')}; registerStore adds one)`);
  return open(descriptor);
}
