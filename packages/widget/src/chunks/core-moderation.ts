// Lazy chunk of the script tag: @banter/core's `client.moderation` (block, mute, report), which core
// loads on first use (lazy-chunks.ts, CORE_CHUNKS).
export * from '../../../core/src/features/moderation';
