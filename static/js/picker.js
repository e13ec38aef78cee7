// Searchable pickers (progressive enhancement; the plain controls work without JavaScript).
//
// - A <select data-picker>, or any single <select> with more than LONG options, gets a search box
//   above it: typing hides the options (and groups) that do not match every typed word, opens the
//   list while searching, and Enter picks the first match.
// - A checkbox list with class "picker-list" (Django's CheckboxSelectMultiple, grouped) gets the
//   same search box, and each group a "select all shown" button: participants are chosen by unit or
//   by search, never by Ctrl-click.
(function () {
  "use strict";

  var LONG = 20;
  var english = (document.documentElement.lang || "").indexOf("en") === 0;
  var TEXT = english
    ? { search: "Search", type: "Type to search the list below", matches: " found", all: "Select all shown" }
    : { search: "Cari", type: "Ketik untuk mencari di daftar di bawah", matches: " cocok", all: "Pilih semua yang tampil" };
  var counter = 0;

  function fold(text) {
    return String(text || "").toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function words(input) {
    return fold(input.value).split(/\s+/).filter(Boolean);
  }

  function matches(text, typed) {
    var folded = fold(text);
    return typed.every(function (word) { return folded.indexOf(word) >= 0; });
  }

  function labelOf(control) {
    if (control.labels && control.labels.length) { return control.labels[0].textContent.trim(); }
    var legend = control.closest("fieldset") && control.closest("fieldset").querySelector("legend");
    var label = control.id && document.querySelector("label[for='" + control.id + "']");
    return ((label || legend) ? (label || legend).textContent : "").trim();
  }

  function searchBox(control, label) {
    counter += 1;
    var box = document.createElement("div");
    box.className = "picker-search";
    var input = document.createElement("input");
    input.type = "search";
    input.id = "picker-search-" + counter;
    input.autocomplete = "off";
    // Not named after the control's label, so that the label still names one control only.
    input.setAttribute("aria-label", TEXT.type);
    if (label) { input.title = label; }
    input.placeholder = TEXT.search + "…";
    if (control.id) { input.setAttribute("aria-controls", control.id); }
    var status = document.createElement("span");
    status.className = "picker-status muted";
    status.setAttribute("aria-live", "polite");
    box.appendChild(input);
    box.appendChild(status);
    control.parentNode.insertBefore(box, control);
    return { input: input, status: status };
  }

  function enhanceSelect(select) {
    var box = searchBox(select, labelOf(select));
    var dropdown = !select.multiple && select.size <= 1;
    function filter() {
      var typed = words(box.input);
      var shown = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
        var show = !typed.length || (option.value !== "" && matches(option.textContent + " " + group, typed));
        option.hidden = !show;
        if (show && option.value !== "") { shown += 1; }
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (dropdown) { select.size = typed.length ? Math.max(2, Math.min(8, shown)) : 0; }
      box.status.textContent = typed.length ? shown + TEXT.matches : "";
      return shown;
    }
    function first() {
      return Array.prototype.find.call(select.options, function (option) { return !option.hidden && option.value !== ""; });
    }
    box.input.addEventListener("input", filter);
    box.input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();
      var option = first();
      if (option) {
        select.value = option.value;
        box.input.value = "";
        filter();
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    select.addEventListener("change", function () {
      if (dropdown && box.input.value) { box.input.value = ""; filter(); }
    });
  }

  function enhanceList(list) {
    var box = searchBox(list, labelOf(list));
    var items = Array.prototype.filter.call(list.querySelectorAll("label"), function (label) {
      return label.querySelector("input[type=checkbox]");
    });
    // Django renders a group as <div><label>Group</label><div>…options…</div></div>.
    var groups = Array.prototype.filter.call(list.children, function (child) {
      var head = child.firstElementChild;
      return head && head.tagName === "LABEL" && !head.querySelector("input");
    });
    groups.forEach(function (group) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button small link picker-all";
      button.textContent = TEXT.all;
      button.setAttribute("aria-label", TEXT.all + ": " + group.firstElementChild.textContent.trim());
      button.addEventListener("click", function () {
        group.querySelectorAll("input[type=checkbox]").forEach(function (box) {
          if (!box.closest("[hidden]")) { box.checked = true; }
        });
      });
      group.firstElementChild.after(button);
    });
    function wrapper(label) { return label.parentNode === list ? label : label.parentNode; }
    box.input.addEventListener("input", function () {
      var typed = words(box.input);
      var shown = 0;
      items.forEach(function (label) {
        var group = groups.find(function (g) { return g.contains(label); });
        var text = label.textContent + " " + (group ? group.firstElementChild.textContent : "");
        var show = !typed.length || matches(text, typed);
        wrapper(label).hidden = !show;
        if (show) { shown += 1; }
      });
      // A group shows while one of its own options shows (its own hidden flag does not count).
      groups.forEach(function (group) {
        group.hidden = !items.some(function (label) { return group.contains(label) && !wrapper(label).hidden; });
      });
      box.status.textContent = typed.length ? shown + TEXT.matches : "";
    });
    box.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  }

  function enhance(root) {
    (root || document).querySelectorAll("select").forEach(function (select) {
      if (select.dataset.pickerReady) { return; }
      if (select.hasAttribute("data-picker") || (!select.multiple && select.options.length > LONG)) {
        select.dataset.pickerReady = "1";
        enhanceSelect(select);
      }
    });
    (root || document).querySelectorAll(".picker-list").forEach(function (list) {
      if (list.dataset.pickerReady || list.tagName === "INPUT") { return; }
      list.dataset.pickerReady = "1";
      enhanceList(list);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
