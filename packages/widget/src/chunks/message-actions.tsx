// Lazy chunk: what one does with a message once sent (issue 14, docs/widget.md#message-actions):
// the actions menu (a small button on hover, long-press on touch, Enter / the context-menu key /
// Shift+F10 on a focused message), reactions (chips, the emoji picker chunk to add one), inline
// edit, delete with an inline confirm, "edited" and "message deleted". Loaded when the reader
// reaches the list (hover, focus, touch) or a message on screen needs it (lazy/chunks.ts); its
// English strings come with it (locales/actions-en.ts). Message text stays text, never HTML.
import type { ConversationState, LocalMessage } from '@banter/core';
import type { ComponentChild, FunctionComponent } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ConfirmDelete, EditBox } from '../actions/edit';
import { Menu } from '../actions/menu';
import { ReactionChips } from '../actions/reactions';
import { sayer } from '../actions/say';
import { useWidget } from '../context';
import { displayName } from '../format';
import { useChunkCss } from '../lazy/chunk-css';

const CSS =
  'fieldset{border:0;margin:0;padding:0;min-width:0}.act{display:contents}.msg{position:relative}.edited,.reacts{order:1}.msg>.status{order:2}.msg:focus-visible{outline-offset:1px;border-radius:var(--r)}' +
  '.more{position:absolute;top:2px;left:calc(100% + 2px);width:26px;height:26px;border-radius:50%;opacity:0;color:var(--mu);font-size:16px;line-height:1}' +
  '.mine .more{left:auto;right:calc(100% + 2px)}.msg:hover .more,.msg:focus-within .more,.more[aria-expanded=true]{opacity:1}.more:hover{background:var(--bb)}' +
  '.menu{position:absolute;z-index:4;top:100%;left:0;min-width:150px;display:flex;flex-direction:column;padding:4px;background:var(--bg);' +
  'border:1px solid var(--bd);border-radius:8px;box-shadow:0 4px 16px #0003}.mine .menu{left:auto;right:0}' +
  '.menu button{text-align:left;padding:6px 10px;border-radius:6px}.menu button:hover,.menu button:focus{background:var(--bb)}' +
  '.msg .emoji{top:100%;bottom:auto;left:0;right:auto;width:min(296px,80vw)}.mine .emoji{left:auto;right:0}' +
  '.msg .reacts{display:flex;flex-wrap:wrap;gap:4px;margin-top:2px}.react{border:1px solid var(--bd);border-radius:12px;padding:0 8px;' +
  'font-size:13px;line-height:22px;background:var(--bg)}.react[aria-pressed=true]{border-color:var(--ac);background:var(--bb)}.react:hover{background:var(--sf)}' +
  '.edited{font-size:11px;color:var(--mu);margin:1px 4px 0}.msg .bubble.gone{background:none;color:var(--mu);font-style:italic;border:1px dashed var(--bd)}' +
  '.editing{display:flex;flex-direction:column;gap:4px;width:min(320px,70vw);max-width:100%}.editing textarea{resize:none;padding:7px 11px;' +
  'border:1px solid var(--bd);border-radius:calc(var(--r) - 4px);background:var(--bg)}' +
  '.act-bar{display:flex;gap:6px;justify-content:flex-end;align-items:center;flex-wrap:wrap;font-size:13px;margin-top:4px}' +
  '.act-bar button{padding:4px 10px;border-radius:6px;border:1px solid var(--bd)}.act-bar .primary{background:var(--ac);color:var(--at);border-color:var(--ac)}' +
  '.act-bar .danger{background:var(--er);color:#fff;border-color:var(--er)}.act-bar button:disabled{opacity:.5;cursor:default}';

// Script tag: core's code that applies (and queues) edits, deletes and reactions comes along with
// this chunk, so a change made once the network is gone still shows and waits (a no-op elsewhere).
(globalThis as { __banterCoreChunk?: (name: string) => Promise<unknown> }).__banterCoreChunk?.('core-lifecycle').catch(() => {});

/** How long a finger rests on a message before its menu opens. */
const LONG_PRESS_MS = 500;

type Picker = { EmojiPicker: FunctionComponent<{ label: string; onPick(emoji: string): void; onClose(): void }> };
type Mode = 'menu' | 'react' | 'edit' | 'delete' | null;
type Listened = 'keydown' | 'focusin' | 'focusout' | 'pointerdown' | 'pointerup' | 'pointercancel' | 'contextmenu';
type Handlers = { [K in Listened]: (e: HTMLElementEventMap[K]) => void };

export interface MessageProps {
  m: LocalMessage;
  conv: ConversationState;
  meId: string | undefined;
  /** widget.js's bubble (the text and the time). */
  bubble: ComponentChild;
  /** What a screen reader hears before the text: "Ann, 10:42: ". */
  who: string;
}

/**
 * What one message has besides widget.js's bubble, files and status. Rendered inside widget.js's
 * `.msg` element, which it makes focusable (arrows move between messages) and listens on: that
 * element stays when this chunk arrives, so focus, a search hit's mark and the files keep theirs.
 */
