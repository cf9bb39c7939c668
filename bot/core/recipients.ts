/**
 * Who a platform-neutral outbox target means on a platform: people's platform ids and the chat
 * groups (with robot webhooks) from the directory. Cached and refreshed in the background, because
 * the delivery worker asks for rate-limit keys synchronously and per row.
 */
import type { Database } from '../../prisma/client.ts';

export type PlatformKey = 'WECOM' | 'DINGTALK';

export interface Recipients {
  /** Platform user ids (WeCom userid, DingTalk staffId). */
  users: string[];
  /** A chat group of the platform: chat id and/or robot webhook. */
  group?: { chatId: string | null; webhookUrl: string | null; webhookSecret: string | null; name: string };
}

interface Snapshot {
  at: number;
  people: { id: string; role: string; unitCode: string | null; wecom: string | null; dingtalk: string | null }[];
  groups: { platform: string; purpose: string; unitCode: string | null; chatId: string | null; webhookUrl: string | null; webhookSecret: string | null; name: string }[];
}

export class RecipientDirectory {
  private snap: Snapshot = { at: -Infinity, people: [], groups: [] };
  private loading: Promise<void> | null = null;

  constructor(private readonly db: Database, private readonly now: () => number = Date.now, private readonly ttlMs = 60_000) {}

  async refresh(force = false): Promise<void> {
    if (!force && this.now() - this.snap.at < this.ttlMs) return;
    this.loading ??= (async () => {
      const [people, groups] = await Promise.all([
        this.db.prisma.person.findMany({ where: { active: true }, select: { id: true, role: true, unitCode: true, wecomUserId: true, dingtalkUserId: true } }),
        this.db.prisma.chatGroup.findMany({ where: { platform: { in: ['WECOM', 'DINGTALK'] } } }),
      ]);
      this.snap = {
        at: this.now(),
        people: people.map((p) => ({ id: p.id, role: p.role, unitCode: p.unitCode, wecom: p.wecomUserId, dingtalk: p.dingtalkUserId })),
        groups: groups.map((g) => ({ platform: g.platform, purpose: g.purpose, unitCode: g.unitCode, chatId: g.chatId, webhookUrl: g.webhookUrl, webhookSecret: g.webhookSecret, name: g.name })),
      };
    })().finally(() => {
      this.loading = null;
    });
    await this.loading;
  }

  /** Resolves a target with the current snapshot (call `refresh` before delivering). */
  resolve(platform: PlatformKey, target: string): Recipients {
    const idOf = (p: Snapshot['people'][number]) => (platform === 'WECOM' ? p.wecom : p.dingtalk);
    const ids = (list: Snapshot['people']) => [...new Set(list.map(idOf).filter((x): x is string => Boolean(x)))];
    const groupOf = (f: (g: Snapshot['groups'][number]) => boolean) => this.snap.groups.find((g) => g.platform === platform && f(g));
    const [kind, ...rest] = target.split(':');
    const id = rest.join(':');
    switch (kind) {
      case 'user':
        return { users: [id] };
      case 'person':
        return { users: ids(this.snap.people.filter((p) => p.id === id)) };
      case 'unit': {
        const group = groupOf((g) => g.purpose === 'UNIT' && g.unitCode === id);
        const users = ids(this.snap.people.filter((p) => p.unitCode === id && p.role === 'UNIT_OFFICER'));
        return group ? { users, group } : { users };
      }
      case 'bureau': {
        const group = groupOf((g) => g.purpose === 'BUREAU');
        const users = ids(this.snap.people.filter((p) => p.role === 'BUREAU_STAFF' || p.role === 'BUREAU_ADMIN'));
        return group ? { users, group } : { users };
      }
      case 'leadership': {
        const group = groupOf((g) => g.purpose === 'LEADERSHIP');
        return group ? { users: [], group } : { users: ids(this.snap.people.filter((p) => p.role === 'LEADER')) };
      }
      case 'group': {
        const group = groupOf((g) => g.chatId === id);
        return { users: [], group: group ?? { chatId: id, webhookUrl: null, webhookSecret: null, name: id } };
      }
      default:
        return { users: [] };
    }
  }
}
