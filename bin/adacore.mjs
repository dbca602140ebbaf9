#!/usr/bin/env node
// The `adacore` command: everything is in dist/cli.mjs (built from src/cli).
import { run } from '../dist/cli.mjs';

process.exitCode = await run(process.argv.slice(2));
