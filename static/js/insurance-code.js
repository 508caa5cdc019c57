/* Live insurance code: fetch a fresh code before the shown one expires, without reloading the page.
   Without this file the page still works: it shows a code and a "Get a new code" link. */
(function () {
  "use strict";

  function start(box) {
    var url = box.getAttribute("data-code-refresh-url");
    var seconds = parseInt(box.getAttribute("data-refresh-seconds"), 10) || 50;
    var timer = null;

    function refresh() {
      // A hidden tab asks for nothing; it refreshes as soon as it is shown again.
      if (document.visibilityState === "hidden") { return; }
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" }, cache: "no-store" })
        .then(function (response) {
          // Removed from the family account, or logged out: reload to show the real state.
          if (response.redirected || response.status === 403 || response.status === 404) {
            window.location.reload();
            return null;
          }
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html === null) { return; }
          box.innerHTML = html;
          box.setAttribute("data-refreshed", String(Date.now()));
        })
        .catch(function () { /* Offline for a moment: try again at the next tick. */ });
    }

    function schedule() {
      if (timer) { window.clearInterval(timer); }
      timer = window.setInterval(refresh, seconds * 1000);
    }

    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { refresh(); schedule(); }
    });
    schedule();
  }

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-code-refresh-url]"), start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
