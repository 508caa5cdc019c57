/* 共济通: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // A page with errors: move focus to the error summary so screen-reader and keyboard users start there.
  function focusErrorSummary() {
    var summary = document.getElementById("error-summary");
    if (!summary) { return; }
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }

  // Links in the error summary: focus the field and keep its label in view (not only jump to the input).
  function wireErrorLinks() {
    var links = document.querySelectorAll(".error-summary a[href^='#']");
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("click", function (event) {
        var id = link.getAttribute("href").slice(1);
        var field = document.getElementById(id);
        if (!field) { return; }
        event.preventDefault();
        var label = document.querySelector("label[for='" + id + "']");
        (label || field).scrollIntoView({ block: "start" });
        field.focus({ preventScroll: true });
      });
    });
  }

  function ready() {
    wireErrorLinks();
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
