// Small progressive enhancements; every page works without them.
"use strict";

// Buttons with data-confirm ask before their form is sent.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// A key named by data-hotkey (e.g. "/") focuses that field, unless the user is typing.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const typing = event.target.closest("input, textarea, select, [contenteditable]");
  if (typing) return;
  const target = document.querySelector(`[data-hotkey="${CSS.escape(event.key)}"]`);
  if (target) {
    event.preventDefault();
    target.focus();
  }
});

// Search as you type: a text field with data-suggest="<url>" gets a <datalist>
// of the names the server finds for what is typed (at most 20), instead of a
// page carrying every name. Without this script the field is a plain text
// box the server resolves by name. The browser's own datalist handles the
// keyboard (arrows, Enter, Escape) and announces the options.
document.querySelectorAll("input[data-suggest]").forEach((input) => {
  const list = document.createElement("datalist");
  list.id = `${input.id}-suggestions`;
  input.after(list);
  input.setAttribute("list", list.id);
  let timer;
  let latest = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) {
      list.replaceChildren();
      return;
    }
    timer = setTimeout(async () => {
      const asked = ++latest;
      const url = `${input.dataset.suggest}?q=${encodeURIComponent(text)}`;
      try {
        const answer = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!answer.ok || asked !== latest) return; // a later keystroke's answer wins
        const { names } = await answer.json();
        list.replaceChildren(...names.map((name) => Object.assign(document.createElement("option"), { value: name })));
      } catch {
        // Offline or signed out: the field still works as plain text.
      }
    }, 150);
  });
});
