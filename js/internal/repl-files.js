// Files the REPL reads and writes (.load, .save, its history): the platform's own file
// system first (the host's, hosted; the initrd's on the kernel, read-only), then the app's
// file namespace (/disk on the kernel once a disk is mounted). History lives in
// $RTJS_REPL_HISTORY or ~/.rtjs_repl_history hosted, /disk/.rtjs_repl_history on the kernel
// when a disk is there, in memory otherwise; RTJS_REPL_HISTORY='' keeps it in memory.
import binding from 'rtjs:binding';

const HISTORY_NAME = '.rtjs_repl_history';

let fsPromises;
async function vfs() {
  fsPromises ??= await import('node:fs/promises');
  return fsPromises;
}

/** The text of `path`; rejects with an Error naming the path when neither file system has it. */
export async function readText(path) {
  const text = binding.readFile(path);
  if (text !== undefined) return text;
  try {
    return await (await vfs()).readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read '${path}': ${err.code ?? err.message}`);
  }
}

/** Writes (or appends) `text`; rejects with an Error naming the path and the reasons. */
export async function writeText(path, text, append = false) {
  const native = binding.writeFile(path, text, append);
  if (native === undefined) return;
  try {
    const fs = await vfs();
    await (append ? fs.appendFile(path, text) : fs.writeFile(path, text));
  } catch (err) {
    throw new Error(`cannot write '${path}': ${native}; ${err.code ?? err.message}`);
  }
}

/** Where history is kept, or null for memory only. */
export async function historyPath() {
  const chosen = binding.getenv('RTJS_REPL_HISTORY');
  if (chosen !== undefined) return chosen === '' ? null : chosen;
  const home = binding.getenv('HOME');
  if (home) return `${home}/${HISTORY_NAME}`;
  try {
    const s = await (await vfs()).stat('/disk');
    if (s.isDirectory()) return `/disk/${HISTORY_NAME}`;
  } catch { /* no disk: memory */ }
  return null;
}
