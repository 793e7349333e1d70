// BiblioMO: behaviour that the pages declare with data- attributes (no inline scripts).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// Send Django's CSRF token with every htmx request.
document.addEventListener("htmx:configRequest", (event) => {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  if (cookie) {
    event.detail.headers["X-CSRFToken"] = cookie.split("=")[1];
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
