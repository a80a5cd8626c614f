import { describe, expect, it } from 'vitest';
import { dayKey, groupMessages } from './group-messages';

const at = (day: number, hour: number) => new Date(2026, 10, day, hour, 0).toISOString();
const msg = (clientId: string, senderId: string, createdAt: string) => ({ clientId, senderId, createdAt });

describe('groupMessages', () => {
  it('groups runs of one sender within a local day', () => {
    const days = groupMessages([
      msg('1', 'ann', at(25, 9)),
      msg('2', 'ann', at(25, 10)),
      msg('3', 'bob', at(25, 11)),
      msg('4', 'ann', at(25, 12)),
      msg('5', 'ann', at(26, 8)),
      msg('6', 'ann', at(26, 9)),
    ]);
    expect(days.map((d) => d.day)).toEqual([dayKey(at(25, 9)), dayKey(at(26, 8))]);
    expect(days.map((d) => d.groups.map((g) => [g.senderId, g.messages.map((m) => m.clientId)]))).toEqual([
      [
        ['ann', ['1', '2']],
        ['bob', ['3']],
        ['ann', ['4']],
      ],
      [['ann', ['5', '6']]],
    ]);
  });

  it('returns nothing for no messages', () => {
    expect(groupMessages([])).toEqual([]);
  });
});
