// The data Worker: reads files, maps them (PCA), selects coresets and writes the downloads, so
// that the page only draws. Requests are { id, op, ... }; answers { id, progress } along the
// way, then { id, result } or { id, error }. { op: 'cancel', target } aborts a running request.
import { loadBuiltin, loadFiles, pca2, prunedFiles, selectCoreset } from './pipeline.js';

const running = new Map();

self.onmessage = async ({ data }) => {
  const { id, op } = data;
  if (op === 'cancel') { running.get(data.target)?.abort(); return; }
  const controller = new AbortController();
  running.set(id, controller);
  const progress = (value) => self.postMessage({ id, progress: value });
  try {
    if (op === 'load') {
      progress({ phase: 'reading' });
      const ds = data.source.kind === 'builtin' ? await loadBuiltin(data.source.base) : await loadFiles(data.source);
      progress({ phase: 'mapping' });
      const { projection, explained } = pca2(ds.x, ds.rows, ds.dim);
      const transfer = [ds.x.buffer, projection.buffer, ...(ds.labels ? [ds.labels.buffer] : []),
        ...(ds.test ? [ds.test.x.buffer, ds.test.labels.buffer] : [])];
      self.postMessage({ id, result: { ...ds, projection, explained } }, transfer);
    } else if (op === 'select') {
      const result = await selectCoreset(data.dataset, {
        ...data.params, signal: controller.signal,
        onPhase: (phase) => progress({ phase }),
        onProgress: (detail) => progress({ phase: 'selecting', detail }),
      });
      self.postMessage({ id, result }, [result.indices.buffer, result.weights.buffer]);
    } else if (op === 'export') {
      const files = prunedFiles(data.dataset, data.selection, data.format, data.stem);
      self.postMessage({ id, result: files }, files.map((f) => f.bytes.buffer));
    } else {
      throw new Error(`unknown request ${op}`);
    }
  } catch (error) {
    const cancelled = controller.signal.aborted || error?.name === 'AbortError';
    self.postMessage({ id, error: cancelled ? 'cancelled' : String(error?.message ?? error), cancelled });
  } finally {
    running.delete(id);
  }
};
