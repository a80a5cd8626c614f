// Lazy chunk of the script tag only: @banter/core's upload code (checks against the server's limits,
// the PUT with progress), loaded with the first file sent. Its imports of core's errors, HTTP and
// reducer modules come from widget.js (../../lazy-file-upload.ts); ESM users get core's own chunk.
export { uploadFiles } from '../../../core/src/features/file-upload';
