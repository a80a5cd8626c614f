import { useState } from 'preact/hooks';
import { colorSlot, initials } from '../format';

export interface AvatarProps {
  id: string;
  name: string;
  url?: string | null;
  small?: boolean;
}

/** A round avatar: the image when there is one (and it loads), the person's initials otherwise. */
export function Avatar({ id, name, url, small }: AvatarProps) {
  const [broken, setBroken] = useState(false);
  const cls = `avatar c${colorSlot(id)}${small ? ' sm' : ''}`;
  return (
    <span class={cls} aria-hidden="true">
      {url && !broken ? (
        <img src={url} alt="" loading="lazy" referrerpolicy="no-referrer" onError={() => setBroken(true)} />
      ) : (
        initials(name)
      )}
    </span>
  );
}
