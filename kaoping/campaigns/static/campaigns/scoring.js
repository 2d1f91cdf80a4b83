// The score sheet: rows added and removed in repeated inputs, the version kept in step after
// each save, and a visible error when a save never reached the server. No inline handlers.
document.documentElement.classList.add("js");

document.addEventListener("click", (event) => {
  const add = event.target.closest("[data-add-row]");
  if (add) {
    const rows = add.previousElementSibling;
    const template = rows && rows.querySelector(":scope > template");
    if (template) rows.insertBefore(template.content.cloneNode(true), template);
    return;
  }
  const remove = event.target.closest("[data-remove-row]");
  if (remove) {
    const form = remove.closest("form");
    remove.closest(".entry-row").remove();
    // Removing a row is a change of the entry: save it like any other.
    if (form) form.dispatchEvent(new Event("change", { bubbles: true }));
  }
});

// Uploading starts as soon as a file is chosen.
document.addEventListener("change", (event) => {
  if (event.target.matches(".upload input[type=file]") && event.target.files.length) {
    event.target.form.requestSubmit();
  }
});

// Submitting carries the version the page last saw.
document.addEventListener("htmx:afterSettle", () => {
  const version = document.getElementById("sheet-version");
  if (!version) return;
  document.querySelectorAll("[data-sheet-version]").forEach((input) => {
    input.value = version.value;
  });
});

// A save that failed on the way (network, server error) says so where the rater looks.
function showFailure(event) {
  const item = event.target.closest(".item");
  const status = item && item.querySelector(".item-status");
  if (!status) return;
  status.textContent = "";
  const span = document.createElement("span");
  span.className = "error";
  span.textContent = document.getElementById("sheet").dataset.failed || "Not saved";
  status.appendChild(span);
}
document.addEventListener("htmx:sendError", showFailure);
document.addEventListener("htmx:responseError", showFailure);
// While a save is on its way, the row no longer claims it is saved.
document.addEventListener("htmx:beforeRequest", (event) => {
  const item = event.target.closest(".item");
  const saved = item && item.querySelector(".saved");
  if (saved) saved.remove();
});

// An item whose last save was refused or failed still shows what was typed, but the server
// does not have it: submitting then would lock the sheet without it. Say so and go there.
document.addEventListener("submit", (event) => {
  if (!event.target.matches(".submit-form")) return;
  const unsaved = document.querySelector(".item .item-status .error");
  const message = document.getElementById("submit-blocked");
  if (!unsaved) {
    if (message) message.hidden = true;
    return;
  }
  event.preventDefault();
  if (message) message.hidden = false;
  const item = unsaved.closest(".item");
  item.scrollIntoView({ block: "center" });
  const field = item.querySelector("input:not([type=hidden]), select, textarea");
  if (field) field.focus({ preventScroll: true });
});
