/**
 * The one error type of Catalog and Admin: what went wrong in words, the server's err_code
 * when the server refused, and a hint that says what to do for the common refusals.
 */
export type AdminErrorCode =
  | 'invalid' // rejected here, before any request
  | 'unsupported' // the connected server is too old
  | 'notFound'
  | 'exists'
  | 'overlap'
  | 'resources'
  | 'casMismatch'
  | 'conflict'
  | 'timeout'
  | 'noJetStream'
  | 'permission'
  | 'api';

export class AdminError extends Error {
  override name = 'AdminError';
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    /** The server's err_code (10065 …) when the server refused. */
    readonly errCode?: number,
    /** What to do about it, when we know. */
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  toJSON(): { code: AdminErrorCode; errCode?: number; message: string; hint?: string } {
    return { code: this.code, ...(this.errCode ? { errCode: this.errCode } : {}), message: this.message, ...(this.hint ? { hint: this.hint } : {}) };
  }
}

interface ApiErrorShape {
  code?: number;
  err_code?: number;
  description?: string;
}

/** Server error codes we give hints for (nats-server errors.json). */
export const JsErrCodes = {
  ConsumerNotFound: 10014,
  ConsumerNameExists: 10013,
  InsufficientResources: 10023,
  NoMessageFound: 10037,
  JetStreamNotEnabledForAccount: 10039,
  StreamNameExists: 10058,
  StreamNotFound: 10059,
  StreamSubjectOverlap: 10065,
  StreamWrongLastSequence: 10071,
  WorkQueueConsumerNotUnique: 10100,
  ConsumerAlreadyExists: 10148,
} as const;

/**
 * Turns anything a JetStream call can throw (nats.js JetStreamApiError, a raw `error`
 * object from an API response, a timeout, no responders) into an AdminError.
 */
export function toAdminError(err: unknown): AdminError {
  if (err instanceof AdminError) return err;
  const e = err as { name?: string; message?: string; code?: unknown; apiError?: () => ApiErrorShape; cause?: unknown };
  let api: ApiErrorShape | undefined;
  if (typeof e?.apiError === 'function') api = e.apiError();
  else if (e && typeof e === 'object' && 'err_code' in e) api = e as ApiErrorShape;
  if (api) {
    const errCode = api.err_code;
    const desc = errCode === JsErrCodes.JetStreamNotEnabledForAccount ? 'JetStream is not enabled for this account' : (api.description ?? 'JetStream API error');
    const [code, hint] = classifyApiError(errCode, desc);
    return new AdminError(code, desc, errCode, hint, { cause: err });
  }
  const text = `${e?.name ?? ''} ${e?.message ?? String(err)} ${String((e?.cause as Error | undefined)?.message ?? '')}`;
  if (/timeout/i.test(text)) return new AdminError('timeout', 'JetStream did not answer in time', undefined, 'is the server overloaded, or is the JetStream meta leader being elected?', { cause: err });
  if (/no responders|503/i.test(text)) {
    return new AdminError('noJetStream', 'JetStream is not enabled on this server (its API did not answer: no responders)', undefined, 'enable JetStream on the server (jetstream {} in its config) or for this account; or check the JetStream domain / API prefix', { cause: err });
  }
  if (/permission/i.test(text)) return new AdminError('permission', e?.message ?? text, undefined, 'this user is not allowed to use this JetStream API subject', { cause: err });
  return new AdminError('api', e?.message ?? String(err), undefined, undefined, { cause: err });
}

function classifyApiError(errCode: number | undefined, desc: string): [AdminErrorCode, string | undefined] {
  switch (errCode) {
    case JsErrCodes.StreamSubjectOverlap:
      return ['overlap', 'another stream already captures some of these subjects; a subject can belong to one stream only. Narrow the subjects or change the other stream'];
    case JsErrCodes.InsufficientResources:
      return ['resources', 'the server (or account) has not enough storage/memory for the requested limits and replicas: lower max_bytes or replicas, or raise the JetStream limits'];
    case JsErrCodes.WorkQueueConsumerNotUnique:
      return ['conflict', 'a workqueue stream gives each subject to one consumer only: make the filter subjects of its consumers disjoint'];
    case JsErrCodes.StreamNameExists:
      return ['exists', 'a stream with this name exists with a different configuration: edit it (update) instead, or pick another name'];
    case JsErrCodes.ConsumerNotFound:
      return ['notFound', 'the consumer may have been deleted, or an ephemeral one expired after its inactive threshold'];
    case JsErrCodes.StreamNotFound:
      return ['notFound', 'check the stream name (names are case-sensitive)'];
    case JsErrCodes.NoMessageFound:
      return ['notFound', undefined];
    case JsErrCodes.ConsumerNameExists:
    case JsErrCodes.ConsumerAlreadyExists:
      return ['exists', 'a consumer with this name exists with a different configuration: edit it (update) instead'];
    case JsErrCodes.StreamWrongLastSequence:
      return ['casMismatch', undefined];
    case JsErrCodes.JetStreamNotEnabledForAccount:
      return ['noJetStream', 'enable JetStream for this account in the server configuration (or ask its operator)'];
  }
  if (/replicas > 1 not supported in non-clustered mode/i.test(desc)) return ['invalid', 'this server is not clustered: use replicas 1'];
  if (/insufficient resources|no suitable peers/i.test(desc)) return ['resources', 'not enough servers (or storage) for the requested replicas and placement'];
  if (/maximum (consumers|streams) limit/i.test(desc)) return ['resources', 'the account or stream limit on the number of these is reached: delete unused ones or raise the limit'];
  if (/not found/i.test(desc)) return ['notFound', undefined];
  if (/can not change|cannot change|can not be changed/i.test(desc)) return ['conflict', 'this field is fixed at creation: create a new one and move the data (diffConfig lists such fields)'];
  return ['api', undefined];
}

