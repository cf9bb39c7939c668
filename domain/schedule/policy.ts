/**
 * The reminder policy: when tickets are chased, who is escalated to, and when messages may go out.
 * Loaded from JSON (bureau configuration) and validated here; every field has a default, so `{}` is
 * the default policy.
 */
import { z } from 'zod';
import { DomainError } from '../errors.ts';

const HHMM_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const hhmm = z.string().regex(HHMM_RE, 'expected HH:MM (24-hour)');

/** Minutes after midnight of an `HH:MM` already validated by the schema. */
export function minutesOf(hm: string): number {
  const m = HHMM_RE.exec(hm);
  if (!m) throw new DomainError('SCHEDULE_BAD_TIME', `时间「${hm}」格式不正确，应为 HH:MM。`, `invalid time ${JSON.stringify(hm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Inclusive at minute resolution: 09:00–17:30 allows 17:30:59 and refuses 17:31. */
const timeWindow = z
  .object({ start: hhmm, end: hhmm })
  // a malformed HH:MM is already reported by its own field; only compare well-formed times
  .refine((w) => !HHMM_RE.test(w.start) || !HHMM_RE.test(w.end) || minutesOf(w.start) <= minutesOf(w.end), 'window start must not be after its end');

export const reminderPolicySchema = z
  .object({
    /** T-n reminders, in working days before the due date. */
    beforeDue: z
      .array(z.number().int().min(1).max(60))
      .max(10)
      .refine((a) => new Set(a).size === a.length, 'beforeDue values must be distinct')
      .default([5, 3, 1]),
    /** On the N-th overdue working day the unit leader is told (once). */
    escalateLeaderAfter: z.number().int().min(1).max(60).default(3),
    /** On the M-th overdue working day the bureau group is told (once); M > N. */
    escalateBureauAfter: z.number().int().min(1).max(120).default(7),
    /** Ordinary reminders go out only on working days inside this window (Asia/Shanghai). */
    sendWindow: timeWindow.default({ start: '09:00', end: '17:30' }),
    /**
     * Urgent tickets ignore `sendWindow` and the working-day rule, but not the night: they go out
     * on any day inside this window. null = at any hour.
     */
    urgentWindow: timeWindow.nullable().default({ start: '08:00', end: '22:00' }),
  })
  .refine((p) => p.escalateBureauAfter > p.escalateLeaderAfter, {
    message: 'escalateBureauAfter must be greater than escalateLeaderAfter',
    path: ['escalateBureauAfter'],
  })
  .transform((p) => ({ ...p, beforeDue: [...p.beforeDue].sort((a, b) => b - a) }));

export type ReminderPolicy = z.output<typeof reminderPolicySchema>;
export type ReminderPolicyInput = z.input<typeof reminderPolicySchema>;

export const DEFAULT_REMINDER_POLICY: Readonly<ReminderPolicy> = Object.freeze(reminderPolicySchema.parse({}));

/**
 * A policy from configuration: a JSON string or an already parsed value. Missing fields take their
 * defaults; anything invalid is refused with SCHEDULE_BAD_POLICY naming the field.
 */
export function parseReminderPolicy(input: unknown): ReminderPolicy {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new DomainError('SCHEDULE_BAD_POLICY', '提醒策略不是合法的 JSON。', `reminder policy is not JSON: ${(e as Error).message}`);
    }
  }
  const parsed = reminderPolicySchema.safeParse(value ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DomainError(
      'SCHEDULE_BAD_POLICY',
      `提醒策略配置不正确：${lines.join('；')}`,
      `invalid reminder policy: ${lines.join('; ')}`,
      { issues: lines },
    );
  }
  return parsed.data;
}
