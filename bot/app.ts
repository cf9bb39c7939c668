/**
 * The composition root: configuration → database → handlers → adapters → outbox worker → Koa.
 * Everything is created here and passed down; nothing reads the environment or a global.
 */
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { createReadStream, existsSync } from 'node:fs';
import type Koa from 'koa';
import Router from '@koa/router';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Database } from '../prisma/client.ts';
import { createServer } from './server.ts';
import { createOps, type Ops } from './ops/index.ts';
import { createPipeline, type Pipeline, type SerializedInbound } from './core/pipeline.ts';
import { tryLease } from '../scheduler/lease.ts';
import { conversationFor, notifierFor } from './core/messaging.ts';
import { consoleAdapterRoutes } from './console/adapter.ts';
import { consoleStaticRoutes } from './console/static.ts';
import { consoleSender } from './console/sender.ts';
import { DeliveryWorker } from './outbox/worker.ts';
import type { ChannelSender } from './outbox/types.ts';
import { resolveActionSecret } from './secrets.ts';
import { createDispatcher } from '../handlers/index.ts';
import { notifyPlatforms as platformsToNotify } from './platforms.ts';
import type { HandlerDeps } from '../handlers/context.ts';
import { registerWeb, type WebDeps } from '../web/server/index.ts';
import { registerProblemApi } from '../web/server/problems-api.ts';
import { requireRoles, securityHeaders } from '../web/server/auth.ts';
import type { InboundMessage } from '../handlers/bot.ts';
import { materializer } from '../handlers/services/materialize.ts';
import { parseWecomConfig } from './wecom/config.ts';
import { WecomClient } from './wecom/client.ts';
import { registerWecomRoutes } from './wecom/routes.ts';
import { wecomSender } from './wecom/sender.ts';
import { parseDingtalkConfig } from './dingtalk/config.ts';
import { DingtalkClient } from './dingtalk/client.ts';
import { registerDingtalkRoutes } from './dingtalk/routes.ts';
import { DingtalkStream } from './dingtalk/stream.ts';
import { dingtalkSender } from './dingtalk/sender.ts';
import { startScheduler, type SchedulerHandle } from '../scheduler/index.ts';
import { buildDigest, digestKindOfCommand, onDemandPeriod, publishDigest } from '../scheduler/digests.ts';

export interface App {
  koa: Koa;
  /** Every HTTP route (tests walk it to prove each one is guarded). */
  router: Router;
  db: Database;
  pipeline: Pipeline;
  worker: DeliveryWorker;
  /** Metrics and readiness (bot/ops). */
  ops: Ops;
  /** Starts background work (delivery) and recovers unprocessed inbound events. */
  start(): Promise<void>;
  /** Stops background work, finishing what is in flight. */
  stop(): Promise<void>;
}

export interface AppOptions {
  now?: () => Date;
  /** Extra channel senders (tests inject fakes; WeCom/DingTalk senders are added when configured). */
  senders?: ChannelSender[];
  /** Start the scheduler's clock in `start()` (default true; tests drive jobs directly). */
  scheduler?: boolean;
  /** Platform settings (WECOM_*, DINGTALK_*) from bot/config.ts `loadPlatformEnv`; none: console only. */
  platformEnv?: Record<string, string | undefined>;
}

