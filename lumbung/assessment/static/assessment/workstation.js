/* The verifier's workstation: keyboard shortcuts (documented on the page), and what htmx cannot
   say itself when a decision or a move to another row gets no desk back.
   s = sesuai, t = tidak sesuai (needs a reason), 1-9 = reason, c = note, n / p = next / previous row. */
(function () {
  "use strict";
  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "Escape" && typing(event.target)) { event.target.blur(); return; }
    if (typing(event.target)) { return; }
    var form = document.getElementById("desk-verdict");
    var key = event.key.toLowerCase();
    var reason = form ? form.querySelector("select[name=reason]") : null;
    if (form && /^[1-9]$/.test(key) && reason) {
      var option = reason.options[parseInt(key, 10)];
      if (option) { reason.value = option.value; reason.dispatchEvent(new Event("change")); }
      event.preventDefault();
      return;
    }
    if (form && key === "c") {
      var note = form.querySelector("textarea[name=note]");
      if (note) { note.focus(); event.preventDefault(); }
      return;
    }
    if (form && key === "t" && reason && !reason.value) {
      var hint = form.querySelector("[data-reason-hint]");
      if (hint) { hint.hidden = false; }
      reason.focus();
      event.preventDefault();
      return;
    }
    var target = document.querySelector("[data-key='" + key + "']");
    if (target) {
      event.preventDefault();
      target.click();
    }
  });

  // A decision sent by htmx that got no desk back (refused with 403/404, a server error, or no
  // connection on the way) swaps nothing: say so in the live region, the typed form stays as it is.
  function say(key) {
    var status = document.getElementById("desk-status");
    if (!status) { return; }
    var message = document.createElement("p");
    message.className = "message error";
    message.textContent = status.getAttribute(key);
    status.replaceChildren(message);
  }
  function deskLink(elt) {
    return elt instanceof Element && elt.matches("#desk a[hx-get]");
  }
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.elt && event.detail.elt.id === "desk-verdict") { say("data-failed"); }
  });
  document.addEventListener("htmx:sendError", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.id === "desk-verdict") { say("data-offline"); } else if (deskLink(elt)) { say("data-offline-link"); }
  });

  // Skip, previous and the side list's rows are links htmx follows. One answered by something
  // other than the desk (refused, gone, a server error, or the sign-in page after the session
  // ended) loads its address whole, as it would without JavaScript: that page says what happened.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var link = event.detail.requestConfig.elt;  // detail.elt is the target, #desk
    if (!deskLink(link)) { return; }
    var answered = event.detail.xhr.responseURL;
    if (!event.detail.isError && (!answered || new URL(answered).pathname === new URL(link.href).pathname)) { return; }
    event.detail.shouldSwap = false;
    window.location.assign(link.href);
  });

  // Ctrl-, Cmd- or Shift-click on those links opens the row in another tab or window, as on any
  // link: htmx, which listens on the link itself, never hears of that click.
  document.addEventListener("click", function (event) {
    if ((event.ctrlKey || event.metaKey || event.shiftKey) && deskLink(event.target.closest("a"))) {
      event.stopPropagation();
    }
  }, true);

  // Back or Forward to an address a decision pushed: the desk is never kept in the browser
  // (hx-history="false"), and htmx would fetch the page and swap its body in, running its scripts
  // a second time (every shortcut would then post twice). Load the address whole instead.
  document.addEventListener("htmx:historyCacheMiss", function (event) {
    event.preventDefault();
    window.location.reload();
  });
})();
