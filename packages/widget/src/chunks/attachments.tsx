// Lazy chunk: everything about files (issue 15, docs/attachments.md#widget). The composer's tray
// (files to send, checked against the server's limits before anything is sent), the files of
// messages in the list (images in the space the server measured, thumbnail first; chips for the
// rest), upload progress with cancel, and the image viewer. Loaded with the first file attached or
// shown (lazy/chunks.ts). Names and sizes are text, never HTML.
import type { ChatClient, LocalFile, LocalMessage } from '@banter/core';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useWidget } from '../context';
import type { Translator } from '../i18n';
import { useChunkCss } from '../lazy/chunk-css';

type Attachment = NonNullable<LocalMessage['attachments']>[number];
type Limits = ChatClient['uploadLimits'];

const css = `.tray{padding:0 8px}.tray:empty{display:none}.tray-error{color:var(--er);font-size:12px;padding:6px 4px 0}
.chips{display:flex;flex-wrap:wrap;gap:6px;list-style:none;padding:6px 0 0;max-width:100%}
.chip{display:inline-flex;align-items:center;gap:6px;max-width:100%;padding:5px 8px;border:1px solid var(--bd);border-radius:8px;background:var(--bg);color:inherit;text-decoration:none;font-size:13px}
a.chip:hover{background:var(--sf)}.chip-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;min-width:0}.chip-size{color:var(--mu);font-size:12px;flex:none}
.chip button{width:20px;height:20px;border-radius:50%;flex:none}.chip button:hover{background:var(--bb)}
.files{display:flex;flex-direction:column;gap:4px;margin-top:2px;max-width:100%}.mine .files{align-items:flex-end}
.thumb{display:block;position:relative;border-radius:calc(var(--r) - 4px);overflow:hidden;max-width:100%}
.thumb img{display:block;width:100%;height:100%;object-fit:cover}
.up{display:flex;align-items:center;gap:6px;font-size:12px;color:var(--mu)}.up progress{width:120px;height:6px}
.up button{color:var(--ln);text-decoration:underline}
.viewer{position:fixed;inset:0;z-index:2147483647;background:#000d;display:flex;flex-direction:column;color:#fff}
.viewer-bar{display:flex;align-items:center;gap:12px;padding:8px 12px}.viewer-bar span{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.viewer-bar a{color:#fff}.viewer-bar button{width:36px;height:36px;border-radius:50%;font-size:24px;color:#fff}.viewer-bar button:hover{background:#fff3}
.viewer-img{flex:1;min-height:0;display:grid;place-items:center;padding:0 12px 12px}
.viewer-img img{max-width:100%;max-height:100%;height:auto;object-fit:contain;background:center/contain no-repeat}`;

// The box an image takes in the list: its thumbnail's aspect, at most this many pixels each way.
const MAX_BOX = 240;
// What counts as "at the bottom" of the list (as message-list.tsx).
const EDGE = 48;

