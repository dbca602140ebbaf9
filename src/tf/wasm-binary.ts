// The tfjs wasm backend loads its binary through the platform's fetch (setWasmPaths(..., true) in
// tfjs-bundled.ts), and the binary is embedded as a data: URL. Fetching even a data: URL is a
// connection in a browser's Content-Security-Policy (connect-src), so a page with a strict policy
// blocked it, and tfjs's loader, which does not catch that failure, waited until initBackend's
// timeout. This answers that one URL from the embedded bytes instead: the bundle fetches nothing
// at all, in every runtime. Any other URL goes to the platform's own fetch as before.
import type * as tfjs from '@tensorflow/tfjs-core';

type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array<ArrayBuffer> }).fromBase64;
  if (fromBase64) return fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Make the platform's fetch answer `url` (a base64 data: URL) locally; what else it fetches is unchanged. */
export function serveEmbeddedWasm(tf: typeof tfjs, url: string): void {
  const platform = tf.env().platform as unknown as { fetch?: Fetch } | undefined;
  if (platform === undefined || typeof platform.fetch !== 'function') return;
  const platformFetch = platform.fetch.bind(platform);
  const base64 = url.slice(url.indexOf(',') + 1);
  platform.fetch = (path, init) => {
    if (path !== url) return platformFetch(path, init);
    const bytes = decodeBase64(base64);
    // what tfjs's instantiateWasm reads of a response: ok and arrayBuffer()
    return Promise.resolve({ ok: true, status: 200, arrayBuffer: async () => bytes.buffer } as unknown as Response);
  };
}
