#!/usr/bin/env node
// The CLI entry: runs the compiled program (npm's `prepare` builds dist/ with tsc).
import { run } from '../dist/src/cli/bin.js';
run();
