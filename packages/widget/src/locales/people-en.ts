// English strings of the people chunk (chunks/people.tsx: "New message" and group editing). They
// ship in that chunk, not in widget.js; a locale or a host's `strings` may translate them like any
// other key (Strings includes them), and the chunk falls back to these.
export const peopleEn = {
  searchPeople: 'Search people',
  noPeople: 'Nobody found.',
  peopleUnavailable: 'Finding people is not available here.',
  chosen: 'Chosen',
  unchoose: 'Remove {name}',
  groupName: 'Group name',
  startConversation: 'Start conversation',
  cancel: 'Cancel',
  people: 'People',
  addPeople: 'Add people',
  admin: 'Admin',
  remove: 'Remove',
  removePerson: 'Remove {name} from the group',
  save: 'Save name',
  renamed: 'Group renamed to {title}',
  added: '{name} added',
  removed: '{name} removed',
  actionFailed: 'That did not work. Try again.',
};