export function Message({ m, conv, meId, bubble, who }: MessageProps) {
  const widget = useWidget();
  const { client, announce, startReply, openThread, loadEmojiPicker } = widget;
  const say = sayer(widget);
  const ref = useChunkCss<HTMLDivElement>(CSS);
  const [mode, setMode] = useState<Mode>(null);
  const [inside, setInside] = useState(false);
  const [picker, setPicker] = useState<Picker>();
  const press = useRef<ReturnType<typeof setTimeout>>();
  const mine = m.senderId === meId;
  const convId = conv.conversation.id;
  const id = m.id;
  const admin = conv.conversation.participants.some((p) => p.user.id === meId && p.role === 'admin');
  const msg = () => ref.current?.parentElement;

  // Only a message the server has, and that still exists, has actions.
  const items: [string, () => void][] = [];
  if (id && !m.deletedAt) {
    if (loadEmojiPicker) items.push([say('react'), () => setMode('react')]);
    if (startReply) items.push([say('reply'), () => (close(false), startReply(m))]);
    if (openThread) items.push([say('replyInThread'), () => (close(false), openThread(m))]);
    if (mine) items.push([say('edit'), () => setMode('edit')]);
    if (mine || admin) items.push([say('deleteMessage'), () => setMode('delete')]);
  }

  useEffect(() => {
    if (mode !== 'react' || picker) return;
    loadEmojiPicker!().then(setPicker, () => close(true, true));
  }, [mode]);

  function close(refocus: boolean, failed?: unknown) {
    setMode(null);
    if (refocus) msg()?.focus();
    if (failed) announce(say('actionFailed'));
  }
  // Shown at once by the client; a refusal rolls it back, and the reader hears why nothing changed.
  const run = (change: Promise<void>) => change.catch(() => announce(say('actionFailed')));

  // The element's listeners read the latest render's handlers.
  const on = useRef({} as Handlers);
  on.current = {
    keydown: (e) => {
      const el = msg()!;
      if (e.target !== el) return;
      const step = { ArrowUp: -1, ArrowDown: 1 }[e.key];
      if (step) {
        e.preventDefault();
        const all = [...(el.closest('.scroll') ?? document).querySelectorAll<HTMLElement>('.msg[tabindex]')];
        all[all.indexOf(el) + step]?.focus();
      } else if (items.length && (e.key === 'Enter' || e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10'))) {
        // preventDefault: no contextmenu event (nor the browser's menu) after the key.
        e.preventDefault();
        setMode('menu');
      }
    },
    focusin: () => setInside(true),
    focusout: (e) => !msg()?.contains(e.relatedTarget as Node | null) && setInside(false),
    pointerdown: (e) => {
      if (e.pointerType === 'touch' && items.length) press.current = setTimeout(() => setMode('menu'), LONG_PRESS_MS);
    },
    pointerup: () => clearTimeout(press.current),
    pointercancel: () => clearTimeout(press.current),
    // A long press is ours on touch (Android would open the page's menu or select the text).
    contextmenu: (e) => mode === 'menu' && e.preventDefault(),
  };
  // The newest message is the list's one Tab stop; arrows reach the others.
  const last = conv.messages[conv.messages.length - 1] === m;
  useLayoutEffect(() => {
    msg()!.tabIndex = last ? 0 : -1;
  }, [last]);
  // Layout effect: listening before the next key or touch, not after the next paint.
  useLayoutEffect(() => {
    const el = msg()!;
    const listeners = Object.keys(on.current).map((type) => {
      const listener = (e: Event) => (on.current[type as Listened] as (e: Event) => void)(e);
      el.addEventListener(type, listener);
      return () => el.removeEventListener(type, listener);
    });
    return () => {
      clearTimeout(press.current);
      for (const off of listeners) off();
    };
  }, []);

  return (
    <div ref={ref} class="act">
      {m.deletedAt ? (
        <p class="bubble gone">
          <span class="sr">{who}</span>
          <span class="text">{say('messageDeleted')}</span>
        </p>
      ) : mode === 'edit' ? (
        <EditBox
          body={m.body}
          say={say}
          onCancel={() => close(true)}
          onSave={(body) => {
            close(true);
            run(client.messages.edit(convId, id!, body));
          }}
        />
      ) : (
        bubble
      )}
      {m.editedAt && !m.deletedAt && <span class="edited">{say('edited')}</span>}
      {m.reactions?.length && !m.deletedAt ? (
        <ReactionChips
          reactions={m.reactions}
          say={say}
          tabbable={inside}
          name={(userId) =>
            userId === meId
              ? widget.tr.t('you')
              : displayName(conv.conversation.participants.find((p) => p.user.id === userId)?.user, userId)
          }
          onToggle={(emoji) => run(client.messages.toggleReaction(convId, id!, emoji))}
        />
      ) : null}
      {items.length > 0 && (
        <button
          type="button"
          class="more"
          tabIndex={-1}
          aria-label={say('messageActions')}
          aria-haspopup="menu"
          aria-expanded={mode === 'menu'}
          onClick={() => (mode === 'menu' ? close(true) : setMode('menu'))}
        >
          ⋯
        </button>
      )}
      {mode === 'menu' && <Menu label={say('messageActions')} items={items} onClose={close} within={() => msg() ?? null} />}
      {mode === 'react' && picker && (
        <picker.EmojiPicker
          label={say('addReaction')}
          onClose={() => close(true)}
          onPick={(emoji) => {
            close(true);
            run(client.messages.toggleReaction(convId, id!, emoji));
          }}
        />
      )}
      {mode === 'delete' && (
        <ConfirmDelete
          say={say}
          onCancel={() => close(true)}
          onDelete={() => {
            close(true);
            run(client.messages.delete(convId, id!));
          }}
        />
      )}
    </div>
  );
}
