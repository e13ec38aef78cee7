// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-menu-toggle]");
    if (toggle) {
      var nav = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("open", !open);
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // Bar charts: widths come as data-bar-width (percent), because the Content-Security-Policy
  // refuses style="" attributes written in the page; setting them from here is allowed.
  function sizeBars(root) {
    (root || document).querySelectorAll("[data-bar-width]").forEach(function (bar) {
      var percent = parseFloat(String(bar.getAttribute("data-bar-width")).replace(",", "."));
      bar.style.width = (isFinite(percent) ? Math.max(0, Math.min(100, percent)) : 0) + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { sizeBars(); });
  document.addEventListener("htmx:afterSwap", function (event) { sizeBars(event.target); });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) {
      event.target.form.submit();
    }
  });

  // Forms that need a second thought (reject, lock, delete) carry data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Live word counters: <textarea data-word-count="target-id"> and a group total
  // via data-word-group="name" with <output data-word-total="name" data-word-min="300">.
  function countWords(text) {
    var matches = (text || "").match(/[\p{L}\p{N}'’-]+/gu);
    return matches ? matches.length : 0;
  }
  function refreshCounts() {
    document.querySelectorAll("[data-word-count]").forEach(function (field) {
      var out = document.getElementById(field.getAttribute("data-word-count"));
      if (out) { out.textContent = countWords(field.value); }
    });
    document.querySelectorAll("[data-word-total]").forEach(function (out) {
      var group = out.getAttribute("data-word-total");
      var total = 0;
      document.querySelectorAll('[data-word-group="' + group + '"]').forEach(function (field) {
        total += countWords(field.value);
      });
      out.textContent = total;
      var min = parseInt(out.getAttribute("data-word-min") || "0", 10);
      out.closest("[data-word-status]") && out.closest("[data-word-status]").classList.toggle("short", total < min);
    });
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-word-count], [data-word-group]")) { refreshCounts(); }
  });
  document.addEventListener("DOMContentLoaded", refreshCounts);
  document.addEventListener("htmx:afterSwap", refreshCounts);

  // Long filter forms (<details open data-fold-narrow>) start folded on a phone unless a filter
  // is in use, so the list is on the first screen. Without JavaScript they simply stay open.
  function inUse(control) {
    if (control.type === "hidden" || control.type === "submit") { return false; }
    if (control.type === "checkbox" || control.type === "radio") { return control.checked; }
    return control.tagName === "SELECT" ? control.selectedIndex > 0 : control.value !== "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.matchMedia("(max-width: 760px)").matches) { return; }
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (box) {
      var controls = Array.prototype.slice.call(box.querySelectorAll("input, select"));
      if (!controls.some(inUse)) { box.open = false; }
    });
  });
})();
