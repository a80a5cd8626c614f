// The demo page: one real widget (Banter.mount from /widget.js) per demo user, each with its own
// token from /api/dev/token (dev mode only). A file, not inline: the page runs under a strict CSP.
(function () {
  'use strict';

  var PEOPLE = {
    alice: { name: 'Alice', with: 'bob', accent: '#5b5bd6' },
    bob: { name: 'Bob', with: 'alice', accent: '#0d74ce' },
    carol: { name: 'Carol', accent: '#d6409f' },
  };
  var apiUrl = new URL('/api', location.href).href;
  var params = new URLSearchParams(location.search);
  var only = params.get('user');
  // `/?user=bob&with=alice`: one user, with the direct conversation open (two browsers, two people).
  var onlyWith = params.get('with');
  var showCarol = params.get('carol') === '1';
  var panes = document.getElementById('panes');
  var toggle = document.getElementById('toggle-carol');
  var mounted = {};

  function tokenFor(userId) {
    return function () {
      return fetch('/api/dev/token?user=' + encodeURIComponent(userId), { headers: { accept: 'application/json' } })
        .then(function (response) {
          if (!response.ok)
            throw new Error('no dev token for ' + userId + ' (HTTP ' + response.status + '); is the server running with --dev?');
          return response.json();
        })
        .then(function (json) {
          return json.token;
        });
    };
  }

  function nameOf(userId) {
    var person = PEOPLE[userId];
    return person ? person.name : userId;
  }

  function createPane(userId) {
    var section = document.createElement('section');
    section.className = 'pane';
    section.dataset.user = userId;
    section.setAttribute('aria-label', nameOf(userId));

    var head = document.createElement('header');
    head.className = 'pane-head';
    var face = document.createElement('span');
    face.className = 'face ' + (PEOPLE[userId] ? userId : '');
    face.textContent = nameOf(userId).charAt(0).toUpperCase();
    var who = document.createElement('span');
    who.className = 'who';
    var strong = document.createElement('strong');
    strong.textContent = nameOf(userId);
    var small = document.createElement('small');
    small.textContent = 'signed in as ' + userId;
    who.append(strong, small);
    head.append(face, who);
    if (!only) {
      var link = document.createElement('a');
      link.href = '/?user=' + encodeURIComponent(userId);
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = 'Open alone ↗';
      head.append(link);
    }

    var chat = document.createElement('div');
    chat.className = 'chat';
    chat.id = 'chat-' + userId;
    section.append(head, chat);
    panes.append(section);
    return section;
  }

  function mountPane(userId, section) {
    if (mounted[userId]) return;
    var person = PEOPLE[userId] || {};
    var options = {
      url: apiUrl,
      getToken: tokenFor(userId),
      mode: 'inbox',
      // The visitor's light or dark mode, as the page around it.
      theme: { scheme: 'auto', accent: person.accent || '#5b5bd6' },
    };
    // Alone on the page (`/?user=bob`): the tab shows the unread count, "(2) Bob · Banter demo".
    if (only) options.unreadInTitle = true;
    var other = only ? onlyWith : person.with;
    if (other) options.conversationWith = other;
    try {
      mounted[userId] = window.Banter.mount(section.querySelector('.chat'), options);
    } catch (error) {
      var failed = document.createElement('p');
      failed.className = 'failed';
      failed.textContent = 'The widget failed to start: ' + (error && error.message ? error.message : error);
      section.querySelector('.chat').replaceChildren(failed);
    }
  }

  function layout() {
    var visible = panes.querySelectorAll('.pane:not([hidden])').length;
    panes.className = 'panes' + (visible === 1 ? ' one' : visible === 3 ? ' three' : '');
  }

  if (!window.Banter) {
    panes.textContent = 'The widget script (/widget.js) did not load: run `pnpm build` and restart.';
    return;
  }

  if (only) {
    mountPane(only, createPane(only));
    toggle.hidden = true;
    document.title = nameOf(only) + ' · Banter demo';
    layout();
    return;
  }

  ['alice', 'bob'].forEach(function (id) {
    mountPane(id, createPane(id));
  });
  var carol = createPane('carol');
  carol.hidden = true;

  function setCarol(show) {
    carol.hidden = !show;
    toggle.setAttribute('aria-pressed', String(show));
    toggle.textContent = show ? 'Hide Carol' : 'Show Carol';
    // Carol connects only when shown: two sockets are enough for a first look.
    if (show) mountPane('carol', carol);
    layout();
  }

  toggle.addEventListener('click', function () {
    setCarol(carol.hidden);
  });
  setCarol(showCarol);
})();
