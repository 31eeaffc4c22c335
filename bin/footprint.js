#!/usr/bin/env node
// The CLI runs the compiled library in dist/ (built on install by the "prepare" script).
import { run } from '../dist/cli/main.js';

const code = await run(process.argv.slice(2));
process.exitCode = code;
