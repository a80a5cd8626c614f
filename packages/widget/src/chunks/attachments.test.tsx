import type { ChatClient, LocalMessage } from '@banter/core';
import { fireEvent, render } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { describe, expect, it } from 'vitest';
import { Avatar } from '../components/avatar';
import { WidgetContext } from '../context';
import { createTranslator } from '../i18n';
import { formatSize, MessageFiles, refusal, Tray } from './attachments';

const tr = createTranslator('en');
const limits = { maxBytes: 25_000_000, allowedTypes: ['image/png', 'text/plain'], perMessage: 2 };
const client = { uploadLimits: limits, messages: { discard: () => true } } as unknown as ChatClient;
const wrap = (ui: preact.ComponentChild) => (
  <WidgetContext.Provider value={{ client, tr, announce: () => {}, Avatar }}>{ui}</WidgetContext.Provider>
);

describe('attachments chunk', () => {
  it('sizes read as the limits do (1 kB = 1000 B)', () => {
    expect([12, 1_500, 340_000, 25_000_000].map((n) => formatSize(n, 'en'))).toEqual(['12 B', '1.5 kB', '340 kB', '25 MB']);
  });

  it('refuses what the server would: too big, a claimed type it never takes; an unknown type is for the server to sniff', () => {
    expect(refusal(new File([new Uint8Array(10)], 'a.png', { type: 'image/png' }), limits, tr)).toBeNull();
    expect(refusal(new File([], 'x.bin'), limits, tr)).toBeNull();
    expect(refusal(new File(['<p>'], 'page.html', { type: 'text/html' }), limits, tr)).toBe(
      'page.html was not added: files of this type cannot be sent.',
    );
    const big = new File([new Uint8Array(10)], 'big.png', { type: 'image/png' });
    expect(refusal(big, { ...limits, maxBytes: 5 }, tr)).toBe('big.png is too big: files are at most 5 B. It was not added.');
  });

  it('the tray takes refused files out with the error, keeps the rest, and a later change clears the error', async () => {
    let setFiles!: (files: File[]) => void;
    function Host() {
      const [files, set] = useState<File[]>([]);
      setFiles = set;
      return wrap(<Tray files={files} setFiles={set} />);
    }
    const view = render(<Host />);
    const ok = new File(['hi'], 'ok.txt', { type: 'text/plain' });
    setFiles([ok, new File(['<p>'], 'page.html', { type: 'text/html' }), new File(['x'], 'a.txt'), new File(['y'], 'b.txt')]);
    expect((await view.findByRole('alert')).textContent).toBe(
      'page.html was not added: files of this type cannot be sent. At most 2 files per message.',
    );
    expect(view.getAllByRole('listitem').map((li) => li.querySelector('.chip-name')!.textContent)).toEqual(['ok.txt', 'a.txt']);
    fireEvent.click(view.getByRole('button', { name: 'Remove a.txt' }));
    await view.findByRole('button', { name: 'Remove ok.txt' });
    expect(view.queryByRole('alert')).toBeNull();
  });

  it('an image takes the box of its measured thumbnail before it loads; the viewer opens, Escape closes, focus returns', async () => {
    const message = {
      clientId: 'c1',
      status: 'sent',
      attachments: [
        {
          id: 'f1',
          name: 'cat <b>.png',
          type: 'image/png',
          size: 1000,
          url: '/files/f1?s=1',
          expiresAt: '',
          image: { width: 1600, height: 800, color: '#123456', thumbnailUrl: '/files/f1/t?s=1', thumbnailWidth: 480, thumbnailHeight: 240 },
        },
        { id: 'f2', name: 'notes.txt', type: 'text/plain', size: 13, url: '/files/f2?s=1', expiresAt: '', image: null },
      ],
    } as unknown as LocalMessage;
    const view = render(wrap(<MessageFiles message={message} />));
    const thumb = view.getByRole('button', { name: 'Open image cat <b>.png' });
    expect([thumb.style.width, thumb.style.height]).toEqual(['240px', '120px']);
    expect(thumb.querySelector('img')!.getAttribute('src')).toBe('/files/f1/t?s=1');
    const chip = view.getByRole('link', { name: /notes\.txt/ });
    expect([chip.getAttribute('href'), chip.textContent]).toEqual(['/files/f2?s=1', '📄notes.txt13 B']);
    expect(view.container.querySelector('b')).toBeNull();

    thumb.focus();
    fireEvent.click(thumb);
    const dialog = await view.findByRole('dialog', { name: 'cat <b>.png' });
    expect(dialog.querySelector('img')!.getAttribute('src')).toBe('/files/f1?s=1');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Close');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(view.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(thumb);
  });
});
