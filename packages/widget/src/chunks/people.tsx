// Lazy chunk: "New message" (find people through client.users.search, start a direct or group
// conversation) and a group's editing for its admins (rename, add and remove people). Loaded on
// first use (lazy/chunks.ts); its English strings come with it (locales/people-en.ts).
import type { Conversation, User } from '@banter/core';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { useChunkCss } from '../lazy/chunk-css';
import { peopleEn } from '../locales/people-en';

const CSS =
  '.people{display:flex;flex-direction:column;min-height:0;flex:1}.people-body{display:flex;flex-direction:column;overflow-y:auto;flex:1}' +
  '.people h3{font-size:12px;color:var(--mu);padding:10px 12px 2px;font-weight:600}.people-hits,.members{list-style:none}' +
  '.members li{display:flex;gap:10px;align-items:center;padding:6px 12px}.members .conv-name{flex:1}.role{font-size:12px;color:var(--mu)}' +
  '.chips{display:flex;flex-wrap:wrap;gap:6px;list-style:none;padding:8px 12px 0}.chips li{display:flex;gap:4px;align-items:center;' +
  'background:var(--bb);border-radius:14px;padding:2px 4px 2px 10px}.chips button{width:24px;height:24px;border-radius:50%}' +
  '.people-foot{display:flex;flex-direction:column;gap:6px;padding:8px 12px;border-top:1px solid var(--bd)}.people-foot .search{margin:0}' +
  '.rename{display:flex;gap:8px;padding:8px 12px 0}.rename .search{flex:1;margin:0;min-width:0}.people-error{color:var(--er);padding:0 12px}';

type Key = keyof typeof peopleEn;

/** As format.ts's: the name, else the id (a copy: importing it would split a chunk off widget.js for bundlers). */
const displayName = (user: Pick<User, 'id' | 'name'>) => user.name?.trim() || user.id;

/** A string of this chunk: the locale's or the host's, else English; `{name}` placeholders filled. */
function useSay() {
  const { tr } = useWidget();
  return (key: Key, vars: Record<string, string> = {}) =>
    ((tr.t(key) as string | undefined) ?? peopleEn[key]).replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
}

/** Escape closes the dialog (and not the popup around it). */
const escapeCloses = (onClose: () => void) => (event: KeyboardEvent) => {
  if (event.key !== 'Escape') return;
  event.preventDefault();
  event.stopPropagation();
  onClose();
};

/** How long typing must pause before a search goes out. */
const DEBOUNCE_MS = 250;

interface PeopleSearchProps {
  /** Users not to offer (already chosen, already in the group). */
  exclude: string[];
  onPick(user: User): void;
  autoFocus?: boolean;
}

