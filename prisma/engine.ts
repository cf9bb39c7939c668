/**
 * Prisma's schema engine compiled to WebAssembly, driven through a driver adapter.
 *
 * Why: the Prisma CLI downloads a native schema engine, which air-gapped government networks
 * cannot reach. `@prisma/schema-engine-wasm` ships the same engine inside an npm package, so
 * migrations run anywhere npm packages install. Node 20 cannot `import` a .wasm file, so the
 * module is instantiated by hand with the JS glue as its import object.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

let initialised = false;

function initWasm(): void {
  if (initialised) return;
  // The package does not export its .wasm file; locate it beside the exported glue module.
  const require = createRequire(import.meta.url);
  const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
  const module = new WebAssembly.Module(readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports });
  const g = glue as unknown as { __wbg_set_wasm(exports: WebAssembly.Exports): void };
  g.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  initialised = true;
}

export interface EngineHandle {
  engine: SchemaEngine;
  logs: string[];
  /** Frees the engine and disposes every connection it opened (freeing alone leaves them open). */
  close(): Promise<void>;
}

/** Open the WASM schema engine on a database reached through a migration-aware driver adapter factory. */
export async function openSchemaEngine(
  schemaPath: string,
  schemaContent: string,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<EngineHandle> {
  initWasm();
  const logs: string[] = [];
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    async connect() {
      const a = await adapterFactory.connect();
      opened.push(a);
      return a;
    },
    async connectToShadowDb() {
      const a = await adapterFactory.connectToShadowDb();
      opened.push(a);
      return a;
    },
  };
  const { SchemaEngine: Engine } = glue as unknown as { SchemaEngine: typeof SchemaEngine };
  const engine = await Engine.new(
    { datamodels: [[schemaPath, schemaContent]] },
    (line: string) => logs.push(line),
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  return {
    engine,
    logs,
    async close() {
      engine.free();
      for (const a of opened.splice(0)) await a.dispose().catch(() => undefined);
    },
  };
}
