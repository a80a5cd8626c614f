// Lazy chunk: message search results for the conversation list's search box (docs/search.md).
// Snippets are text: highlight ranges become <mark> elements around text nodes, never HTML.
import type { ChatClient, SearchResult } from '@banter/core';
import { useEffect, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { useChunkCss } from '../lazy/chunk-css';

const CSS =
  '.hits-pane{display:flex;flex-direction:column;min-height:0;flex:1}.hits{list-style:none;overflow-y:auto;flex:1}.hit{display:block;width:100%;text-align:left;padding:10px 12px;border:0;' +
  'border-bottom:1px solid var(--bd);background:none;color:inherit;font:inherit;cursor:pointer}.hit:hover,.hit:focus-visible{background:var(--sf)}' +
  '.hit-title{display:block;font-weight:600;font-size:.9em}.hit-text{display:block;color:var(--mu);overflow-wrap:anywhere}' +
  '.hit-text mark{background:#fde68a;color:#111;border-radius:2px}.msg.search-hit .bubble{outline:2px solid #f59e0b;outline-offset:2px}';

/** How long typing must pause before a search goes out. */
const DEBOUNCE_MS = 250;

export interface SearchResultsProps {
  q: string;
  /** Open a conversation (the list's own selection). */
  onOpen(conversationId: string): void;
}

/** The hits for `q`, best first; choosing one opens its conversation at that message. */
export function SearchResults({ q, onOpen }: SearchResultsProps) {
  const { client, tr } = useWidget();
  const ref = useChunkCss<HTMLElement>(CSS);
  const [state, setState] = useState<{ results: SearchResult[] | null; failed?: boolean }>({ results: null });
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      client.search(q, { limit: 20 }).then(
        (page) => live && setState({ results: page.results }),
        () => live && setState({ results: [], failed: true }),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  const open = (hit: SearchResult) => {
    const root = ref.current?.getRootNode() as ParentNode | undefined;
    onOpen(hit.message.conversationId);
    if (root) void jumpTo(client, root, hit.message.conversationId, hit.message.seq).catch(() => {});
  };
  const { results } = state;
  const conversations = client.store.getSnapshot().conversations;
  return (
    <section ref={ref} class="hits-pane" aria-label={tr.t('searchResults')} aria-busy={results === null}>
      {results === null ? null : results.length === 0 ? (
        <p class="empty">{state.failed ? tr.t('searchFailed') : tr.t('noResults')}</p>
      ) : (
        <ul class="hits">
          {results.map((hit) => (
            <li key={hit.message.id}>
              <button type="button" class="hit" data-hit={hit.message.id} onClick={() => open(hit)}>
                <span class="hit-title" dir="auto">
                  {conversations[hit.message.conversationId]?.conversation.title ?? hit.message.senderId}
                </span>
                <span class="hit-text" dir="auto">
                  {pieces(hit)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The snippet as text pieces, the highlighted ones in <mark>. */
function pieces({ snippet, highlights }: SearchResult) {
  const out = [];
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at || end > snippet.length) continue;
    out.push(snippet.slice(at, start), <mark key={start}>{snippet.slice(start, end)}</mark>);
    at = end;
  }
  out.push(snippet.slice(at));
  return out;
}

/**
 * Loads history down to the hit (older pages into the store: it stays contiguous with the latest
 * messages, at most 5,000 back), then scrolls the open view to it and marks it for a moment.
 */
async function jumpTo(client: ChatClient, root: ParentNode, conversationId: string, seq: number) {
  await client.messages.load(conversationId);
  for (let page = 0; page < 170; page++) {
    const from = client.store.getSnapshot().conversations[conversationId]?.syncedFrom ?? 1;
    if (from <= Math.max(1, seq - 10) || !(await client.messages.loadOlder(conversationId))) break;
  }
  // The view renders what was loaded on its next frames: wait for the message, bounded.
  for (let i = 0; i < 60; i++) {
    const element = root.querySelector<HTMLElement>(`.msg[data-seq="${seq}"]`);
    if (element) {
      element.scrollIntoView({ block: 'center' });
      element.classList.add('search-hit');
      setTimeout(() => element.classList.remove('search-hit'), 4000);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
