import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { FootprintError } from '../errors.js';
import { VERSION } from '../version.js';

/**
 * Output folders written as one unit.
 *
 * Every path is checked before any work (not an input, not a file where a folder is expected, its
 * parent writable), so a bad --out costs a second, not a whole search. Files are written into a
 * sibling staging folder, which is then swapped in with two renames: a reader sees the old complete
 * set or the new complete set, never a mix, and nothing from an earlier run stays behind. A lock file
 * beside the folder stops two runs writing it at once.
 *
 * A folder is only ever replaced when footprint wrote it: it must be absent, empty, hold a manifest
 * (MANIFEST) from an earlier run listing every entry in it, or hold only names footprint writes.
 * Anything else is refused, so pointing --out at a home folder never deletes anyone's files.
 *
 * Over 400 lines on purpose: the checks, the lock, staging, the swap and the recovery of an
 * interrupted swap guard one promise (all or nothing, never someone else's files), which a reader
 * checks best in one file; every function in it is short.
 */

/** The manifest footprint leaves in each output folder: the files of that run. */
export const MANIFEST = '.footprint-manifest.json';

/**
 * Names footprint writes, for folders written before manifests existed: such a folder holding only
 * these is footprint's own and may be replaced.
 */
const KNOWN_OUTPUTS = [
  /^footprints\.(geojson|svg)$/,
  /^assignment\.(geojson|csv)$/,
  /^report\.(md|html|pdf)$/,
  /^footprints\.(gpkg|qgs)$/,
  /^evidence\.xlsx$/,
  /^evidence\.(csv|svg)$/,
  /^services\.(csv|svg)$/,
  /^layers$/,
  /^split-.+\.svg$/,
  /^score\.(md|json|gpkg)$/,
  /^layers\.svg$/,
  /^fragments\.geojson$/,
  /^compare\.(md|json)$/,
  /^changes-\d+\.svg$/,
  /^\..+\.tmp$/,
];

/** Where a run writes its files: paths relative to the output folder, "/" for subfolders. */
export interface OutputWriter {
  /** Write one file ("report.md", "layers/gp.geojson"); returns where it will be once committed. */
  write(relPath: string, contents: string | Uint8Array): string;
}

export interface OutputFolder extends OutputWriter {
  /** The folder's final path (symlinks resolved). */
  readonly path: string;
  /** Swap the staged files in as the folder's whole content; returns their final paths. */
  commit(): string[];
  /** Drop the staged files and release the lock; the old folder is untouched. Safe to call twice. */
  abort(): void;
}

export interface OutputOptions {
  /** Files the run reads: none may be the output, or lie inside an output folder. */
  inputs?: string[];
  /** How messages name the option, e.g. "--out". */
  label?: string;
  /** The working directory, which an output folder may not contain (it would be moved away). */
  cwd?: string;
}

const EXPLAIN: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'it already exists',
  ENOENT: 'no such file or folder',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  EBUSY: 'it is busy',
  EXDEV: 'it is on another file system',
};

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** A file-system error as one line a user can act on (exit 2), never a stack (exit 70). */
export function outputError(action: string, path: string, error: unknown, context?: string): FootprintError {
  const code = errnoCode(error);
  const why = code ? (EXPLAIN[code] ?? `${code}`) : error instanceof Error ? error.message : String(error);
  return new FootprintError(`cannot ${action} ${path}: ${why}${context ? ` (${context})` : ''}`, { cause: error });
}

function attempt<T>(action: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof FootprintError) throw error;
    throw outputError(action, path, error);
  }
}

/** The real path of a file when it exists (so a symlink and its target count as one), else the path. */
function canonical(path: string): string {
  const plain = resolve(path);
  try {
    return realpathSync(plain);
  } catch {
    // A path that does not exist yet: canonicalise its nearest existing ancestor.
    const parent = dirname(plain);
    return parent === plain ? plain : join(canonical(parent), basename(plain));
  }
}

