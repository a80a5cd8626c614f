import { useState } from 'preact/hooks';
import { type AvatarProps, useWidget } from '../context';
import { colorSlot, initials } from '../format';

export type { AvatarProps } from '../context';

/** A round avatar: the image when there is one (and it loads), the person's initials otherwise. */
export function Avatar({ id, name, url, small, online }: AvatarProps) {
  const { tr } = useWidget();
  const [broken, setBroken] = useState(false);
  const cls = `avatar c${colorSlot(id)}${small ? ' sm' : ''}`;
  const avatar = (
    <span class={cls} aria-hidden="true">
      {url && !broken ? (
        <img src={url} alt="" loading="lazy" referrerpolicy="no-referrer" onError={() => setBroken(true)} />
      ) : (
        initials(name)
      )}
    </span>
  );
  if (!online) return avatar;
  return (
    <span class="av-wrap">
      {avatar}
      <span class="dot" role="img" aria-label={tr.t('online')} />
    </span>
  );
}
