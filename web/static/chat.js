// Live chat for /chat/{room}: one WebSocket, resumed after the last id shown, so a dropped
// connection (a phone changing networks, a laptop waking, a server restart) fills its gap in
// order with no duplicates. Sends carry a client id and are resent with the same id until
// acknowledged, so a message sent from a weak connection appears once. No dependencies.
(function () {
  'use strict';
  var root = document.getElementById('chat');
  if (!root || !window.WebSocket) return;
  var room = root.dataset.room;
  var me = Number(root.dataset.me);
  var last = Number(root.dataset.last);
  if (!last && document.querySelector('.chat-log li')) return; // an older page: history only
  var log = document.getElementById('chat-log');
  var form = document.getElementById('chat-form');
  var input = document.getElementById('f-body');
  var statusEl = document.getElementById('chat-status');
  var onlineEl = document.getElementById('chat-online');
  var typingEl = document.getElementById('chat-typing');
  var t = function (k) { return root.dataset['t' + k] || ''; };
  var names = {};
  var pending = {}; // client_id -> body, until acknowledged
  var ws = null;
  var retry = 1000;
  var typingSent = 0;
  var typingTimer = null;
  var typingUser = null;
  var readTimer = null;

  // Names of the people in the history, for "… is typing".
  Array.prototype.forEach.call(log.querySelectorAll('li'), function (li) {
    var who = li.querySelector('.msg-meta strong');
    if (who && li.dataset.author) names[li.dataset.author] = who.textContent;
  });

  function setStatus(text) { statusEl.textContent = text; }

  // An instant as China time, YYYY-MM-DD HH:MM, the same as the server-rendered history.
  function chinaTime(iso) {
    var t = new Date(Date.parse(iso) + 8 * 3600 * 1000);
    if (isNaN(t.getTime())) return iso;
    var two = function (n) { return (n < 10 ? '0' : '') + n; };
    return t.getUTCFullYear() + '-' + two(t.getUTCMonth() + 1) + '-' + two(t.getUTCDate()) +
      ' ' + two(t.getUTCHours()) + ':' + two(t.getUTCMinutes());
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'c' + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  // Text with its @name mentions marked, as the server marks them: a run of username characters
  // (3–32) or of Chinese characters (2–32), not glued to a letter or digit before the @ (an
  // e-mail address is no mention).
  function fillText(p, text) {
    var re = /@([a-z0-9_.-]+|[\u3400-\u4dbf\u4e00-\u9fff]+)/g;
    var at = 0;
    var m;
    while ((m = re.exec(text)) !== null) {
      var han = /^[\u3400-\u9fff]/.test(m[1]);
      var name = han ? m[1] : m[1].replace(/[.-]+$/, '');
      var glued = m.index > 0 && /[A-Za-z0-9]/.test(text.charAt(m.index - 1));
      var n = Array.from(name).length;
      if (glued || n < (han ? 2 : 3) || n > 32) continue;
      p.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mark = document.createElement('mark');
      mark.className = 'mention';
      mark.textContent = '@' + name;
      p.appendChild(mark);
      at = m.index + 1 + name.length;
    }
    p.appendChild(document.createTextNode(text.slice(at)));
  }

  // Plain text with http(s) links and marked mentions, built with DOM nodes (never innerHTML).
  function fillBody(p, body) {
    var re = /https?:\/\/[^\s<>"'，。；）]+/g;
    var at = 0;
    var m;
    while ((m = re.exec(body)) !== null) {
      var url = m[0].replace(/[.,)!?]+$/, '');
      fillText(p, body.slice(at, m.index));
      var a = document.createElement('a');
      a.href = url;
      a.rel = 'nofollow noopener noreferrer';
      a.textContent = url;
      p.appendChild(a);
      at = m.index + url.length;
      re.lastIndex = at;
    }
    fillText(p, body.slice(at));
  }

  function render(m) {
    names[m.author_id] = m.author_name;
    var li = document.getElementById('m' + m.id) || document.createElement('li');
    li.id = 'm' + m.id;
    li.dataset.id = m.id;
    li.dataset.author = m.author_id;
    li.className = 'msg' + (m.author_id === me ? ' mine' : '');
    li.textContent = '';
    var meta = document.createElement('p');
    meta.className = 'msg-meta';
    var who = document.createElement('strong');
    who.textContent = m.author_name;
    var time = document.createElement('time');
    time.dateTime = m.created_at;
    time.textContent = chinaTime(m.created_at);
    meta.append(who, ' ', time);
    if (m.edited_at && !m.deleted_at) {
      var tag = document.createElement('span');
      tag.className = 'tag';
      tag.textContent = t('Edited');
      meta.append(' ', tag);
    }
    var p = document.createElement('p');
    p.className = 'msg-body';
    if (m.deleted_at) {
      p.classList.add('muted');
      p.textContent = t('Deleted');
    } else {
      fillBody(p, m.body);
    }
    li.append(meta, p);
    if (m.author_id === me && !m.deleted_at) li.append(tools(m));
    return li;
  }

  // The author's edit and delete forms, the same as the server renders them.
  function tools(m) {
    var d = document.createElement('details');
    d.className = 'msg-tools';
    var sum = document.createElement('summary');
    var when = document.createElement('span');
    when.className = 'visually-hidden';
    when.textContent = ' ' + chinaTime(m.created_at);
    sum.append(t('Manage'), when);
    var base = '/chat/' + room + '/messages/' + m.id;
    var edit = document.createElement('form');
    edit.method = 'post';
    edit.action = base + '/edit';
    edit.className = 'msg-edit';
    var label = document.createElement('label');
    label.htmlFor = 'e' + m.id;
    label.textContent = t('EditLabel');
    var area = document.createElement('textarea');
    area.id = 'e' + m.id;
    area.name = 'body';
    area.rows = 2;
    area.maxLength = 4000;
    area.required = true;
    area.value = m.body;
    edit.append(label, area, button(t('Save'), 'btn small'));
    var del = document.createElement('form');
    del.method = 'post';
    del.action = base + '/delete';
    del.className = 'msg-delete';
    del.append(button(t('Delete'), 'btn small ghost'));
    d.append(sum, edit, del);
    return d;
  }

  function button(text, cls) {
    var b = document.createElement('button');
    b.type = 'submit';
    b.className = cls;
    b.textContent = text;
    return b;
  }

  // Edits and deletions go through the API; the room sees them as `update` frames.
  log.addEventListener('submit', function (ev) {
    var f = ev.target;
    var li = f.closest('li.msg');
    if (!li || !f.closest('.msg-tools')) return;
    ev.preventDefault();
    var url = '/api/v1/rooms/' + encodeURIComponent(room) + '/messages/' + li.dataset.id;
    var edit = f.classList.contains('msg-edit');
    fetch(url, {
      method: edit ? 'PATCH' : 'DELETE', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: edit ? JSON.stringify({ body: f.elements.body.value }) : undefined
    }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) throw j;
        render(j);
      });
    }).catch(function (p) {
      setStatus(t('ChangeFailed') + (p && (p.detail || p.title) ? '：' + (p.detail || p.title) : ''));
    });
  });

  function markRead() {
    clearTimeout(readTimer);
    readTimer = setTimeout(function () {
      if (document.hidden || !last) return;
      fetch('/api/v1/rooms/' + encodeURIComponent(room) + '/read', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ id: last })
      }).catch(function () {});
    }, 800);
  }

  function onMessage(m) {
    if (m.id <= last) return;
    last = m.id;
    var empty = document.getElementById('chat-empty');
    if (empty) empty.remove();
    var nearBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 200;
    log.appendChild(render(m));
    if (nearBottom || m.author_id === me) form.scrollIntoView({ block: 'end' });
    markRead();
  }

  function send(body, clientId) {
    if (ws && ws.readyState === 1) {
      ws.send(JSON.stringify({ type: 'send', room: room, body: body, client_id: clientId }));
    }
  }

  function connect() {
    setStatus(t('Connecting'));
    var proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
    ws = new WebSocket(proto + location.host + '/api/v1/ws');
    ws.onopen = function () {
      retry = 1000;
      setStatus(t('Live'));
      ws.send(JSON.stringify({ type: 'subscribe', room: room, after: last }));
      Object.keys(pending).forEach(function (id) { send(pending[id], id); });
    };
    ws.onmessage = function (ev) {
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (f.type === 'message' && f.room === room) {
        // Whoever was typing has sent it.
        if (f.author_id === typingUser) {
          typingEl.textContent = '';
          typingUser = null;
        }
        onMessage(f);
      }
      else if (f.type === 'update' && f.room === room) {
        if (document.getElementById('m' + f.id)) render(f);
      } else if (f.type === 'ack') {
        delete pending[f.client_id];
      } else if (f.type === 'presence' && f.room === room) {
        onlineEl.textContent = '· ' + f.count + ' ' + t('Online');
      } else if (f.type === 'typing' && f.room === room && f.user_id !== me) {
        typingEl.textContent = (names[f.user_id] || t('Someone')) + ' ' + t('Typing');
        typingUser = f.user_id;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { typingEl.textContent = ''; }, 3000);
      } else if (f.type === 'error') {
        if (f.code === 'rate_limited' && f.client_id && pending[f.client_id]) {
          setStatus(t('Rate'));
          var id = f.client_id;
          setTimeout(function () { if (pending[id]) send(pending[id], id); }, 1500);
        } else if (f.client_id) {
          delete pending[f.client_id];
          setStatus(f.message || f.code);
        }
      }
    };
    ws.onclose = function () {
      setStatus(t('Reconnecting'));
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  }

  form.addEventListener('submit', function (ev) {
    var body = input.value;
    if (!ws || ws.readyState !== 1 || !body.trim()) return; // the plain form post still works
    ev.preventDefault();
    var id = newId();
    pending[id] = body;
    send(body, id);
    input.value = '';
    input.focus();
  });

  // Enter sends and Shift+Enter starts a new line, as in the messengers people know; the Enter
  // that ends a Chinese input method's composition does neither.
  input.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
      ev.preventDefault();
      if (input.value.trim()) form.requestSubmit();
    }
  });

  // "@" and a few letters of a name suggest people (by Chinese name, username or phone, with
  // their studio); choosing one writes "@姓名 ", or "@username " when two share the name.
  var suggest = document.createElement('div');
  suggest.className = 'people-suggest mention-suggest';
  suggest.id = 'f-body-suggest';
  suggest.hidden = true;
  input.setAttribute('aria-controls', suggest.id);
  input.after(suggest);
  var asked = '';
  var suggestTimer = null;
  function closeSuggest() { suggest.hidden = true; suggest.replaceChildren(); }
  function mentionBefore() {
    var m = /(^|\s)@([^\s@]{1,16})$/.exec(input.value.slice(0, input.selectionStart));
    return m ? m[2] : null;
  }
  function showSuggest(q, people) {
    suggest.replaceChildren();
    people.forEach(function (p) {
      var b = document.createElement('button');
      b.type = 'button';
      var name = document.createElement('strong');
      name.textContent = p.display_name;
      var place = document.createElement('small');
      var studio = p.studios[0];
      place.textContent = studio ? studio.unit_name + '·' + studio.name : (p.unions[0] || '');
      b.append(name, ' ', place);
      b.addEventListener('click', function () {
        // A Chinese name reads back as a mention; a name the server could not tell apart (shared,
        // or with other characters in it) is written as the username.
        var shared = people.filter(function (o) { return o.display_name === p.display_name; }).length > 1;
        var han = /^[\u3400-\u4dbf\u4e00-\u9fff]{2,32}$/.test(p.display_name);
        var pick = shared || !han ? p.username : p.display_name;
        var caret = input.selectionStart;
        var before = input.value.slice(0, caret - q.length - 1);
        input.value = before + '@' + pick + ' ' + input.value.slice(caret);
        var at = before.length + pick.length + 2;
        input.setSelectionRange(at, at);
        closeSuggest();
        input.focus();
      });
      suggest.append(b);
    });
    suggest.hidden = people.length === 0;
  }
  input.addEventListener('input', function () {
    clearTimeout(suggestTimer);
    var q = mentionBefore();
    if (!q) return closeSuggest();
    suggestTimer = setTimeout(function () {
      asked = q;
      fetch('/api/v1/people?q=' + encodeURIComponent(q), { credentials: 'same-origin' })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (body) { if (body && asked === q) showSuggest(q, body.items.slice(0, 6)); })
        .catch(closeSuggest);
    }, 200);
  });
  input.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') closeSuggest(); });

  input.addEventListener('input', function () {
    var now = Date.now();
    if (ws && ws.readyState === 1 && now - typingSent > 2000) {
      typingSent = now;
      ws.send(JSON.stringify({ type: 'typing', room: room }));
    }
  });

  document.addEventListener('visibilitychange', function () { if (!document.hidden) markRead(); });
  connect();
})();
