// Small behaviours of plain pages, which work without this script too:
// - a form with data-confirm="…" (or sent by a button with one) is sent only when the person
//   agrees to the question;
// - a button with data-print opens the browser's print dialog (save as PDF from there).
document.addEventListener(
  'submit',
  (e) => {
    const form = e.target;
    const asker = e.submitter?.dataset.confirm !== undefined ? e.submitter : form;
    const question = form instanceof HTMLFormElement ? asker.dataset.confirm : undefined;
    if (question && !window.confirm(question)) e.preventDefault();
  },
  true,
);
document.addEventListener('click', (e) => {
  const button = e.target instanceof Element ? e.target.closest('[data-print]') : null;
  if (button) window.print();
});

// - an input with data-people suggests people as one types (name, username or phone), each
//   with their studio or union; choosing one puts their username in the input. Without this
//   script the server finds the person from what was typed and names the candidates if several.
const peopleInputs = document.querySelectorAll('input[data-people]');
peopleInputs.forEach((input) => {
  const list = document.createElement('div');
  list.className = 'people-suggest';
  list.id = `${input.id}-suggest`;
  list.setAttribute('aria-label', input.labels?.[0]?.textContent ?? '');
  list.hidden = true;
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('autocomplete', 'off');
  input.after(list);
  let timer;
  let asked = '';
  const close = () => {
    list.hidden = true;
    list.replaceChildren();
  };
  const show = (people) => {
    list.replaceChildren();
    for (const p of people) {
      const button = document.createElement('button');
      button.type = 'button';
      const name = document.createElement('strong');
      name.textContent = p.display_name;
      const place = document.createElement('small');
      const studio = p.studios[0];
      place.textContent = studio ? `${studio.unit_name}·${studio.name}` : (p.unions[0] ?? '');
      button.append(name, ' ', place);
      button.addEventListener('click', () => {
        input.value = p.username;
        close();
        input.focus();
      });
      list.append(button);
    }
    list.hidden = people.length === 0;
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 1) return close();
    timer = setTimeout(async () => {
      asked = q;
      try {
        const res = await fetch(`/api/v1/people?q=${encodeURIComponent(q)}`, { credentials: 'same-origin' });
        if (!res.ok || asked !== q) return;
        const body = await res.json();
        show(body.items.slice(0, 8));
      } catch {
        close();
      }
    }, 200);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
});

// - a form with data-similar="…" (writing a challenge) shows, as the title and description are
//   typed, the challenges and outcomes already close to them. Without this script the form's
//   查重 button asks the server for the same list.
document.querySelectorAll('form[data-similar]').forEach((form) => {
  const box = form.querySelector('#similar');
  const list = box?.querySelector('ul');
  const fields = ['title', 'description'].map((n) => form.elements.namedItem(n)).filter(Boolean);
  if (!box || !list || fields.length === 0) return;
  let timer;
  let asked = '';
  const item = (s) => {
    const li = document.createElement('li');
    const tag = document.createElement('span');
    tag.className = 'tag';
    tag.textContent = s.kind === 'outcome' ? box.dataset.kindOutcome : box.dataset.kindChallenge;
    const link = document.createElement('a');
    link.href = `/${s.kind === 'outcome' ? 'outcomes' : 'challenges'}/${s.id}`;
    link.textContent = s.title;
    li.append(tag, ' ', link);
    if (s.studio_id && s.studio_name) {
      const studio = document.createElement('a');
      studio.href = `/studios/${s.studio_id}`;
      studio.textContent = s.studio_name;
      li.append(' · ', studio);
    }
    return li;
  };
  const ask = async () => {
    // The start of a long draft says enough, and keeps the address short.
    const text = [...fields.map((f) => f.value.trim()).join('\n').trim()].slice(0, 800).join('');
    if ([...text].length < 6 || text === asked) return;
    asked = text;
    try {
      const res = await fetch(`/api/v1/challenges/similar?limit=5&text=${encodeURIComponent(text)}`, {
        credentials: 'same-origin',
      });
      if (!res.ok || asked !== text) return;
      const body = await res.json();
      if (body.items.length > 0) {
        list.replaceChildren(...body.items.map(item));
      } else {
        const none = document.createElement('li');
        none.className = 'muted';
        none.textContent = box.dataset.none;
        list.replaceChildren(none);
      }
      box.hidden = false;
    } catch {
      // The 查重 button still works.
    }
  };
  fields.forEach((f) =>
    f.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(ask, 600);
    }),
  );
});
