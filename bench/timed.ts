import { spawnSync } from 'node:child_process';

export interface TimedRun {
  seconds: number;
  /** Peak resident memory of the child, from /usr/bin/time; null where it is not installed. */
  rssMiB: number | null;
  stdout: string;
  /** What the child wrote, without /usr/bin/time's own line. */
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs `node argv…` (the CLI, in its own process) under /usr/bin/time when it is there, else timed alone. */
export function timedNode(argv: string[], options: { cwd?: string } = {}): TimedRun {
  const spawnOptions = { cwd: options.cwd, encoding: 'utf8' as const, maxBuffer: 1 << 28 };
  const t = performance.now();
  const timed = spawnSync('/usr/bin/time', ['-f', 'maxrss_kib=%M', process.execPath, ...argv], spawnOptions);
  if (timed.error) {
    const plain = spawnSync(process.execPath, argv, spawnOptions);
    return { seconds: (performance.now() - t) / 1000, rssMiB: null, stdout: plain.stdout, stderr: plain.stderr, code: plain.status, signal: plain.signal };
  }
  const seconds = (performance.now() - t) / 1000;
  const m = /maxrss_kib=(\d+)\s*$/.exec(timed.stderr);
  return { seconds, rssMiB: m ? Number(m[1]) / 1024 : null, stdout: timed.stdout, stderr: m ? timed.stderr.slice(0, m.index) : timed.stderr, code: timed.status, signal: timed.signal };
}