/** True when `inner` is `outer` or lies inside it. */
function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Input paths as files (a TopoJSON "file#object" names the file). */
function inputFiles(inputs: string[]): string[] {
  return inputs.map((input) => (existsSync(input) ? input : input.replace(/#[^#/\\]*$/, ''))).map(canonical);
}

/** Create the folder and its parents, with a clear error when a part of the path is a file. */
function ensureFolder(path: string, label: string): void {
  // mkdir's own error for "a/file.txt/b" is EEXIST or ENOTDIR on the whole path: name the file instead.
  for (let at = path; ; at = dirname(at)) {
    if (existsSync(at)) {
      if (!statSync(at).isDirectory()) throw new FootprintError(`cannot write ${label} under ${at}: it is a file, not a folder`);
      break;
    }
    if (dirname(at) === at) break;
  }
  attempt(`create the folder for ${label}`, path, () => mkdirSync(path, { recursive: true }));
}

function writeDurably(path: string, contents: string | Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    // Renames are only as durable as the data behind them: without this a power cut after the
    // swap could leave empty files under the new names.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Cleanup that must not hide the error that led to it (abort runs in `finally` blocks). */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Left for the next run's recover().
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// ---------------------------------------------------------------------------------------------
// Locks

interface LockOwner {
  pid: number;
  host: string;
}

/** Locks this process holds, so a lock naming our own pid is told apart from a stale one. */
const heldLocks = new Set<string>();

function lockPathOf(folder: string): string {
  return join(dirname(folder), `.${basename(folder)}.footprint-lock`);
}

function readLock(path: string): LockOwner | null {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof value.pid === 'number' && Number.isInteger(value.pid) ? { pid: value.pid, host: typeof value.host === 'string' ? value.host : hostname() } : null;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errnoCode(error) === 'EPERM';
  }
}

/** Whether a lock's owner may still be writing: on another machine we cannot tell, so yes. */
function ownerLive(owner: LockOwner | null, lockPath: string): boolean {
  if (owner === null) return false;
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return heldLocks.has(lockPath);
  return processAlive(owner.pid);
}

function busyError(folder: string, lockPath: string, owner: LockOwner, label: string): FootprintError {
  const who = owner.host === hostname() ? `pid ${owner.pid}` : `pid ${owner.pid} on ${owner.host}`;
  return new FootprintError(`${label} ${folder} is being written by another footprint run (${who}); wait for it to finish, or delete ${lockPath} if that run is gone`);
}

/**
 * Take the folder's lock: create it exclusively; if it exists, its owner must be gone. A stale lock
 * is first moved aside (only one run can move a given file), then checked again, so two runs taking
 * over the same stale lock cannot both win.
 */
function acquireLock(folder: string, label: string): string {
  const lockPath = lockPathOf(folder);
  const me = JSON.stringify({ pid: process.pid, host: hostname(), version: VERSION });
  for (let tries = 0; tries < 5; tries++) {
    try {
      const fd = openSync(lockPath, 'wx');
      try {
        writeSync(fd, me);
      } finally {
        closeSync(fd);
      }
      heldLocks.add(lockPath);
      return lockPath;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') {
        // The folder itself may be writable when its parent is not; a subfolder of it then works.
        const hint = existsSync(folder) && errnoCode(error) !== 'EROFS' ? `; footprint replaces the folder as a whole, from its parent folder, so give a folder inside it, e.g. ${join(folder, 'run')}` : '';
        throw outputError(`write ${label}`, folder, error, `creating its lock file ${lockPath}${hint}`);
      }
    }
    const owner = readLock(lockPath);
    if (owner && ownerLive(owner, lockPath)) throw busyError(folder, lockPath, owner, label);
    const aside = `${lockPath}.stale-${randomBytes(4).toString('hex')}`;
    try {
      renameSync(lockPath, aside);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') continue;
      throw outputError(`take over the stale lock`, lockPath, error);
    }
    const moved = readLock(aside);
    if (moved && ownerLive(moved, lockPath)) {
      // Another run took the stale lock over between our read and our move: give it back.
      try {
        linkSync(aside, lockPath);
      } catch {
        // It has a lock again already; either way that run owns the folder.
      }
      rmSync(aside, { force: true });
      throw busyError(folder, lockPath, moved, label);
    }
    rmSync(aside, { force: true });
  }
  throw new FootprintError(`cannot lock ${label} ${folder}: its lock file ${lockPath} keeps changing`);
}

function releaseLock(lockPath: string): void {
  heldLocks.delete(lockPath);
  const owner = readLock(lockPath);
  if (owner && owner.pid === process.pid && owner.host === hostname()) rmSync(lockPath, { force: true });
}

// ---------------------------------------------------------------------------------------------
// Cleaning up on signals

const open = new Set<{ abort(): void }>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onSignal(signal: NodeJS.Signals): void {
  for (const folder of [...open]) folder.abort();
  uninstall();
  // With our listener gone, the signal does what it would have done: usually end the process.
  process.kill(process.pid, signal);
}

function onExit(): void {
  for (const folder of [...open]) folder.abort();
}

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', onExit);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const signal of SIGNALS) process.off(signal, onSignal);
  process.off('exit', onExit);
}

function track(folder: { abort(): void }): void {
  open.add(folder);
  install();
}

function untrack(folder: { abort(): void }): void {
  open.delete(folder);
  if (open.size === 0) uninstall();
}

// ---------------------------------------------------------------------------------------------
// Checks

function checkNotInput(path: string, inputs: string[], label: string, folder: boolean): void {
  for (const input of inputFiles(inputs)) {
    if (input === path) throw new FootprintError(`${label} ${path} is one of the inputs; writing there would overwrite it`);
    if (folder && within(input, path)) throw new FootprintError(`${label} ${path} holds the input ${input}; replacing the folder would delete it`);
  }
}

/** Entries of a folder that footprint did not write, by the rules above. */
function foreignEntries(folder: string, entries: string[]): string[] {
  if (entries.includes(MANIFEST)) {
    let listed: Set<string> | null = null;
    try {
      const manifest = JSON.parse(readFileSync(join(folder, MANIFEST), 'utf8')) as { files?: unknown };
      if (Array.isArray(manifest.files)) listed = new Set(manifest.files.filter((f): f is string => typeof f === 'string').map((f) => f.split('/')[0]));
    } catch {
      listed = null;
    }
    if (listed !== null) return entries.filter((e) => e !== MANIFEST && !listed.has(e));
  }
  return entries.filter((e) => !KNOWN_OUTPUTS.some((pattern) => pattern.test(e)));
}

/**
 * Leftovers of a run that died (SIGKILL, power cut) in this parent folder: its staging folder, or
 * the old folder moved aside just before the swap. Called with the lock held, so no live run owns
 * them. If the run died between the two renames the old folder is put back: it is complete.
 */
function recover(folder: string): void {
  const parent = dirname(folder);
  const prefix = `.${basename(folder)}.footprint-`;
  let names: string[];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(prefix) && !n.endsWith('-lock'));
  } catch {
    return;
  }
  const olds = names.filter((n) => n.startsWith(`${prefix}old-`));
  if (!existsSync(folder) && olds.length > 0) {
    renameSync(join(parent, olds[0]), folder);
    olds.shift();
  }
  for (const name of names) {
    if (name.startsWith(`${prefix}new-`) || olds.includes(name) || name.startsWith(`${prefix}lock.stale-`)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** Turn "layers/gp.geojson" into a safe relative path; nothing may escape the folder. */
function safeRelative(relPath: string): string {
  const normal = normalize(relPath).split(sep).join('/');
  if (relPath === '' || isAbsolute(relPath) || normal === '..' || normal.startsWith('../') || normal === '.' || normal === MANIFEST) {
    throw new Error(`output file name "${relPath}" is not a plain relative path`);
  }
  return normal;
}

/**
 * Check an output folder and get a staging writer for it, before any data is loaded: the path must
 * not be an input or hold one, must not be a file, must be footprint's own if it has content, and
 * its parent must be writable (the staging folder is created there at once). Exit 2 on any failure.
 */
export function prepareOutputFolder(path: string, options: OutputOptions = {}): OutputFolder {
  const label = options.label ?? 'output folder';
  let folder = canonical(path);
  if (dirname(folder) === folder) throw new FootprintError(`${label} ${folder} is the root of the file system; give a folder inside it`);
  checkNotInput(folder, options.inputs ?? [], label, true);
  if (within(canonical(options.cwd ?? process.cwd()), folder)) {
    throw new FootprintError(`${label} ${folder} is or contains the working folder; give a folder of its own, e.g. ${join(folder, 'footprint-out')}`);
  }
  if (existsSync(folder)) {
    const stat = attempt(`read ${label}`, folder, () => statSync(folder));
    if (!stat.isDirectory()) throw new FootprintError(`${label} ${folder} is a file; give a folder (it is replaced as a whole)`);
    folder = realpathSync(folder);
    const entries = attempt(`read ${label}`, folder, () => readdirSync(folder));
    const foreign = foreignEntries(folder, entries);
    if (foreign.length > 0) {
      const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : '');
      throw new FootprintError(
        `${label} ${folder} holds files footprint did not write (${shown}); footprint replaces its output folder as a whole, so give an empty or new folder, or move those files`,
      );
    }
  }
  const parent = dirname(folder);
  ensureFolder(parent, label);
  const lockPath = acquireLock(folder, label);
  const staging = join(parent, `.${basename(folder)}.footprint-new-${randomBytes(6).toString('hex')}`);
  try {
    attempt(`clear what an earlier run left beside ${label}`, folder, () => recover(folder));
    // mkdir, not mkdtemp: the folder becomes the output and should get the usual permissions (umask), not 0700.
    attempt(`write ${label}`, folder, () => {
      mkdirSync(staging);
      // A folder replaced keeps its permissions (a group-writable shared folder stays so).
      if (existsSync(folder)) chmodSync(staging, statSync(folder).mode & 0o7777);
    });
  } catch (error) {
    releaseLock(lockPath);
    throw error;
  }
  const written: string[] = [];
  let state: 'open' | 'committed' | 'aborted' = 'open';

  const self: OutputFolder = {
    path: folder,
    write(relPath, contents) {
      if (state !== 'open') throw new Error(`output folder ${folder} is already ${state}`);
      const rel = safeRelative(relPath);
      const target = join(staging, rel);
      attempt('write', join(folder, rel), () => {
        mkdirSync(dirname(target), { recursive: true });
        writeDurably(target, contents);
      });
      if (!written.includes(rel)) written.push(rel);
      return join(folder, rel);
    },
    commit() {
      if (state !== 'open') throw new Error(`output folder ${folder} is already ${state}`);
      try {
        attempt('write', join(folder, MANIFEST), () => writeDurably(join(staging, MANIFEST), `${JSON.stringify({ footprint: VERSION, files: written }, null, 2)}\n`));
        const old = join(parent, `.${basename(folder)}.footprint-old-${randomBytes(4).toString('hex')}`);
        const hadOld = existsSync(folder);
        if (hadOld) attempt('replace', folder, () => renameSync(folder, old));
        try {
          attempt('replace', folder, () => renameSync(staging, folder));
        } catch (error) {
          try {
            if (hadOld) renameSync(old, folder);
          } catch {
            // The old folder stays aside, complete; the next run's recover() puts it back.
          }
          throw error;
        }
        state = 'committed';
        // The new set is in place; an old folder that cannot be removed now is cleared by the next run.
        if (hadOld) removeQuietly(old);
      } finally {
        if (state !== 'committed') self.abort();
        else {
          try {
            releaseLock(lockPath);
          } catch {
            // Stale once this process ends: the next run takes it over.
          }
          untrack(self);
        }
      }
      return written.map((rel) => join(folder, rel));
    },
    abort() {
      if (state !== 'open') return;
      state = 'aborted';
      removeQuietly(staging);
      try {
        releaseLock(lockPath);
      } catch {
        // A lock that cannot be removed is stale once this process ends; the next run takes it over.
      }
      untrack(self);
    },
  };
  track(self);
  return self;
}

/**
 * Write a whole output folder in one go: prepare (checks), `fill` the staging writer, commit. Any
 * error in `fill` leaves the old folder as it was and no staging folder behind.
 */
export function writeOutputFolder<T>(folder: OutputFolder, fill: (writer: OutputWriter) => T): { result: T; files: string[] } {
  try {
    const result = fill(folder);
    return { result, files: folder.commit() };
  } finally {
    folder.abort();
  }
}

// ---------------------------------------------------------------------------------------------
// Single output files

export interface OutputFile {
  readonly path: string;
  /** Write the file atomically (temporary file beside it, then rename). */
  write(contents: string | Uint8Array): void;
}

/** Temporary files of writes that died (SIGKILL) beside `path`: `.name.<pid>.<hex>.tmp` of dead pids. */
function removeStaleTemps(path: string): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid)) rmSync(join(dirname(path), name), { force: true });
  }
}

