// Reports: drag-and-drop upload, the extraction progress bar, the add-item form.
// Every page works without this file (plain file input, a Refresh link, all fields shown).
"use strict";

function setupDropzone(zone) {
  const input = zone.querySelector("input[type=file]");
  const list = zone.querySelector("[data-dropzone-list]");
  const show = () => {
    const names = Array.from(input.files || []).map((file) => file.name);
    list.textContent = names.length ? `Selected: ${names.join(", ")}` : "";
  };
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach((type) => zone.addEventListener(type, (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  }));
  ["dragleave", "dragend"].forEach((type) => zone.addEventListener(type, () => zone.classList.remove("dragging")));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    const files = Array.from(event.dataTransfer.files).filter(
      (file) => file.type === "application/pdf" || file.name.toLowerCase().endsWith(".pdf"));
    if (!files.length) {
      list.textContent = "Only PDF files can be uploaded.";
      return;
    }
    const transfer = new DataTransfer();
    files.forEach((file) => transfer.items.add(file));
    input.files = transfer.files;
    show();
  });
}

function setupProgress(section) {
  const url = section.dataset.jobStatusUrl;
  const bar = section.querySelector("progress");
  const text = section.querySelector("[data-job-progress-text]");
  const poll = async () => {
    let state;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      state = await response.json();
    } catch (error) {
      text.textContent = "Could not check the progress; retrying…";
      window.setTimeout(poll, 5000);
      return;
    }
    if (state.status === "done" || state.status === "failed") {
      text.textContent = state.status === "done" ? "Done. Loading the results…" : "Extraction failed.";
      window.location.reload();
      return;
    }
    if (state.pages) {
      bar.max = state.pages;
      bar.value = state.page;
      text.textContent = `Page ${state.page} of ${state.pages}.`;
    } else {
      text.textContent = state.status === "queued" ? "Waiting to start." : "Starting…";
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
}

function setupKindForm(form) {
  const select = form.querySelector("select[name=kind]");
  const update = () => {
    form.querySelectorAll("[data-kinds]").forEach((block) => {
      block.hidden = !block.dataset.kinds.split(" ").includes(select.value);
    });
  };
  select.addEventListener("change", update);
  update();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-dropzone]").forEach(setupDropzone);
  document.querySelectorAll("[data-job-status-url]").forEach(setupProgress);
  document.querySelectorAll("[data-item-kind-form]").forEach(setupKindForm);
});