/** "2.5 MB", "340 kB", "12 B" (1 kB = 1000 B, as the server's limits read). */
export function formatSize(bytes: number, locale: string): string {
  const [value, unit] = bytes >= 1e6 ? [bytes / 1e6, 'MB'] : bytes >= 1e3 ? [bytes / 1e3, 'kB'] : [bytes, 'B'];
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value)} ${unit}`;
}

/** Why the server would refuse `file` (as the client checks it: size, and a claimed type it never takes), or null. */
export function refusal(file: File, limits: Limits, tr: Translator): string | null {
  if (!limits) return null;
  const name = file.name || 'file';
  if (file.size > limits.maxBytes) return tr.t('fileTooBig', { name, max: formatSize(limits.maxBytes, tr.locale) });
  const type = file.type.split(';')[0]!.trim().toLowerCase();
  return type && !limits.allowedTypes.includes(type) ? tr.t('fileType', { name }) : null;
}

export interface TrayProps {
  /** The files to send with the next message (the composer owns them). */
  files: File[];
  setFiles(files: File[]): void;
}

/**
 * The composer's files: a chip per file (name, size, remove). A file the server would refuse (too
 * big, a type it does not take, one too many) is taken out at once with a clear error here, so
 * nothing is sent with it.
 */
export function Tray({ files, setFiles }: TrayProps) {
  const { client, tr } = useWidget();
  const ref = useChunkCss<HTMLDivElement>(css);
  const [error, setError] = useState('');
  // Set when this effect took refused files out: that change keeps the error; any later one clears it.
  const took = useRef(false);
  useEffect(() => {
    const limits = client.uploadLimits;
    const problems: string[] = [];
    const kept = files.filter((file) => {
      const why = refusal(file, limits, tr);
      if (why) problems.push(why);
      return !why;
    });
    const most = limits?.perMessage ?? 10;
    if (kept.length > most) {
      problems.push(tr.t('tooManyFiles', { count: most }));
      kept.length = most;
    }
    if (problems.length) {
      took.current = true;
      setError(problems.join(' '));
      setFiles(kept);
    } else if (took.current) took.current = false;
    else setError('');
  }, [files]);
  return (
    <div ref={ref} class="tray">
      {error && (
        <p class="tray-error" role="alert">
          {error}
        </p>
      )}
      {files.length > 0 && (
        <ul class="chips" aria-label={tr.t('attach')}>
          {files.map((file, i) => (
            <li key={`${i}-${file.name}`} class="chip">
              <span class="chip-name" dir="auto">
                {file.name}
              </span>
              <span class="chip-size">{formatSize(file.size, tr.locale)}</span>
              <button
                type="button"
                aria-label={tr.t('removeFile', { name: file.name })}
                onClick={() => setFiles(files.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The size of an image's box in the list: the thumbnail's aspect within MAX_BOX. */
function box(image: NonNullable<Attachment['image']>) {
  const width = image.thumbnailWidth || image.width;
  const height = image.thumbnailHeight || image.height;
  const scale = Math.min(1, MAX_BOX / width, MAX_BOX / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

// Growth of each list by files that just appeared (this commit): see keepBottom.
const grown = new Map<Element, number>();

/**
 * Files take their space as they mount. Normally in the same commit as their message (the list's
 * own bottom-keeping covers that); but the first time, this chunk arrives a moment later, and a
 * reader at the bottom would be pushed up by every image at once. So: when the list was at its
 * bottom before these files grew it, it stays there.
 */
function keepBottom(el: HTMLElement | null) {
  const list = el?.closest('.scroll');
  if (!el || !list) return;
  if (!grown.has(list)) {
    queueMicrotask(() => {
      const by = grown.get(list) ?? 0;
      grown.delete(list);
      if (list.scrollHeight - list.scrollTop - list.clientHeight - by <= EDGE) list.scrollTop = list.scrollHeight;
    });
  }
  grown.set(list, (grown.get(list) ?? 0) + el.offsetHeight);
}

/** The files of one message: the server's (signed URLs) once sent, the local ones with progress before. */
export function MessageFiles({ message }: { message: LocalMessage }) {
  const { client, tr } = useWidget();
  const ref = useChunkCss<HTMLDivElement>(css);
  const [viewing, setViewing] = useState<Attachment | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => keepBottom(ref.current), []);
  const attachments = message.attachments ?? [];
  const local = attachments.length ? [] : (message.files ?? []);
  const uploading = message.status === 'sending' && local.some((f) => !f.uploadId);
  const size = (bytes: number) => formatSize(bytes, tr.locale);

  return (
    <div ref={ref} class="files">
      {attachments.map((a) =>
        a.image ? (
          <button
            key={a.id}
            type="button"
            class="thumb"
            aria-label={tr.t('viewImage', { name: a.name })}
            style={{ ...box(a.image), background: a.image.color }}
            onClick={(e) => {
              opener.current = e.currentTarget;
              setViewing(a);
            }}
          >
            <img
              src={a.image.thumbnailUrl}
              alt=""
              width={box(a.image).width}
              height={box(a.image).height}
              loading="lazy"
              decoding="async"
            />
          </button>
        ) : (
          <a key={a.id} class="chip" href={a.url} download={a.name} target="_blank" rel="noopener noreferrer">
            <span aria-hidden="true">📄</span>
            <span class="chip-name" dir="auto">
              {a.name}
            </span>
            <span class="chip-size">{size(a.size)}</span>
          </a>
        ),
      )}
      {local.map((f: LocalFile, i) => (
        <div key={`${i}-${f.name}`} class="local">
          {f.previewUrl ? (
            <span class="thumb" style={{ width: 160, height: 120 }}>
              <img src={f.previewUrl} alt={f.name} />
            </span>
          ) : (
            <span class="chip">
              <span class="chip-name" dir="auto">
                {f.name}
              </span>
              <span class="chip-size">{size(f.size)}</span>
            </span>
          )}
          {uploading && (
            <span class="up">
              <progress max={f.size || 1} value={f.uploadId ? f.size || 1 : f.loaded} aria-label={tr.t('uploading', { name: f.name })} />
              {Math.round((100 * (f.uploadId ? f.size : f.loaded)) / (f.size || 1))}%
            </span>
          )}
        </div>
      ))}
      {uploading && (
        <span class="up">
          <button type="button" onClick={() => client.messages.discard(message.clientId)}>
            {tr.t('cancelUpload')}
          </button>
        </span>
      )}
      {viewing && (
        <Viewer
          file={viewing}
          onClose={() => {
            setViewing(null);
            opener.current?.focus();
          }}
        />
      )}
    </div>
  );
}

/** A full-size image over the widget: Escape, the close button or a click beside it closes; Tab stays inside. */
function Viewer({ file, onClose }: { file: Attachment; onClose(): void }) {
  const { tr } = useWidget();
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  const image = file.image!;
  const keys = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    } else if (e.key === 'Tab') {
      const stops = [...(ref.current?.querySelectorAll<HTMLElement>('a,button') ?? [])];
      const at = stops.indexOf(e.target as HTMLElement);
      const next = e.shiftKey ? (at <= 0 ? stops.length - 1 : at - 1) : (at + 1) % stops.length;
      e.preventDefault();
      stops[next]?.focus();
    }
  };
  return (
    <div
      ref={ref}
      class="viewer"
      role="dialog"
      aria-modal="true"
      aria-label={file.name}
      onKeyDown={keys}
      // A click beside the image (not on it, the link or the button) closes, as Escape does.
      onClick={(e) => !(e.target as Element).closest('img,a,button') && onClose()}
    >
      <div class="viewer-bar">
        <span dir="auto">{file.name}</span>
        <a href={file.url} download={file.name} target="_blank" rel="noopener noreferrer">
          {tr.t('download')}
        </a>
        <button ref={close} type="button" aria-label={tr.t('close')} onClick={onClose}>
          ×
        </button>
      </div>
      <div class="viewer-img">
        {/* The thumbnail shows (as the background) until the full image is in. */}
        <img
          src={file.url}
          alt={file.name}
          width={image.width}
          height={image.height}
          style={{ backgroundImage: `url(${JSON.stringify(image.thumbnailUrl)})` }}
        />
      </div>
    </div>
  );
}
