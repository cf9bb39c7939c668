/** Serves the simulator page and the Adaptive Cards renderer from node_modules (no CDN: air-gapped networks). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Router from '@koa/router';

const webDir = fileURLToPath(new URL('../../web/console/', import.meta.url));
const acDir = join(dirname(createRequire(import.meta.url).resolve('adaptivecards/package.json')), 'dist');

const FILES: Record<string, { file: string; type: string }> = {
  '/simulator': { file: join(webDir, 'index.html'), type: 'text/html; charset=utf-8' },
  '/console/app.js': { file: join(webDir, 'app.js'), type: 'application/javascript; charset=utf-8' },
  '/console/app.css': { file: join(webDir, 'app.css'), type: 'text/css; charset=utf-8' },
  '/vendor/adaptivecards.js': { file: join(acDir, 'adaptivecards.min.js'), type: 'application/javascript; charset=utf-8' },
  '/vendor/adaptivecards.css': { file: join(acDir, 'adaptivecards.css'), type: 'text/css; charset=utf-8' },
  // The CJK font the project ships (scheduler/fonts): pages read right on machines without one.
  '/fonts/duban-cjk.otf': { file: fileURLToPath(new URL('../../scheduler/fonts/NotoSansCJKsc-Regular-GB2312.otf', import.meta.url)), type: 'font/otf' },
};

export function consoleStaticRoutes(router: Router): void {
  const cache = new Map<string, Buffer>();
  for (const [path, { file, type }] of Object.entries(FILES)) {
    router.get(path, (ctx) => {
      let body = cache.get(path);
      if (!body) {
        body = readFileSync(file);
        cache.set(path, body);
      }
      ctx.type = type;
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = body;
    });
  }
}
