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

// Uploading starts as soon as a file is chosen (and the evidence box shows what came of it).
document.addEventListener("change", (event) => {
  if (event.target.matches(".upload input[type=file]") && event.target.files.length) {
    const box = event.target.closest("details");
    if (box) box.open = true;
    event.target.form.requestSubmit();
  }
});

// A repeated row (deduction, bonus, ledger …) is sent only once it is complete: every group of
// fields marked data-need has a value. Typing the points and then moving to the reason would
// otherwise send a half row the server must refuse. A row nobody touched is not incomplete.
function incompleteRow(form) {
  for (const row of form.querySelectorAll(".entry-row")) {
    const fields = [...row.querySelectorAll("input:not([type=hidden]), select, textarea")];
    const filled = (el) => el.value.trim() !== "";
    if (!fields.some((el) => filled(el) && !el.hasAttribute("data-default"))) continue;
    const groups = new Set(fields.filter((el) => el.dataset.need).map((el) => el.dataset.need));
    for (const group of groups) {
      const members = fields.filter((el) => el.dataset.need === group);
      if (!members.some(filled)) return members[0];
    }
  }
  return null;
}

function showStatus(item, text) {
  const status = item && item.querySelector(".item-status");
  if (!status) return;
  status.textContent = "";
  const span = document.createElement("span");
  span.className = "error";
  span.textContent = text;
  status.appendChild(span);
}

document.addEventListener("htmx:configRequest", (event) => {
  const form = event.target.closest("form.entry");
  if (!form) return;
  const data = event.detail.formData;
  if (data && data.get("clear")) return; // clearing needs no complete row
  if (!incompleteRow(form)) return;
  event.preventDefault();
  showStatus(form.closest(".item"), document.getElementById("sheet").dataset.incomplete);
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
  showStatus(event.target.closest(".item"),
    document.getElementById("sheet").dataset.failed || "Not saved");
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
