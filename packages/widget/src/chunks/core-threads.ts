// Lazy chunk of the script tag: @banter/core's thread pages, pins and versions, which core loads on
// first use (lazy-chunks.ts, CORE_CHUNKS). callOf and the reducer come from widget.js.
export * from '../../../core/src/features/threads';
