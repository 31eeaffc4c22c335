import type { CliIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { repoRoot } from './data.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process, as the shell would, capturing what it prints. */
export async function runCli(argv: string[], options: { cwd?: string; env?: Record<string, string>; tty?: boolean } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stderrIsTTY: options.tty ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? repoRoot,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
