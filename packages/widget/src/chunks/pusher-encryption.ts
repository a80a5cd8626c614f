// pusher-js's encrypted channel (src/core/channels/encrypted_channel.ts, 8.6.0) for the script tag,
// as a lazy chunk: dist/widget.pusher-encryption.js loads the first time a page subscribes a
// `private-encrypted-` channel through `Banter.Pusher` (see ../../pusher-source.ts). The chunk holds
// tweetnacl (its small build: events are at most 10 KB) and this port; pusher-js itself stays in
// widget.js, which hands its PrivateChannel and Logger over when it calls `encrypt`.
// tweetnacl's small build: the same API as its default nacl-fast.js, 4 kB less gzipped.
import nacl from 'tweetnacl/nacl.js';

type AuthorizationData = { auth: string; channel_data?: string; shared_secret?: string };
type AuthorizationCallback = (error: Error | null, data: AuthorizationData | null) => void;

/** What the chunk uses of pusher-js's PrivateChannel (and Channel under it). */
export interface PrivateChannelLike {
  name: string;
  pusher: { connection: { socket_id: string } };
  authorize(socketId: string, callback: AuthorizationCallback): void;
  handleEvent(event: { event: string; data: unknown }): void;
  emit(event: string, data?: unknown): unknown;
}
export type PrivateChannelClass = abstract new (...args: never[]) => PrivateChannelLike;
export interface LoggerLike {
  debug(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** The decrypted bytes as JSON, or as the UTF-8 string when they are not JSON (as pusher-js does). */
function dataToEmit(bytes: Uint8Array): unknown {
  const raw = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function encryptedChannelClass(PrivateChannel: PrivateChannelClass, Logger: LoggerLike) {
  abstract class EncryptedChannel extends PrivateChannel {
    declare key: Uint8Array | null;

    override authorize(socketId: string, callback: AuthorizationCallback): void {
      super.authorize(socketId, (error, authData) => {
        if (error || !authData) return callback(error, authData);
        const sharedSecret = authData.shared_secret;
        if (!sharedSecret) {
          return callback(new Error(`No shared_secret key in auth payload for encrypted channel: ${this.name}`), null);
        }
        this.key = fromBase64(sharedSecret);
        delete authData.shared_secret;
        callback(null, authData);
      });
    }

    trigger(): boolean {
      throw new Error('Client events are not currently supported for encrypted channels');
    }

    override handleEvent(event: { event: string; data: unknown }): void {
      if (event.event.startsWith('pusher_internal:') || event.event.startsWith('pusher:')) return super.handleEvent(event);
      this.handleEncryptedEvent(event.event, event.data as { ciphertext?: string; nonce?: string });
    }

    handleEncryptedEvent(event: string, data: { ciphertext?: string; nonce?: string }): void {
      if (!this.key) return Logger.debug('Received encrypted event before key has been retrieved from the authEndpoint');
      if (!data?.ciphertext || !data.nonce) {
        return Logger.error(
          `Unexpected format for encrypted event, expected object with \`ciphertext\` and \`nonce\` fields, got: ${data}`,
        );
      }
      let cipherText: Uint8Array;
      let nonce: Uint8Array;
      try {
        cipherText = fromBase64(data.ciphertext);
        nonce = fromBase64(data.nonce);
      } catch {
        return Logger.error('Encrypted event ciphertext or nonce is not base64; dropping it');
      }
      if (cipherText.length < nacl.secretbox.overheadLength) {
        return Logger.error(`Expected encrypted event ciphertext length to be ${nacl.secretbox.overheadLength}, got: ${cipherText.length}`);
      }
      if (nonce.length < nacl.secretbox.nonceLength) {
        return Logger.error(`Expected encrypted event nonce length to be ${nacl.secretbox.nonceLength}, got: ${nonce.length}`);
      }
      const bytes = nacl.secretbox.open(cipherText, nonce, this.key);
      if (bytes) return void this.emit(event, dataToEmit(bytes));
      Logger.debug(
        'Failed to decrypt an event, probably because it was encrypted with a different key. Fetching a new key from the authEndpoint...',
      );
      // One new key (say the master key rotated) and one more try; else the event is dropped.
      this.authorize(this.pusher.connection.socket_id, (error) => {
        if (error)
          return Logger.error('Failed to make a request to the authEndpoint. Unable to fetch new key, so dropping encrypted event');
        const retried = this.key && nacl.secretbox.open(cipherText, nonce, this.key);
        if (!retried) return Logger.error('Failed to decrypt event with new key. Dropping encrypted event');
        this.emit(event, dataToEmit(retried));
      });
    }
  }
  return EncryptedChannel;
}

let made: { base: PrivateChannelClass; prototype: object } | null = null;

/**
 * Turns the main bundle's stand-in channel into pusher-js's encrypted channel, in place (the page
 * already holds it: `pusher.subscribe()` returned it).
 *
 * @example
 * loadChunk('pusher-encryption').then((m) => m.encrypt(channel, PrivateChannel, Logger).authorize(socketId, callback));
 */
export function encrypt<C extends PrivateChannelLike>(channel: C, PrivateChannel: PrivateChannelClass, Logger: LoggerLike): C {
  if (made?.base !== PrivateChannel) made = { base: PrivateChannel, prototype: encryptedChannelClass(PrivateChannel, Logger).prototype };
  Object.setPrototypeOf(channel, made.prototype);
  (channel as unknown as { key: Uint8Array | null }).key = null;
  return channel;
}
