// BiblioMO: behaviour that the pages declare with data- attributes (no inline scripts).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// A wide table scrolls sideways in its box on a phone; the box takes the keyboard's focus
// so that it can be scrolled without a mouse (axe: scrollable-region-focusable).
document.querySelectorAll(".table-responsive:not([tabindex])").forEach((box) => {
  box.tabIndex = 0;
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

// The stocktake's phone screen ([data-count-screen]): every count is saved by its own
// small request with the version it was made from. Unsent counts wait in localStorage
// (a dropped connection or a reload loses nothing) and are resent; a count that someone
// else saved meanwhile is refused by the server, and the screen shows theirs.
(() => {
  const screen = document.querySelector("[data-count-screen]");
  if (!screen) {
    return;
  }
  const storageKey = screen.dataset.storageKey;
  const saveUrl = (id) => screen.dataset.saveUrl.replace(/\/0\/$/, `/${id}/`);
  const net = screen.querySelector("[data-count-net]");
  const timers = new Map();
  const sending = new Set();

  const load = () => {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "{}");
    } catch (error) {
      return {};
    }
  };
  const store = (pending) => {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(pending));
    } catch (error) {
      // Private mode or a full storage: the count still goes out now.
    }
  };
  const csrf = () => {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    return cookie ? cookie.split("=")[1] : "";
  };
  const lineOf = (id) => screen.querySelector(`[data-count-line="${id}"]`);
  const showNet = () => {
    const left = Object.keys(load()).length;
    net.textContent = left
      ? `Не отправлено: ${left}. Отправим, как только появится связь.`
      : "Все числа сохранены.";
    net.classList.toggle("text-danger", left > 0);
  };
  const setState = (line, text, kind) => {
    line.querySelector("[data-count-state]").textContent = text;
    line.classList.toggle("is-pending", kind === "pending");
    line.classList.toggle("is-saved", kind === "saved");
  };

  const send = async (id) => {
    const pending = load();
    const item = pending[id];
    const line = lineOf(id);
    if (!item || !line || sending.has(id)) {
      return;
    }
    sending.add(id);
    try {
      const response = await fetch(saveUrl(id), {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        credentials: "same-origin",
        body: JSON.stringify(item),
      });
      const data = await response.json().catch(() => ({}));
      const now = load();
      if (response.ok) {
        line.dataset.version = data.version;
        // A newer number typed while this one was on its way still has to go.
        if (now[id] && now[id].counted === item.counted && now[id].issued === item.issued) {
          delete now[id];
        } else if (now[id]) {
          now[id].version = data.version;
        }
        store(now);
        setState(line, `Записано: ${data.updated_by}, ${data.updated_at}`, "saved");
      } else if (
        response.status === 409 &&
        data.counted === item.counted &&
        (!("issued" in item) || data.issued === item.issued)
      ) {
        // Saved before, only the answer was lost: the server holds this very number.
        delete now[id];
        store(now);
        line.dataset.version = data.version;
        setState(line, `Записано: ${data.updated_by}, ${data.updated_at}`, "saved");
      } else if (response.status === 409) {
        delete now[id];
        store(now);
        line.dataset.version = data.version;
        line.dataset.mine = JSON.stringify(item);
        line.querySelector("[data-count-input]").value = data.counted ?? "";
        const issued = line.querySelector("[data-count-issued]");
        if (issued) {
          issued.value = data.issued ?? "";
        }
        line.querySelector("[data-count-conflict-text]").textContent =
          `${data.error} Ваше число: ${item.counted ?? "—"}.`;
        line.querySelector("[data-count-conflict]").hidden = false;
        setState(line, "", "");
      } else if (response.status === 422 || response.status === 400) {
        delete now[id];
        store(now);
        setState(line, data.error || "Число не принято.", "pending");
      } else {
        setState(line, "Не сохранено — повторим.", "pending");
      }
    } catch (error) {
      setState(line, "Нет связи — число сохранено в телефоне и отправится позже.", "pending");
    } finally {
      sending.delete(id);
      showNet();
    }
  };

  const queue = (line) => {
    const id = line.dataset.countLine;
    const input = line.querySelector("[data-count-input]");
    const value = input.value.trim();
    const item = {
      counted: value === "" ? null : Number.parseInt(value, 10),
      version: Number.parseInt(line.dataset.version, 10),
    };
    const issued = line.querySelector("[data-count-issued]");
    if (issued) {
      item.issued = issued.value.trim() === "" ? null : Number.parseInt(issued.value, 10);
    }
    const pending = load();
    pending[id] = item;
    store(pending);
    line.querySelector("[data-count-conflict]").hidden = true;
    setState(line, "Сохраняем…", "pending");
    clearTimeout(timers.get(id));
    timers.set(id, setTimeout(() => send(id), 500));
  };

  const resendAll = () => {
    for (const id of Object.keys(load())) {
      send(id);
    }
  };

  screen.addEventListener("click", (event) => {
    const step = event.target.closest("[data-count-step]");
    const keep = event.target.closest("[data-count-keep]");
    if (step) {
      const line = step.closest("[data-count-line]");
      const input = line.querySelector("[data-count-input]");
      const current = Number.parseInt(input.value || "0", 10) || 0;
      input.value = Math.max(0, current + Number.parseInt(step.dataset.countStep, 10));
      queue(line);
    } else if (keep) {
      const line = keep.closest("[data-count-line]");
      const mine = JSON.parse(line.dataset.mine || "{}");
      line.querySelector("[data-count-input]").value = mine.counted ?? "";
      const issued = line.querySelector("[data-count-issued]");
      if (issued && "issued" in mine) {
        issued.value = mine.issued ?? "";
      }
      queue(line);
    }
  });
  screen.addEventListener("input", (event) => {
    if (event.target.matches("[data-count-input], [data-count-issued]")) {
      queue(event.target.closest("[data-count-line]"));
    } else if (event.target.matches("[data-count-search]")) {
      const words = event.target.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const line of screen.querySelectorAll("[data-count-line]")) {
        const hit = words.every((w) => line.dataset.search.includes(w));
        line.hidden = !hit;
        shown += hit ? 1 : 0;
      }
      screen.querySelector("[data-count-none]").hidden = shown > 0;
    }
  });

  // After a reload: put the unsent numbers back on the screen, then send them.
  for (const [id, item] of Object.entries(load())) {
    const line = lineOf(id);
    if (!line) {
      continue;
    }
    line.querySelector("[data-count-input]").value = item.counted ?? "";
    const issued = line.querySelector("[data-count-issued]");
    if (issued && "issued" in item) {
      issued.value = item.issued ?? "";
    }
    setState(line, "Не отправлено — отправляем…", "pending");
  }
  showNet();
  resendAll();
  window.addEventListener("online", resendAll);
  setInterval(resendAll, 15000);
})();
