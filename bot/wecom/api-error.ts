/**
 * A failed WeCom API call, classified for the delivery worker: `retryable` errors go back to the
 * outbox with backoff, the rest to the dead letter with the reason. Codes:
 * https://developer.work.weixin.qq.com/document/path/90313 (global error codes).
 */
import { DomainError } from '../../domain/errors.ts';

/** Where the failure came from: WeCom's errcode, the HTTP layer, the network, or a malformed answer. */
export type WecomFailureKind = 'api' | 'http' | 'network' | 'timeout' | 'protocol';

/** -1 system busy; 45009 frequency limit; 45033 concurrency limit. */
const RETRYABLE_CODES = new Set([-1, 45009, 45033]);
/** Token gone stale (expired early, invalidated, missing): the client refreshes and retries once itself. */
export const TOKEN_CODES = new Set([40014, 42001, 41001]);

export class WecomApiError extends DomainError {
  readonly errcode: number;
  readonly errmsg: string;
  readonly retryable: boolean;
  readonly kind: WecomFailureKind;
  readonly api: string;
  readonly httpStatus: number | undefined;

  constructor(init: { api: string; errcode: number; errmsg: string; kind: WecomFailureKind; retryable: boolean; httpStatus?: number }) {
    super(
      'WECOM_API_ERROR',
      `企业微信接口调用失败（错误码 ${init.errcode}），${init.retryable ? '稍后将自动重试' : '请联系管理员检查配置'}。`,
      `WeCom ${init.api} failed (${init.kind}${init.httpStatus ? ` HTTP ${init.httpStatus}` : ''}): errcode ${init.errcode} ${init.errmsg}`,
      { errcode: init.errcode, api: init.api, kind: init.kind },
    );
    this.name = 'WecomApiError';
    this.errcode = init.errcode;
    this.errmsg = init.errmsg;
    this.retryable = init.retryable;
    this.kind = init.kind;
    this.api = init.api;
    this.httpStatus = init.httpStatus;
  }

  /** From a JSON answer with errcode ≠ 0. A stale token that survived one refresh is still worth a later retry. */
  static fromErrcode(api: string, errcode: number, errmsg: string): WecomApiError {
    const retryable = RETRYABLE_CODES.has(errcode) || TOKEN_CODES.has(errcode);
    return new WecomApiError({ api, errcode, errmsg, kind: 'api', retryable });
  }

  /** Transport failures carry errcode -1 ("system busy": retry) unless the HTTP status says otherwise. */
  static transport(api: string, kind: 'http' | 'network' | 'timeout' | 'protocol', detail: string, httpStatus?: number): WecomApiError {
    const retryable = kind === 'network' || kind === 'timeout' || (httpStatus !== undefined && (httpStatus >= 500 || httpStatus === 429));
    return new WecomApiError({ api, errcode: -1, errmsg: detail, kind, retryable, ...(httpStatus ? { httpStatus } : {}) });
  }
}

export function isRetryableWecomError(e: unknown): boolean {
  return e instanceof WecomApiError && e.retryable;
}
