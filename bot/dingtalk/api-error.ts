/**
 * A failed DingTalk API call, classified for the delivery worker: `retryable` errors go back to the
 * outbox with backoff, the rest to the dead letter with the reason. `code` is DingTalk's own code
 * as a string — a v1.0 API code ("InvalidAuthentication", "Forbidden.AccessDenied.QpsLimitForApi"),
 * an oapi errcode ("130101") — or ours for transport failures ("HTTP_503", "TIMEOUT", "NETWORK",
 * "PROTOCOL") and refusals before sending ("MSG_PARAM_TOO_LARGE").
 * v1.0 error format: https://open.dingtalk.com/document/orgapp/server-api-error-codes-1
 */
import { DomainError } from '../../domain/errors.ts';

export type DingtalkFailureKind = 'api' | 'http' | 'network' | 'timeout' | 'protocol' | 'refused';

/** oapi errcodes worth a later retry: -1 system busy; 130101 custom robot "send too fast" (20/min, 10 min penalty). */
const RETRYABLE_ERRCODES = new Set(['-1', '130101']);
/** v1.0 codes of flow control. */
const RETRYABLE_CODE = /QpsLimit|Throttl|too\.fast|SystemBusy|ServiceUnavailable/i;

export class DingtalkApiError extends DomainError {
  readonly retryable: boolean;
  readonly kind: DingtalkFailureKind;
  readonly api: string;
  readonly httpStatus: number | undefined;
  /** DingTalk's own message, for logs. */
  readonly platformMessage: string;

  constructor(init: {
    api: string;
    code: string;
    platformMessage: string;
    kind: DingtalkFailureKind;
    retryable: boolean;
    httpStatus?: number;
    details?: Record<string, unknown>;
  }) {
    super(
      init.code,
      `钉钉接口调用失败（${init.code}），${init.retryable ? '稍后将自动重试' : '请联系管理员检查配置'}。`,
      `DingTalk ${init.api} failed (${init.kind}${init.httpStatus ? ` HTTP ${init.httpStatus}` : ''}): ${init.code} ${init.platformMessage}`,
      { api: init.api, kind: init.kind, ...init.details },
    );
    this.name = 'DingtalkApiError';
    this.retryable = init.retryable;
    this.kind = init.kind;
    this.api = init.api;
    this.httpStatus = init.httpStatus;
    this.platformMessage = init.platformMessage;
  }

  /** A v1.0 API answered non-2xx with `{code, message}`. 5xx, 429, 401 (after our one refresh) and flow control retry. */
  static fromHttp(api: string, status: number, body: { code?: unknown; message?: unknown } | undefined): DingtalkApiError {
    const code = typeof body?.code === 'string' && body.code ? body.code : `HTTP_${status}`;
    const retryable = status >= 500 || status === 429 || status === 401 || RETRYABLE_CODE.test(code);
    return new DingtalkApiError({ api, code, platformMessage: String(body?.message ?? ''), kind: 'http', retryable, httpStatus: status });
  }

  /** An oapi answer `{errcode ≠ 0, errmsg}`. */
  static fromErrcode(api: string, errcode: number, errmsg: string): DingtalkApiError {
    const code = String(errcode);
    return new DingtalkApiError({ api, code, platformMessage: errmsg, kind: 'api', retryable: RETRYABLE_ERRCODES.has(code) });
  }

  static transport(api: string, kind: 'network' | 'timeout' | 'protocol', detail: string): DingtalkApiError {
    const code = kind === 'timeout' ? 'TIMEOUT' : kind === 'network' ? 'NETWORK' : 'PROTOCOL';
    return new DingtalkApiError({ api, code, platformMessage: detail, kind, retryable: kind !== 'protocol' });
  }

  /** Refused before sending (too large, bad argument): retrying cannot help. */
  static refused(api: string, code: string, detail: string): DingtalkApiError {
    return new DingtalkApiError({ api, code, platformMessage: detail, kind: 'refused', retryable: false });
  }
}

export function isRetryableDingtalkError(e: unknown): boolean {
  return e instanceof DingtalkApiError && e.retryable;
}
