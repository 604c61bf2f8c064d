// Runs the CLI from the TypeScript sources (no build step): node --import tsx scripts/evonorm-dev.ts <args>
import { run } from '../src/cli/bin.js';
run();
