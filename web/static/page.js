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