/**
 * Check a single output file before any work: not an input, not a folder, its folder creatable and
 * writable. The write itself is atomic, so a reader sees the old file or the new one.
 */
export function prepareOutputFile(path: string, options: OutputOptions = {}): OutputFile {
  const label = options.label ?? 'output file';
  const file = canonical(path);
  checkNotInput(file, options.inputs ?? [], label, false);
  if (existsSync(file) && lstatSync(file).isDirectory()) throw new FootprintError(`${label} ${file} is a folder; give a file name`);
  const folder = dirname(file);
  ensureFolder(folder, label);
  // A real write, not access(): permissions are not the only way a write fails (read-only mounts, ACLs).
  const probe = join(folder, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  attempt('write', file, () => {
    writeDurably(probe, '');
    unlinkSync(probe);
  });
  removeStaleTemps(file);
  return {
    path: file,
    write(contents) {
      const temp = join(folder, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        attempt('write', file, () => {
          writeDurably(temp, contents);
          renameSync(temp, file);
        });
      } finally {
        rmSync(temp, { force: true });
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Readers

/**
 * A file inside an output folder that is being swapped is missing for the microseconds between the
 * two renames. Readers (check, compare) call this first: while the file is absent and a live run
 * holds the lock of a folder around it, wait (up to `timeoutMs`) for the new set to appear.
 */
export function awaitOutputSwap(filePath: string, timeoutMs = 2000): void {
  const file = resolve(filePath);
  if (existsSync(file)) return;
  const locks: string[] = [];
  for (let folder = dirname(file); dirname(folder) !== folder; folder = dirname(folder)) locks.push(lockPathOf(folder));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file) && Date.now() < deadline) {
    if (!locks.some((lock) => ownerLive(readLock(lock), lock))) return;
    sleep(5);
  }
}
