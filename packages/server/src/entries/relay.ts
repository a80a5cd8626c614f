/**
 * `@banter/server/relay`: the embedded Pusher Channels protocol 7 server, usable on its own
 * (a Soketi-like relay for any app speaking the Pusher protocol) or inside Banter's server.
 */
export * from '../relay/index';
export { signChannelAuth, signUserAuth, type ChannelAuth } from '../realtime/sign-channel-auth';
