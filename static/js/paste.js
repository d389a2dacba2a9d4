// The "Paste an article" box. A copy from a browser puts the page's markup (text/html) on the
// clipboard beside its plain text: the markup goes into the form's hidden `html` field, so that the
// article is cleaned with the page's headings and paragraphs, while the box shows the plain text
// as usual. Without this script the box takes plain text alone.
for (const box of document.querySelectorAll("[data-paste-box]")) {
  const textarea = box.querySelector("textarea");
  const field = box.querySelector('input[name="html"]');
  const note = box.querySelector("[data-paste-note]");
  const maxChars = Number(field.dataset.maxChars) || Infinity;
  let pastedLines = []; // the pasted text's lines: while one is still in the box, the markup is its

  const linesOf = (text) => text.split("\n").map((line) => line.trim()).filter(Boolean);
  const keep = (html, text) => {
    field.value = html;
    pastedLines = html ? linesOf(text) : [];
    note.hidden = !html;
  };
  // A copy can carry a bare wrapper (`<meta charset="utf-8">`) and no text: that is no page. Read as
  // the server reads it (services.has_words), not parsed: a parsed copy's style attributes would
  // break the page's Content-Security-Policy.
  const hasText = (html) => /\S/.test(
    html.replace(/<(head|script|style|title|template)\b[\s\S]*?<\/\1\s*>/gi, "").replace(/<[^>]*>|&nbsp;|&#160;/g, ""),
  );

  textarea.addEventListener("paste", (event) => {
    const html = event.clipboardData ? event.clipboardData.getData("text/html") : "";
    // The markup stands for the whole box only if the paste replaces all of it (an empty box too).
    const replacesAll = textarea.selectionStart === 0 && textarea.selectionEnd === textarea.value.length;
    if (replacesAll && html && html.length <= maxChars && hasText(html)) {
      keep(html, event.clipboardData.getData("text/plain"));
    } else {
      keep("", "");
    }
  });
  textarea.addEventListener("input", (event) => {
    if (!field.value || event.inputType === "insertFromPaste") return;
    // Cleared, or replaced by a different text: the page's markup is no longer what the box says.
    if (!pastedLines.some((line) => textarea.value.includes(line))) keep("", "");
  });
  note.querySelector("[data-paste-plain]").addEventListener("click", () => {
    keep("", "");
    textarea.focus();
  });
  // A form shown again after an error still holds the markup of the text in the box.
  if (field.value && textarea.value.trim()) keep(field.value, textarea.value);
  else keep("", "");
}
