// The reader's annotator: select a passage (mouse, keyboard or touch), tag it and write a
// note in a small toolbar, see highlights and the side panel update, edit, delete and undo.
// The server renders highlights and the panel; after every change we fetch them again.

import { call, splitTags } from "./annotator/api.js";
import { markOf, rangeToOffsets } from "./annotator/offsets.js";

const toolbar = document.getElementById("annotator-toolbar");
const form = toolbar.querySelector("form");
const errorBox = toolbar.querySelector(".annotator-toolbar__error");
const toast = document.getElementById("annotator-toast");
const shortcuts = document.getElementById("annotator-shortcuts");
const suggestions = document.getElementById("tag-suggestions");

let annotated = document.getElementById("annotated");
let pending = null; // what the toolbar will save: {start, end, exact} and maybe {id, version}
let lastDeleted = null;
let current = -1; // index of the highlight that j/k last moved to

const body = () => annotated.querySelector(".reader__body");
const canEdit = () => annotated.dataset.canEdit === "true";
const annotationUrl = (id) => annotated.dataset.annotationApi.replace(/0\/$/, `${id}/`);

function selectionOffsets() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  return rangeToOffsets(body(), selection.getRangeAt(0));
}

function placeToolbar(range) {
  const rect = range.getBoundingClientRect();
  toolbar.hidden = false;
  const width = toolbar.offsetWidth;
  const left = Math.min(Math.max(8, rect.left + window.scrollX), window.scrollX + document.documentElement.clientWidth - width - 8);
  toolbar.style.left = `${left}px`;
  toolbar.style.top = `${rect.bottom + window.scrollY + 8}px`;
}

// `focus` null shows the toolbar without taking focus, so that the selection stays alive and
// Shift+arrows can still extend it; t, a or n (or a click into the toolbar) moves focus there.
function openToolbar({ focus = "tags", target = null } = {}) {
  const selection = window.getSelection();
  const offsets = target ? null : selectionOffsets();
  if (!target && !offsets) return false;
  pending = target || offsets;
  errorBox.textContent = "";
  const keepTyping = !target && !toolbar.hidden && pending && !pending.id;
  if (!keepTyping) {
    form.tags.value = target?.tags ?? "";
    form.note.value = target?.note ?? "";
    if (form.dossier) form.dossier.value = "";
  }
  if (target?.element) {
    const rect = target.element.getBoundingClientRect();
    toolbar.hidden = false;
    toolbar.style.left = `${Math.max(8, rect.left + window.scrollX - toolbar.offsetWidth - 12)}px`;
    toolbar.style.top = `${rect.top + window.scrollY}px`;
  } else {
    placeToolbar(selection.getRangeAt(0));
  }
  if (focus) (focus === "note" ? form.note : form.tags).focus({ preventScroll: true });
  return true;
}

function closeToolbar() {
  toolbar.hidden = true;
  pending = null;
}

async function refresh() {
  const response = await fetch(annotated.dataset.refresh, { headers: { "HX-Request": "true" }, credentials: "same-origin" });
  if (!response.ok) return;
  const holder = document.createElement("div");
  holder.innerHTML = await response.text(); // our own server-rendered, sanitized fragment
  const fresh = holder.querySelector("#annotated");
  annotated.replaceWith(fresh);
  annotated = fresh;
  window.htmx?.process(fresh); // the panel's "Pin to a dossier" loads its form through htmx
}

function flash(message, undo = false) {
  toast.querySelector("span").textContent = message;
  toast.querySelector("[data-undo]").hidden = !undo;
  toast.hidden = false;
  clearTimeout(flash.timer);
  flash.timer = setTimeout(() => { toast.hidden = true; }, undo ? 10000 : 4000);
}

async function save(event) {
  event.preventDefault();
  if (!pending) return;
  const payload = { note: form.note.value, tags: splitTags(form.tags.value) };
  try {
    const saved = pending.id
      ? await call("PATCH", annotationUrl(pending.id), { ...payload, version: pending.version, ...(pending.reattach || {}) })
      : await call("POST", annotated.dataset.api, { ...payload, start: pending.start, end: pending.end, exact: pending.exact });
    if (form.dossier?.value) await pin(saved.id, form.dossier.value);
  } catch (error) {
    errorBox.textContent = error.message;
    return;
  }
  closeToolbar();
  window.getSelection().removeAllRanges();
  await refresh();
  flash("Saved.");
}

// Pinning is the dossiers app's form action (it answers with a redirect, which we ignore).
async function pin(annotationId, dossierId) {
  const body = new URLSearchParams({ annotation: annotationId, dossier: dossierId });
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const response = await fetch(annotated.dataset.pin, {
    method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": token },
  });
  if (!response.ok) throw new Error("The passage was saved but could not be pinned to the dossier.");
}

async function remove(id) {
  try {
    await call("DELETE", annotationUrl(id));
  } catch (error) {
    flash(error.message);
    return;
  }
  lastDeleted = id;
  await refresh();
  flash("Annotation deleted.", true);
}

async function undo() {
  if (!lastDeleted) return;
  try {
    await call("POST", `${annotationUrl(lastDeleted)}restore/`);
  } catch (error) {
    flash(error.message);
    return;
  }
  lastDeleted = null;
  await refresh();
  flash("Restored.");
}

