// Writing the CLI's output files, all or nothing. A regular file (or a new one) is written under
// a temporary name in its folder and renamed into place only once every file of the command is
// written, so a full disk, a write error or Ctrl-C leaves neither a partial file nor a changed
// old one. An existing device or pipe (/dev/stdout, /dev/null, /dev/full) is written to
// directly, after the regular files: renaming a temporary file over it would replace the device
// itself (root may do that in /dev). Errors are one AdacoreError naming the flag and the path.
import { randomBytes } from 'node:crypto';
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AdacoreError } from '../index.js';

export interface OutputFile {
  /** The flag that named it (errors say it). */
  flag: string;
  path: string;
  data: Uint8Array | string;
}

/** Whether `path` exists and is something other than a regular file or a folder (a device, a pipe, a socket). */
export async function isSpecialFile(path: string): Promise<boolean> {
  const existing = await stat(path).catch(() => undefined);
  return existing !== undefined && !existing.isFile() && !existing.isDirectory();
}

/** Every file, or (on any failure, an abort of `signal` included) none: no temporary file is left. */
export async function writeFiles(files: OutputFile[], signal?: AbortSignal): Promise<void> {
  const special = await Promise.all(files.map((file) => isSpecialFile(file.path)));
  const temps = files.map(({ path }, f) => (special[f] ? undefined : temporaryName(path)));
  try {
    for (let f = 0; f < files.length; f++) {
      if (temps[f] === undefined) continue;
      await attempt(files[f], () => writeFile(temps[f]!, files[f].data, { flag: 'wx' }), true);
      signal?.throwIfAborted();
    }
    for (let f = 0; f < files.length; f++) {
      if (temps[f] === undefined) await attempt(files[f], () => writeFile(files[f].path, files[f].data));
    }
    for (let f = 0; f < files.length; f++) {
      if (temps[f] !== undefined) await attempt(files[f], () => rename(temps[f]!, files[f].path));
    }
  } catch (e) {
    await Promise.all(temps.map((temp) => (temp === undefined ? undefined : unlink(temp).catch(() => {}))));
    throw e;
  }
}

/** `.<name>.<pid>.<random>.tmp` next to `path`: hidden, and unique to this run. */
function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Runs one file operation, turning a failure into an AdacoreError naming the file's flag and
 * path; `creating`: the operation makes the temporary file in the output's folder.
 */
async function attempt(file: OutputFile, operation: () => Promise<void>, creating = false): Promise<void> {
  try {
    await operation();
  } catch (e) {
    throw new AdacoreError(file.flag, `cannot write ${file.path}: ${describe(e, creating ? dirname(file.path) : undefined)}`);
  }
}

/**
 * A file-system error in a few words: "no space left on device (ENOSPC)". Node's own message
 * names the temporary file (", open '/out/.x.json.123.tmp'"), which the user never asked for.
 */
function describe(e: unknown, folder: string | undefined): string {
  const error = e as { code?: unknown; message?: unknown; syscall?: unknown };
  const code = typeof error?.code === 'string' ? error.code : undefined;
  let text = typeof error?.message === 'string' ? error.message : String(e);
  if (code !== undefined && text.startsWith(`${code}: `)) text = text.slice(code.length + 2);
  text = text.replace(/, (open|write|rename|close)( '[^']*'( -> '[^']*')?)?$/, '');
  const where = folder !== undefined && error?.syscall === 'open' ? `; no file can be created in ${folder}` : '';
  return code === undefined ? text : `${text} (${code}${where})`;
}
