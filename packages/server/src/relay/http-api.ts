import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hub } from './hub';
import { allow, authenticate, badRequest, checkBodyMd5, decode, HttpError, parseJson, readBody, reply } from './http-request';
import { CHANNEL_NAME, exceedsBytes, isPublishableChannel, SERVER_TO_USER, SOCKET_ID, USER_ID } from './limits';
import type { AppState, Channel } from './relay-socket';

interface EventInput {
  name: string;
  data: string;
  channels: string[];
  socketId: string | null;
  info: Set<string>;
}

/** The relay's HTTP API (`/apps/<appId>/...`), as the `pusher` SDK calls it. */
export function createHttpApi(
  hub: Hub,
  publish: (state: AppState, input: EventInput) => void,
  terminate: (state: AppState, userId: string) => void,
) {
  const { limits } = hub;

  function handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    if (!url.startsWith('/apps/')) return false;
    hub.counters.httpRequests++;
    serve(req, res, url).catch((error: unknown) => {
      if (error instanceof HttpError) return reply(res, error.status, { error: { code: error.code, message: error.message } });
      reply(res, 500, { error: { code: 'internal', message: 'Internal relay error' } });
    });
    return true;
  }

  async function serve(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const segments = path.split('/'); // ['', 'apps', id, ...rest]
    const app = hub.byId.get(decode(segments[2] ?? ''));
    if (!app) throw new HttpError(404, 'not_found', `Unknown app ${segments[2] ?? ''}`);
    const params = authenticate(req, app, path, q < 0 ? '' : url.slice(q + 1));
    if (!app.settings.enabled) throw new HttpError(403, 'forbidden', `App ${app.app.id} is disabled`);
    const body = await readBody(req, limits.maxHttpBodyBytes);
    checkBodyMd5(body, params.get('body_md5'));
    const rest = segments.slice(3);
    const method = req.method ?? 'GET';
    const route = rest[0];

    if (route === 'events' && rest.length === 1) {
      allow(method, 'POST');
      const input = parseEvent(parseJson(body), true);
      publish(app, input);
      // Pusher answers `{}`, or the channels' attributes when the request asked with `info`.
      if (input.info.size === 0) return reply(res, 200, {});
      const channels: Record<string, Record<string, number>> = {};
      for (const name of input.channels) channels[name] = attributes(app.channels.get(name), input.info);
      return reply(res, 200, { channels });
    }
    if (route === 'batch_events' && rest.length === 1) {
      allow(method, 'POST');
      const batch = (parseJson(body) as { batch?: unknown }).batch;
      if (!Array.isArray(batch) || batch.length === 0) throw badRequest('batch must be a non-empty array');
      if (batch.length > limits.maxBatchEvents) {
        throw badRequest(`Batch too large: at most ${limits.maxBatchEvents} events`);
      }
      // Validate the whole batch before delivering any of it.
      const inputs = batch.map((item: unknown) => parseEvent(item, false));
      for (const input of inputs) publish(app, input);
      if (inputs.every((input) => input.info.size === 0)) return reply(res, 200, {});
      return reply(res, 200, { batch: inputs.map((input) => attributes(app.channels.get(input.channels[0]!), input.info)) });
    }
    if (route === 'users' && rest.length === 3) {
      allow(method, 'POST');
      const userId = decode(rest[1] ?? '');
      if (!USER_ID.test(userId)) throw badRequest(`Invalid user id ${userId.slice(0, 200)}`);
      if (rest[2] === 'terminate_connections') {
        terminate(app, userId);
        return reply(res, 200, {});
      }
      if (rest[2] === 'events') {
        const { name, data } = (parseJson(body) ?? {}) as { name?: unknown; data?: unknown };
        publish(app, parseEvent({ name, data, channel: SERVER_TO_USER + userId }, false));
        return reply(res, 200, {});
      }
    }
    if (route === 'channels' && rest.length === 1) {
      allow(method, 'GET');
      const prefix = params.get('filter_by_prefix') ?? '';
      const info = infoFields(params.get('info'));
      if (info.has('user_count') && !prefix.startsWith('presence-')) {
        throw badRequest('info=user_count needs filter_by_prefix=presence-');
      }
      const channels: Record<string, Record<string, number>> = {};
      for (const [name, channel] of app.channels) {
        if (name.startsWith(prefix) && !name.startsWith('#')) channels[name] = attributes(channel, info);
      }
      return reply(res, 200, { channels });
    }
    if (route === 'channels' && (rest.length === 2 || (rest.length === 3 && rest[2] === 'users'))) {
      allow(method, 'GET');
      const name = decode(rest[1] ?? '');
      if (!CHANNEL_NAME.test(name)) throw badRequest(`Invalid channel name ${name.slice(0, 200)}`);
      const channel = app.channels.get(name);
      if (rest.length === 3) {
        if (!name.startsWith('presence-')) throw badRequest('Users are only listed for presence channels');
        const users = channel?.members ? [...channel.members.keys()].map((id) => ({ id })) : [];
        return reply(res, 200, { users });
      }
      const info = infoFields(params.get('info'));
      if (info.has('user_count') && !name.startsWith('presence-')) {
        throw badRequest('user_count is only available for presence channels');
      }
      return reply(res, 200, { occupied: channel !== undefined, ...attributes(channel, info) });
    }
    throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
  }

  function parseEvent(value: unknown, many: boolean): EventInput {
    if (typeof value !== 'object' || value === null) throw badRequest('An event is a JSON object');
    const { name, data, channels, channel, socket_id: socketId, info } = value as Record<string, unknown>;
    if (typeof name !== 'string' || name.length === 0 || name.length > limits.maxEventNameLength) {
      throw badRequest(`name must be a string of 1-${limits.maxEventNameLength} characters`);
    }
    if (typeof data !== 'string') throw badRequest('data must be a string (JSON-encode it)');
    if (exceedsBytes(data, limits.maxEventDataBytes)) {
      throw new HttpError(413, 'payload_too_large', `Event data is over ${limits.maxEventDataBytes} bytes`);
    }
    const list = many && channels !== undefined ? channels : [channel];
    if (!Array.isArray(list) || list.length === 0 || list.length > limits.maxChannelsPerEvent) {
      throw badRequest(`channels must list 1-${limits.maxChannelsPerEvent} channels`);
    }
    for (const c of list) {
      if (typeof c !== 'string' || !isPublishableChannel(c)) throw badRequest(`Invalid channel name ${String(c).slice(0, 200)}`);
    }
    if (socketId !== undefined && socketId !== null && (typeof socketId !== 'string' || !SOCKET_ID.test(socketId))) {
      throw badRequest('socket_id must look like 1234.5678');
    }
    if (info !== undefined && typeof info !== 'string') throw badRequest('info must be a comma-separated string');
    const fields = infoFields(info);
    if (fields.has('user_count') && !(list as string[]).every((c) => c.startsWith('presence-'))) {
      throw badRequest('info=user_count is only available for presence channels');
    }
    return { name, data, channels: list as string[], socketId: (socketId as string | undefined) ?? null, info: fields };
  }

  return { handleHttp };
}

const INFO_FIELDS = new Set(['user_count', 'subscription_count']);

function infoFields(value: string | undefined): Set<string> {
  const fields = new Set((value ?? '').split(',').filter(Boolean));
  for (const f of fields)
    if (!INFO_FIELDS.has(f)) throw badRequest(`Unknown info attribute ${f.slice(0, 50)}: use user_count, subscription_count`);
  return fields;
}

function attributes(channel: Channel | undefined, info: Set<string>): Record<string, number> {
  const entry: Record<string, number> = {};
  if (info.has('user_count')) entry.user_count = channel?.members?.size ?? 0;
  if (info.has('subscription_count')) entry.subscription_count = channel?.sockets.size ?? 0;
  return entry;
}

export type { EventInput };
