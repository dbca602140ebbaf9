// Runs a list of shared cases in order, never throwing, and reports each result: for the module
// Workers (which post the results back) and any host without a test framework.

/** A case as runCases takes it: the cases of cases.ts and of curvature-cases.ts. */
interface RunnableCase { name: string; run: () => Promise<void>; skip?: string }

/** Run cases in order, never throwing; a case with `skip` is reported as skipped, not run. */
export async function runCases(list: RunnableCase[], onResult?: (result: CaseResult) => void): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of list) {
    const started = Date.now();
    let result: CaseResult;
    if (c.skip) result = { name: c.name, ok: true, skipped: c.skip, ms: 0 };
    else {
      try {
        await c.run();
        result = { name: c.name, ok: true, ms: Date.now() - started };
      } catch (error) {
        const e = error as Error;
        result = { name: c.name, ok: false, ms: Date.now() - started, error: e?.stack?.includes(e.message) ? e.stack : `${e?.name}: ${e?.message}\n${e?.stack ?? ''}` };
      }
    }
    results.push(result);
    onResult?.(result);
  }
  return results;
}

export interface CaseResult {
  name: string;
  ok: boolean;
  ms: number;
  skipped?: string;
  error?: string;
}
