// BiblioMO: behaviour that the pages declare with data- attributes (no inline scripts).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// A select that reloads its form when changed (year pickers).
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// A button that prints the page (debtors' lists, notices).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// A form with unsaved edits (data-unsaved-warning): warn before the page is left, and
// before another form (data-needs-saved="<form id>") would drop the edits.
const dirtyForms = new Set();
document.addEventListener("input", (event) => {
  const form = event.target.closest("form[data-unsaved-warning]");
  if (form && !dirtyForms.has(form)) {
    dirtyForms.add(form);
    form.querySelectorAll("[data-unsaved-note]").forEach((note) => { note.hidden = false; });
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (dirtyForms.has(form)) {
    dirtyForms.delete(form);
    return;
  }
  const other = form.dataset.needsSaved && document.getElementById(form.dataset.needsSaved);
  if (other && dirtyForms.has(other)) {
    if (window.confirm("В таблице есть несохранённые изменения — они пропадут. Всё равно продолжить?")) {
      dirtyForms.delete(other);
    } else {
      event.preventDefault();
    }
  }
});
window.addEventListener("beforeunload", (event) => {
  if (dirtyForms.size) {
    event.preventDefault();
    event.returnValue = "";
  }
});

// Textbook pickers (data-suggest="<url>"): suggestions by title, author or number.
let suggestTimer;
function suggestList(input) {
  let list = document.getElementById(`${input.id}-suggestions`);
  if (!list) {
    list = document.createElement("datalist");
    list.id = `${input.id}-suggestions`;
    input.after(list);
    input.setAttribute("list", list.id);
  }
  return list;
}
document.querySelectorAll("input[data-suggest]").forEach(suggestList);
document.addEventListener("input", (event) => {
  const input = event.target;
  if (!input.matches("input[data-suggest]")) return;
  const query = input.value.trim();
  clearTimeout(suggestTimer);
  if (query.length < 2 || query.includes(" — ")) return;
  suggestTimer = setTimeout(async () => {
    const url = `${input.dataset.suggest}?q=${encodeURIComponent(query)}`;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    suggestList(input).replaceChildren(...data.results.map((text) => {
      const option = document.createElement("option");
      option.value = text;
      return option;
    }));
  }, 200);
});

// Tabs that scroll sideways on a phone: the active tab is the one in view.
document.querySelectorAll(".nav-tabs.overflow-auto .nav-link.active").forEach((tab) => {
  const strip = tab.closest(".nav-tabs");
  strip.scrollLeft = tab.offsetLeft - (strip.clientWidth - tab.offsetWidth) / 2;
});
