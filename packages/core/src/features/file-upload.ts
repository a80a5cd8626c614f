import { BanterError } from '../errors';
import { type HttpApi, httpError } from '../http';
import type { CreateUploadResponse, UploadLimitsInfo } from '../protocol/attachments';
import { UPLOAD_LIMITS } from '../protocol/upload-limits';
import { updateConversation } from '../reducer';
import type { LocalFile, LocalMessage } from '../types';
import type { ClientContext } from './context';

type Progress = (loaded: number) => void;

/**
 * PUT the bytes where the server said (a presigned S3 URL or Banter's own signed route). In a browser
 * through XMLHttpRequest, the only API with upload progress; elsewhere through fetch, with progress
 * only at the end. No bearer token: the signature in the URL is the credential.
 */
export function putFile(
  target: CreateUploadResponse,
  blob: Blob,
  onProgress: Progress,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const what = 'PUT upload';
  if (typeof XMLHttpRequest === 'undefined') {
    const timeout = AbortSignal.timeout(timeoutMs);
    return fetch(target.url, {
      method: 'PUT',
      headers: target.headers,
      body: blob,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    }).then(
      async (response) => {
        if (!response.ok) throw httpError(what, response.status, await response.text());
        onProgress(blob.size);
      },
      (cause) => {
        throw new BanterError('network', `${what} failed; ${(cause as Error)?.message ?? cause}`, { cause });
      },
    );
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', target.url);
    for (const [name, value] of Object.entries(target.headers)) xhr.setRequestHeader(name, value);
    xhr.timeout = timeoutMs;
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(blob.size);
        resolve();
      } else reject(httpError(what, xhr.status, xhr.responseText));
    };
    const failed = (reason: string) => () => reject(new BanterError('network', `${what} failed; ${reason}`));
    xhr.onerror = failed('no answer');
    xhr.ontimeout = failed(`no answer within ${timeoutMs} ms`);
    xhr.onabort = failed('aborted');
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(blob);
  });
}

/** Announce and upload one file; resolves with its upload id. */
async function uploadFile(
  http: HttpApi,
  conversationId: string,
  file: { blob: Blob; name: string; type: string },
  onProgress: Progress,
  signal?: AbortSignal,
): Promise<string> {
  if (!http.createUpload) throw new BanterError('internal', 'unable to upload; this HTTP layer has no createUpload');
  const target = await http.createUpload(conversationId, { name: file.name, type: file.type, size: file.blob.size });
  signal?.throwIfAborted();
  // A large file on a slow line: a minute plus a second per 100 kB.
  await putFile(target, file.blob, onProgress, 60_000 + Math.round(file.blob.size / 100), signal);
  return target.upload.id;
}

/** Refuses what the server would refuse: too many, too big, or a type it does not take. */
function check(limits: UploadLimitsInfo | null, files: readonly LocalFile[]): BanterError | undefined {
  const perMessage = limits?.perMessage ?? UPLOAD_LIMITS.perMessage;
  const maxBytes = limits?.maxBytes ?? UPLOAD_LIMITS.maxBytes;
  if (files.length > perMessage) return new BanterError('validation_failed', `unable to send message; at most ${perMessage} files`);
  for (const file of files) {
    const name = file.name;
    if (file.size > maxBytes) {
      return new BanterError('payload_too_large', `unable to send ${name}; files are at most ${maxBytes} bytes`, {
        details: { limit: maxBytes, name },
      });
    }
    // The server decides by the bytes; a claimed type it never takes fails here, without a request.
    const type = file.type;
    if (limits && type && !limits.allowedTypes.includes(type)) {
      return new BanterError('unsupported_media_type', `unable to send ${name}; ${type} files are not allowed here`, {
        details: { type, name },
      });
    }
  }
  return undefined;
}

function setFile(ctx: ClientContext, conversationId: string, clientId: string, index: number, patch: Partial<LocalFile>) {
  ctx.dispatch((s) =>
    updateConversation(s, conversationId, (cs) => {
      const at = cs.messages.findIndex((m) => m.seq === null && m.clientId === clientId);
      const files = cs.messages[at]?.files;
      if (!files?.[index]) return cs;
      const messages = [...cs.messages];
      messages[at] = { ...messages[at]!, files: files.map((f, i) => (i === index ? { ...f, ...patch } : f)) };
      return { ...cs, messages };
    }),
  );
}

/**
 * Check the files of a pending message against the server's limits (a refusal costs no request),
 * then upload those not in yet, in order, with progress into the store and `upload` events.
 *
 * @example
 * const ids = await uploadFiles(ctx, limits, conversationId, message, blobs, controller.signal);
 */
export async function uploadFiles(
  ctx: ClientContext,
  limits: UploadLimitsInfo | null,
  conversationId: string,
  message: LocalMessage & { files: LocalFile[] },
  inputs: readonly Blob[],
  signal?: AbortSignal,
): Promise<string[]> {
  const refused = check(limits, message.files);
  if (refused) throw refused;
  const ids: string[] = [];
  for (const [index, file] of message.files.entries()) {
    // A retry: what is in already is not uploaded again.
    const current = ctx.get(conversationId)?.messages.find((m) => m.clientId === message.clientId)?.files?.[index];
    if (current?.uploadId) {
      ids.push(current.uploadId);
      continue;
    }
    const progress = (loaded: number) => {
      setFile(ctx, conversationId, message.clientId, index, { loaded });
      ctx.events.emit('upload', { conversationId, clientId: message.clientId, index, loaded, total: file.size });
    };
    const id = await uploadFile(ctx.http, conversationId, { blob: inputs[index]!, name: file.name, type: file.type }, progress, signal);
    setFile(ctx, conversationId, message.clientId, index, { uploadId: id, loaded: file.size });
    ids.push(id);
  }
  return ids;
}