function edit(id, { reattach = false } = {}) {
  const item = document.getElementById(`annotation-${id}`);
  const target = { id, version: Number(item.dataset.version), note: item.dataset.note, tags: item.dataset.tags, element: item };
  if (reattach) {
    const offsets = selectionOffsets();
    if (!offsets) {
      flash("First select the passage in the article, then press Re-attach.");
      return;
    }
    target.reattach = offsets;
  }
  openToolbar({ focus: "note", target });
}

function jumpTo(id) {
  const mark = markOf(body(), id);
  if (!mark) return;
  mark.scrollIntoView({ behavior: "smooth", block: "center" });
  mark.classList.add("hl--active");
  setTimeout(() => mark.classList.remove("hl--active"), 1600);
}

function jumpToPanel(mark) {
  const id = mark.dataset.annotations.split(" ").pop();
  const item = document.getElementById(`annotation-${id}`);
  if (!item) return;
  item.scrollIntoView({ behavior: "smooth", block: "nearest" });
  item.classList.add("annotation--active");
  setTimeout(() => item.classList.remove("annotation--active"), 1600);
}

function step(direction) {
  const marks = [...new Map([...body().querySelectorAll("mark[data-annotations]")].map((m) => [m.dataset.annotations, m])).values()];
  if (!marks.length) return;
  current = (current + direction + marks.length) % marks.length;
  marks[current].scrollIntoView({ behavior: "smooth", block: "center" });
  jumpToPanel(marks[current]);
}

async function suggest() {
  const last = splitTags(document.activeElement.value).pop() || "";
  try {
    const data = await call("GET", `${annotated.dataset.tagsApi}?q=${encodeURIComponent(last)}`);
    const typed = document.activeElement.value.replace(/[^,]*$/, "").trim();
    suggestions.replaceChildren(...data.tags.map((tag) => new Option(`${typed ? `${typed} ` : ""}${tag.name}`)));
  } catch {
    // Suggestions are a convenience: typing a new tag always works.
  }
}

async function saveArticleNote(noteForm) {
  try {
    await call("POST", annotated.dataset.api, { note: noteForm.note.value, tags: splitTags(noteForm.tags.value) });
  } catch (error) {
    flash(error.message);
    return;
  }
  await refresh();
  flash("Saved.");
}

function onClick(event) {
  const target = event.target.closest("[data-jump],[data-edit],[data-delete],[data-reattach],mark[data-annotations]");
  if (!target) return;
  if (target.dataset.jump) { event.preventDefault(); jumpTo(target.dataset.jump); }
  else if (target.dataset.edit) edit(target.dataset.edit);
  else if (target.dataset.reattach) edit(target.dataset.reattach, { reattach: true });
  else if (target.dataset.delete) remove(target.dataset.delete);
  else if (target.tagName === "MARK" && window.getSelection().isCollapsed) jumpToPanel(target);
}

function typing(event) {
  return event.target.closest("input, textarea, select, [contenteditable]");
}

// With a passage selected the toolbar is open but not focused (so Shift+arrows can still
// extend the selection): typing starts the tags, Enter saves it as a plain highlight.
function typeIntoToolbar(event) {
  if (toolbar.hidden || !pending || pending.id) return false;
  // The selection may have grown a moment ago (Shift+arrows): take it as it is now.
  const offsets = selectionOffsets();
  if (offsets) pending = offsets;
  if (event.key === "Enter") {
    save(event);
    return true;
  }
  if (event.key.length !== 1) return false;
  form.tags.focus({ preventScroll: true });
  form.tags.value += event.key;
  form.tags.dispatchEvent(new Event("input"));
  event.preventDefault();
  return true;
}

function onKey(event) {
  if (event.key === "Escape") { closeToolbar(); shortcuts.hidden = true; return; }
  if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (canEdit() && typeIntoToolbar(event)) return;
  const actions = {
    "?": () => { shortcuts.hidden = false; shortcuts.querySelector("[data-close]").focus(); },
    j: () => step(1),
    k: () => step(-1),
    u: () => undo(),
  };
  if (actions[event.key] && actions[event.key]() !== false) event.preventDefault();
}

function onSelectionEnd(event) {
  if (!canEdit() || toolbar.contains(event.target) || typing(event)) return;
  // Let the browser finish the selection first (a click inside a selection clears it late).
  setTimeout(() => {
    if (selectionOffsets()) openToolbar({ focus: null });
    else if (!toolbar.contains(document.activeElement)) closeToolbar();
  }, 0);
}

form.addEventListener("submit", save);
form.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) save(event);
});
form.tags.addEventListener("input", suggest);
toolbar.querySelector("[data-cancel]").addEventListener("click", closeToolbar);
toast.querySelector("[data-undo]").addEventListener("click", undo);
shortcuts.querySelector("[data-close]").addEventListener("click", () => { shortcuts.hidden = true; });
document.addEventListener("click", onClick);
document.addEventListener("keydown", onKey);
document.addEventListener("mouseup", onSelectionEnd);
document.addEventListener("touchend", onSelectionEnd);
document.addEventListener("keyup", (event) => { if (event.shiftKey && event.key.startsWith("Arrow")) onSelectionEnd(event); });
document.addEventListener("submit", (event) => {
  const noteForm = event.target.closest("[data-article-note]");
  if (noteForm) { event.preventDefault(); saveArticleNote(noteForm); }
});
