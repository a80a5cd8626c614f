import type { Strings } from './en';

/**
 * French, opt-in: `mount(el, { locale: 'fr', strings: fr, ... })`.
 *
 * @example
 * import { fr } from '@banter/widget/locales/fr';
 * mount(el, { url, token, locale: 'fr', strings: fr });
 */
export const fr: Strings = {
  chat: 'Discussion',
  openChat: 'Ouvrir la discussion',
  closeChat: 'Fermer la discussion',
  unreadBadge_one: '{count} message non lu',
  unreadBadge_other: '{count} messages non lus',
  conversations: 'Conversations',
  noConversations: 'Aucune conversation pour le moment.',
  pickConversation: 'Choisissez une conversation.',
  loadMoreConversations: 'Charger plus de conversations',
  back: 'Retour aux conversations',
  messages: 'Messages',
  loading: 'Chargement…',
  loadOlder: 'Charger les messages précédents',
  noMessages: 'Aucun message. Dites bonjour !',
  newMessages: 'Nouveaux messages',
  you: 'Vous',
  youPrefix: 'Vous : ',
  today: 'Aujourd’hui',
  yesterday: 'Hier',
  sending: 'Envoi…',
  sent: 'Envoyé',
  read: 'Lu',
  readBy: 'Lu par {count} sur {total}',
  readByNames: 'Lu par {names}',
  failed: 'Non envoyé.',
  retry: 'Réessayer',
  discard: 'Supprimer',
  typing_one: '{names} écrit…',
  typing_other: '{names} écrivent…',
  typingMany: 'Plusieurs personnes écrivent…',
  and: '{a} et {b}',
  offline: 'Vous êtes hors ligne. Les messages partiront dès le retour de la connexion.',
  reconnecting: 'Connexion perdue. Reconnexion… Les messages partiront dès son retour.',
  unreadFrom: 'Messages non lus',
  online: 'En ligne',
  composerLabel: 'Message',
  composerPlaceholder: 'Écrire un message…',
  send: 'Envoyer',
  charsLeft_one: 'Encore {count} caractère',
  charsLeft_other: 'Encore {count} caractères',
  charsOver_one: '{count} caractère de trop',
  charsOver_other: '{count} caractères de trop',
  newMessageFrom: 'Nouveau message de {name} : {body}',
  untitled: 'Conversation',
  errorLoading: 'Impossible de charger la discussion.',
  insertEmoji: 'Insérer un emoji',
  searchEmoji: 'Rechercher un emoji',
  noEmoji: 'Aucun emoji trouvé',
};