/** A search box and the people it finds; choosing one calls `onPick`. */
function PeopleSearch({ exclude, onPick, autoFocus }: PeopleSearchProps) {
  const { client, Avatar } = useWidget();
  const say = useSay();
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<{ users: User[] | null; failed?: boolean }>({ users: null });
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, []);
  useEffect(() => {
    const text = q.trim();
    if (!text) return setFound({ users: null });
    let live = true;
    const timer = setTimeout(() => {
      client.users.search(text).then(
        ({ users }) => live && setFound({ users }),
        () => live && setFound({ users: [], failed: true }),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  const users = found.users?.filter((u) => !exclude.includes(u.id));
  return (
    <>
      <input
        ref={input}
        type="search"
        class="search"
        value={q}
        maxLength={100}
        placeholder={say('searchPeople')}
        aria-label={say('searchPeople')}
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
      />
      {users &&
        (users.length ? (
          <ul class="people-hits" aria-label={say('people')}>
            {users.map((user) => (
              <li key={user.id}>
                <button
                  type="button"
                  class="conv"
                  data-user={user.id}
                  onClick={() => {
                    onPick(user);
                    // The row goes (chosen, or in the group now): back to the box for the next one.
                    setQ('');
                    input.current?.focus();
                  }}
                >
                  <Avatar id={user.id} name={displayName(user)} url={user.avatarUrl} small />
                  <span class="conv-name" dir="auto">
                    {displayName(user)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p class="empty" role="status">
            {found.failed ? say('peopleUnavailable') : say('noPeople')}
          </p>
        ))}
    </>
  );
}

export interface NewMessageProps {
  /** The conversation started (or the existing direct one): open it. */
  onStart(conversationId: string): void;
  onClose(): void;
}

/** "New message": choose one person (a direct conversation) or several (a group, with a name). */
export function NewMessage({ onStart, onClose }: NewMessageProps) {
  const { client, tr } = useWidget();
  const say = useSay();
  const ref = useChunkCss<HTMLDivElement>(CSS);
  const [chosen, setChosen] = useState<User[]>([]);
  const [title, setTitle] = useState('');
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const start = async () => {
    setState('busy');
    try {
      const ids = chosen.map((u) => u.id);
      const name = title.trim();
      const conversation =
        ids.length === 1
          ? await client.conversations.open({ with: ids[0]! })
          : await client.conversations.create({ participantIds: ids, ...(name ? { title: name } : {}) });
      onStart(conversation.id);
    } catch {
      setState('failed');
    }
  };
  return (
    <div ref={ref} class="people" role="dialog" aria-label={tr.t('newMessage')} onKeyDown={escapeCloses(onClose)}>
      <header>
        <h2>{tr.t('newMessage')}</h2>
        <button type="button" class="icon" onClick={onClose} aria-label={say('cancel')}>
          ×
        </button>
      </header>
      <div class="people-body">
        {chosen.length > 0 && (
          <ul class="chips" aria-label={say('chosen')}>
            {chosen.map((user) => (
              <li key={user.id}>
                <span dir="auto">{displayName(user)}</span>
                <button
                  type="button"
                  aria-label={say('unchoose', { name: displayName(user) })}
                  onClick={() => setChosen(chosen.filter((c) => c.id !== user.id))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <PeopleSearch exclude={chosen.map((u) => u.id)} onPick={(user) => setChosen([...chosen, user])} autoFocus />
      </div>
      <div class="people-foot">
        {chosen.length > 1 && (
          <input
            class="search"
            value={title}
            maxLength={200}
            placeholder={say('groupName')}
            aria-label={say('groupName')}
            onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
          />
        )}
        {state === 'failed' && (
          <p class="people-error" role="alert">
            {say('actionFailed')}
          </p>
        )}
        <button type="button" class="sendbtn" data-start disabled={!chosen.length || state === 'busy'} onClick={start}>
          {say('startConversation')}
        </button>
      </div>
    </div>
  );
}

export interface GroupEditorProps {
  /** The group, as the store has it now (the view re-renders this with each change). */
  conversation: Conversation;
  /** The signed-in user (not offered for removal). */
  meId: string | undefined;
  onClose(): void;
}

/** A group's admin renames it, adds people and removes them (the server refuses anyone else). */
export function GroupEditor({ conversation, meId, onClose }: GroupEditorProps) {
  const { client, tr, announce, Avatar } = useWidget();
  const say = useSay();
  const ref = useChunkCss<HTMLDivElement>(CSS);
  const conversationId = conversation.id;
  const [title, setTitle] = useState(conversation.title ?? '');
  const [failed, setFailed] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  // A removed person's row goes with the button that had focus, by the reply or by the event that
  // may come first: focus comes back into the dialog (else Escape, heard on it, would close nothing).
  useLayoutEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) input.current?.focus();
  }, [conversation.participants]);
  const run = (action: Promise<unknown>, done: string) =>
    action.then(
      () => {
        setFailed(false);
        announce(done);
      },
      () => setFailed(true),
    );
  const name = title.trim();
  return (
    <div ref={ref} class="people" role="dialog" aria-label={tr.t('editGroup')} onKeyDown={escapeCloses(onClose)}>
      <div class="people-body">
        <form
          class="rename"
          onSubmit={(e) => {
            e.preventDefault();
            void run(client.conversations.rename(conversationId, name), say('renamed', { title: name }));
          }}
        >
          <input
            ref={input}
            class="search"
            value={title}
            maxLength={200}
            aria-label={say('groupName')}
            onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
          />
          <button type="submit" class="sendbtn" disabled={!name || name === conversation.title}>
            {say('save')}
          </button>
        </form>
        {failed && (
          <p class="people-error" role="alert">
            {say('actionFailed')}
          </p>
        )}
        <h3>{say('people')}</h3>
        <ul class="members">
          {conversation.participants.map(({ user, role }) => (
            <li key={user.id} data-member={user.id}>
              <Avatar id={user.id} name={displayName(user)} url={user.avatarUrl} small />
              <span class="conv-name" dir="auto">
                {displayName(user)}
              </span>
              {role === 'admin' && <span class="role">{say('admin')}</span>}
              {user.id !== meId && (
                <button
                  type="button"
                  class="more"
                  aria-label={say('removePerson', { name: displayName(user) })}
                  onClick={() =>
                    run(
                      // The copy without them now, realtime or not.
                      client.conversations.removeParticipant(conversationId, user.id).then(() => client.conversations.get(conversationId)),
                      say('removed', { name: displayName(user) }),
                    )
                  }
                >
                  {say('remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
        <h3>{say('addPeople')}</h3>
        <PeopleSearch
          exclude={conversation.participants.map((p) => p.user.id)}
          onPick={(user) => run(client.conversations.addParticipants(conversationId, [user.id]), say('added', { name: displayName(user) }))}
        />
      </div>
    </div>
  );
}
