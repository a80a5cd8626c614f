// Lazy chunk of the script tag: @banter/core's edits, deletes, reactions and their events, which
// core loads on first use (lazy-chunks.ts, CORE_CHUNKS). The module imports only types.
export * from '../../../core/src/features/message-lifecycle';
