#!/usr/bin/env node
// The `duban` command. The code base is TypeScript run through tsx's loader (no build step), so the
// same files run in development, in tests and in production.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../bot/cli.ts');
process.exitCode = await main(process.argv.slice(2));
