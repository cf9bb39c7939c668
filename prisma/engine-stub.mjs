#!/usr/bin/env node
// Stands in for Prisma's native schema engine during `prisma generate`, which needs no engine.
// Migrations run through the WebAssembly engine instead (prisma/engine.ts), so nothing is downloaded.
process.stderr.write('duban: the native Prisma schema engine is not used; run `duban migrate` instead.\n');
process.exit(1);
