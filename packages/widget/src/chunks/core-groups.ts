// Lazy chunk of the script tag: @banter/core's group calls (rename, add and remove people), which
// core loads on first use (lazy-chunks.ts, CORE_CHUNKS).
export * from '../../../core/src/features/groups';
