export type { BroadcastEvent, Broadcaster, PusherConfig, RealtimeClientConfig } from './broadcaster';
export { pusherBroadcaster } from './pusher-broadcaster';
export { relayBroadcaster } from './relay-broadcaster';
export { broadcasterConfigFromEnv } from './config-from-env';
export { signChannelAuth, signUserAuth, type ChannelAuth } from './sign-channel-auth';
export { disconnectUser } from './disconnect-user';
