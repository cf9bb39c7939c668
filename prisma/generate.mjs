#!/usr/bin/env node
// Generates the Prisma client twice from prisma/schema.prisma: once for SQLite and once for
// PostgreSQL (the provider line switched). Prisma 7's query compiler emits SQL for one provider, so
// each database needs its own client; both have the same API, which the application types against.
// Runs on `npm install` (postinstall) without network: the schema engine is a stub here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: join(here, 'engine-stub.mjs'),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
  PRISMA_DISABLE_WARNINGS: '1',
};

const source = readFileSync(join(here, 'schema.prisma'), 'utf8');
mkdirSync(join(here, 'generated'), { recursive: true });
const pgSchema = join(here, 'generated', 'schema.postgresql.prisma');
writeFileSync(
  pgSchema,
  '// Generated from ../schema.prisma by prisma/generate.mjs. Do not edit.\n' +
    source
      .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
      .replace('output       = "./generated/sqlite"', 'output       = "./postgresql"'),
);

for (const schema of [join(here, 'schema.prisma'), pgSchema]) {
  execFileSync(process.execPath, [cli, 'generate', '--schema', schema], { stdio: ['ignore', 'ignore', 'inherit'], env });
}
console.log('duban: generated Prisma clients for SQLite and PostgreSQL');
