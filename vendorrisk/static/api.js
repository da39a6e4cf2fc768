// API tokens: a Copy button next to a newly created token.
"use strict";

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Press Ctrl+C to copy";
  }
});

// The review packet's Print button.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
