// adacore/distributed's pieces that need no Redis: the blob format (every alteration refused,
// naming the blob), the directory store (atomic, bad keys refused), and the driver's argument
// checks, which come before any connection.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lib from '../../dist/adacore.mjs';
import * as distributed from '../../dist/adacore-distributed.mjs';

const blob = () => distributed.encodeBlob({
  rows: Float32Array.from([1.5, -2, 3, 4.25]), indices: Int32Array.from([7, 9]), weights: Float64Array.from([0.1, 1e300]),
}, { partition: 4 });

describe('the blob format', () => {
  it('round-trips float32, int32 and float64 arrays and the meta', () => {
    const { arrays, meta } = distributed.decodeBlob(blob(), 'b');
    expect(Array.from(arrays.rows)).toEqual([1.5, -2, 3, 4.25]);
    expect(arrays.rows).toBeInstanceOf(Float32Array);
    expect(Array.from(arrays.indices)).toEqual([7, 9]);
    expect(arrays.indices).toBeInstanceOf(Int32Array);
    expect(Array.from(arrays.weights)).toEqual([0.1, 1e300]);
    expect(meta).toEqual({ partition: 4 });
  });

  it('refuses every alteration with an error naming the blob: a flipped payload byte, truncation, bad magic, a header that lies', () => {
    const bytes = blob();
    const cases: [string, Uint8Array, RegExp][] = [
      ['a flipped payload byte', (() => { const b = bytes.slice(); b[b.length - 3] ^= 1; return b; })(), /checksum mismatch/],
      ['one byte short', bytes.slice(0, -1), /truncated or padded/],
      ['header only', bytes.slice(0, 20), /truncated/],
      ['bad magic', (() => { const b = bytes.slice(); b[0] = 0x41 + 1; return b; })(), /bad magic/],
      ['empty', new Uint8Array(0), /bad magic/],
      ['a header length beyond the file', (() => { const b = bytes.slice(); new DataView(b.buffer).setUint32(8, 2 ** 31, true); return b; })(), /header claims/],
      ['header not JSON', (() => { const b = bytes.slice(); b[12] = 0x7b + 1; return b; })(), /not valid JSON/],
    ];
    for (const [what, altered, pattern] of cases) {
      let error: unknown;
      try { distributed.decodeBlob(altered, 'runs/r/input-3.blob'); } catch (e) { error = e; }
      expect(error, what).toBeInstanceOf(lib.AdacoreError);
      expect((error as Error).message, what).toMatch(/^blob: runs\/r\/input-3\.blob: /);
      expect((error as Error).message, what).toMatch(pattern);
    }
  });
});

describe('the directory store', () => {
  it('puts whole blobs (no temporary file left), gets them back, names a missing one, removes, refuses keys that leave the root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'adacore-dirstore-'));
    const store = new distributed.DirectoryStore(root);
    await store.put('runs/a/x.blob', Uint8Array.from([1, 2, 3]));
    expect(Array.from(await store.get('runs/a/x.blob'))).toEqual([1, 2, 3]);
    expect(readdirSync(join(root, 'runs', 'a'))).toEqual(['x.blob']);
    expect(await store.has('runs/a/x.blob')).toBe(true);
    await expect(store.get('runs/a/y.blob')).rejects.toThrow(/^store: runs\/a\/y\.blob: no such blob/);
    await store.remove('runs/a/x.blob');
    expect(await store.has('runs/a/x.blob')).toBe(false);
    for (const key of ['../x', 'runs/../../x', '/etc/passwd', 'a b', '']) await expect(store.put(key, new Uint8Array(1)), key).rejects.toThrow(/^store: bad blob key/);
    expect(() => distributed.openStore({ type: 's3' })).toThrow(/no store of type "s3" \(known: directory; registerStore adds one\)/);
  });
});

describe('distributedSelect: arguments are checked before any connection or file', () => {
  it('names the bad argument at once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'adacore-args-'));
    const x = new Float32Array(40).map((_, i) => i % 7);
    // a port where nothing listens: an argument error must come first, and fast
    const base = { input: x, dim: 4, budget: 2, partitions: 2, store: root, connection: 'redis://127.0.0.1:1', timeout: 60_000 };
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['partitions 0', { partitions: 0 }, /^partitions: expected an integer in \[1, 65536\]/],
      ['attempts -1', { attempts: -1 }, /^attempts: expected a positive number, got -1/],
      ['timeout 0', { timeout: 0 }, /^timeout: expected a positive number/],
      ['a store type nobody registered', { store: { type: 'nope' } }, /^store: no store of type "nope"/],
      ['NaN in row 3', { input: Float32Array.from(x, (v, i) => (i === 13 ? NaN : v)) }, /^vectors: row 3, column 1 is NaN/],
      ['budget above n', { budget: 11 }, /^budget: 11 is more than the 10 rows/],
      ['a connection that is not a URL', { connection: 'localhost:6379' }, /^redis: expected a redis:\/\/host:port URL/],
      ['bad method', { method: 'lazy' }, /^method: expected auto, partitioned or proportional/],
    ];
    for (const [what, change, pattern] of cases) {
      const started = Date.now();
      await expect(distributed.distributedSelect({ ...base, ...change }), what).rejects.toThrow(pattern);
      expect(Date.now() - started, what).toBeLessThan(2000);
    }
    expect(readdirSync(root)).toEqual([]);
  });
});
