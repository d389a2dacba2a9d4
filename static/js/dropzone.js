// Drag and drop onto the file picker of the "Add articles" form. The picker itself works
// without this script; this only lets files be dropped onto the surrounding area.
for (const zone of document.querySelectorAll("[data-dropzone]")) {
  const input = zone.querySelector("input[type=file]");
  const setActive = (active) => zone.classList.toggle("dropzone--active", active);
  zone.addEventListener("dragover", (event) => { event.preventDefault(); setActive(true); });
  zone.addEventListener("dragleave", () => setActive(false));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    setActive(false);
    if (input && event.dataTransfer.files.length) input.files = event.dataTransfer.files;
  });
}