export function createApp(config: Config, db: Database, log: Logger, options: AppOptions = {}): App {
  const now = options.now ?? (() => new Date());
  const actionSecret = resolveActionSecret(config);
  const env = options.platformEnv ?? {};
  const wecom = parseWecomConfig(env);
  const dingtalk = parseDingtalkConfig(env);
  const notifyPlatforms = platformsToNotify(config, env);
  const wecomClient = wecom ? WecomClient.fromConfig(wecom) : null;
  const dingtalkClient = dingtalk ? DingtalkClient.fromConfig(dingtalk) : null;
  const exportDir = resolve(config.DUBAN_EVIDENCE_DIR, '..', 'exports');

  const owner = `${hostname()}:${process.pid}`;
  const ops = createOps(db, { now, metricsToken: config.DUBAN_METRICS_TOKEN });
  const schedulerDeps = {
    db, now, log, notifyPlatforms, actionSecret, owner,
    policy: config.DUBAN_REMINDER_POLICY,
    yellowWorkdays: config.DUBAN_YELLOW_WORKDAYS,
    onJobRun: ops.metrics.jobRun,
  };
  let scheduler: SchedulerHandle | null = null;

  const handlerDeps: HandlerDeps = {
    digests: {
      async publish(kind, at) {
        return publishDigest(schedulerDeps, digestKindOfCommand(kind), onDemandPeriod(at), { now: at });
      },
      async build(kind, at) {
        return (await buildDigest(schedulerDeps, digestKindOfCommand(kind), onDemandPeriod(at), at)).messages;
      },
    },
    db,
    log,
    now,
    actionSecret,
    evidenceDir: resolve(config.DUBAN_EVIDENCE_DIR),
    evidenceMaxBytes: config.DUBAN_EVIDENCE_MAX_MB * 1024 * 1024,
    yellowWorkdays: config.DUBAN_YELLOW_WORKDAYS,
    notifier: notifierFor(db, notifyPlatforms, now),
    conversationFor: (m) => conversationFor(db, m, now),
    publicUrl: config.DUBAN_PUBLIC_URL ?? '',
    exportDir,
  };
  const dispatch = createDispatcher(handlerDeps);
  const pipeline = ops.metrics.countInbound(createPipeline(db, dispatch, log, now));
  const materialize = materializer({ db, now, actionSecret, yellowWorkdays: config.DUBAN_YELLOW_WORKDAYS });

  const senders: ChannelSender[] = [...(options.senders ?? [])];
  if (config.DUBAN_CONSOLE) senders.push(consoleSender(db, (row) => materialize(row.payload), now));
  const linkUrl = config.DUBAN_PUBLIC_URL ? `${config.DUBAN_PUBLIC_URL.replace(/\/$/, '')}/` : undefined;
  if (wecom && wecomClient) senders.push(wecomSender({ db, client: wecomClient, agentId: String(wecom.agentId), materialize: (row) => materialize(row.payload), log, ...(linkUrl ? { linkUrl } : {}) }));
  if (dingtalk && dingtalkClient) senders.push(dingtalkSender({ db, client: dingtalkClient, robotCode: dingtalk.robotCode, materialize: (row) => materialize(row.payload), log }));
  const worker = new DeliveryWorker({ db, senders, clock: { now }, log, workerId: owner, pollMs: 500, leaseMs: config.DUBAN_OUTBOX_LEASE_S * 1000, replicas: config.DUBAN_REPLICAS, observe: ops.metrics.delivery });

  const koa = createServer({ db, log, config, now, ops });
  const router = new Router();
  const webDeps: WebDeps = {
    db, log, now,
    handlers: handlerDeps,
    yellowWorkdays: config.DUBAN_YELLOW_WORKDAYS,
    evidenceDir: resolve(config.DUBAN_EVIDENCE_DIR),
    exportDir,
    maxUploadBytes: config.DUBAN_UPLOAD_MAX_MB * 1024 * 1024,
  };
  koa.use(securityHeaders);
  registerWeb(router, webDeps);
  registerProblemApi(router, webDeps);
  if (config.DUBAN_CONSOLE) {
    // The simulator speaks as anyone, so only a bureau administrator may open it.
    router.use('/simulator', requireRoles(webDeps, ['BUREAU_ADMIN'], { page: true }));
    router.use('/api/console', requireRoles(webDeps, ['BUREAU_ADMIN']));
    consoleStaticRoutes(router);
    consoleAdapterRoutes(router, { db, log, pipeline, now, maxUploadBytes: config.DUBAN_EVIDENCE_MAX_MB * 1024 * 1024, uploads: new Map() });
    // Exports are served to the console; with real platforms a signed-in web console serves them.
    router.get('/exports/:name', requireRoles(webDeps, ['BUREAU_ADMIN', 'BUREAU_STAFF', 'LEADER']), (ctx) => {
      const name = String(ctx.params.name);
      if (!/^[\p{L}\p{N}._-]+\.xlsx$/u.test(name)) return;
      const file = join(exportDir, name);
      if (!existsSync(file)) return;
      ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      ctx.attachment(name);
      ctx.body = createReadStream(file);
    });
  }
  // Platform callbacks: verify, decode, record (InboundEvent), answer; the work runs after.
  const onMessage = async (m: InboundMessage) => {
    await pipeline.accept(m);
  };
  if (wecom && wecomClient) registerWecomRoutes(router, { config: wecom, onMessage, log, media: wecomClient, now });
  if (dingtalk && dingtalkClient && dingtalk.mode === 'http') registerDingtalkRoutes(router, { config: dingtalk, onMessage, log, files: dingtalkClient, now: () => now().getTime() });
  const stream = dingtalk && dingtalkClient && dingtalk.mode === 'stream' ? DingtalkStream.fromConfig(dingtalk, { onMessage, log, files: dingtalkClient }) : null;
  koa.use(router.routes()).use(router.allowedMethods());
  log.info({ console: config.DUBAN_CONSOLE, wecom: Boolean(wecom), dingtalk: dingtalk ? dingtalk.mode : false }, 'platforms configured');

  let recoveryTimer: NodeJS.Timeout | undefined;
  return {
    koa,
    router,
    db,
    pipeline,
    worker,
    ops,
    async start() {
      // Text, clicks and greetings replay as they were; an attachment's bytes were never kept (the
      // platform's media handle may have expired), so those are marked and the sender asked again.
      const rehydrate = (p: SerializedInbound) => (p.kind === 'attachment' ? null : ({ ...p, receivedAt: new Date(p.receivedAt) } as InboundMessage));
      // SQLite is one process: what is unprocessed at start was interrupted here. On PostgreSQL
      // other replicas may be working on young events, so only old ones are taken, and the sweep
      // repeats (under a lease, one replica at a time) for events whose commit a replica could not
      // see — e.g. a connection lost as the database committed, after which the retry is a duplicate.
      const graceMs = db.provider === 'sqlite' ? 0 : config.DUBAN_INBOUND_RECOVERY_S * 1000;
      await pipeline.recover(rehydrate, graceMs);
      if (db.provider !== 'sqlite') {
        recoveryTimer = setInterval(() => {
          void (async () => {
            if (!(await tryLease(db.sql, 'inbound-recovery', owner, 60_000, now()))) return;
            await pipeline.recover(rehydrate, graceMs);
          })().catch((e: unknown) => log.debug({ err: e }, 'inbound recovery sweep failed; tried again at the next one'));
        }, Math.max(5_000, graceMs / 4));
        recoveryTimer.unref();
      }
      worker.start();
      if (stream) await stream.start();
      if (options.scheduler !== false) scheduler = startScheduler(schedulerDeps);
    },
    async stop() {
      if (recoveryTimer) clearInterval(recoveryTimer);
      await scheduler?.stop();
      if (stream) await stream.stop();
      await worker.stop();
      await pipeline.drain();
    },
  };
}
