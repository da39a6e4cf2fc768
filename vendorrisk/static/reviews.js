// Reviews: a read-only field marked data-select-on-focus selects its text
// when focused, so the calendar link can be copied with one keystroke.
"use strict";

document.addEventListener("focusin", (event) => {
  const field = event.target.closest("[data-select-on-focus]");
  if (field) field.select();
});
