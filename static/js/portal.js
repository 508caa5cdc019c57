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
        // A group of options: bring its question (legend) into view with the first option.
        var fieldset = field.closest("fieldset");
        var legend = fieldset && (field.type === "radio" || field.type === "checkbox") ? fieldset.querySelector("legend") : null;
        var label = legend || document.querySelector("label[for='" + id + "']");
        (label || field).scrollIntoView({ block: "start" });
        field.focus({ preventScroll: true });
      });
    });
  }

  // A refused request (no form error): move focus to the reasons, so that they are read first.
  function focusRefusals() {
    if (document.getElementById("error-summary")) { return; }
    var refusals = document.getElementById("refusals");
    if (!refusals) { return; }
    refusals.focus();
    refusals.scrollIntoView({ block: "start" });
  }

  // Back from switching elder mode: focus stays on the toggle.
  function focusElderToggle() {
    if (window.location.hash !== "#elder-toggle") { return; }
    var toggle = document.getElementById("elder-toggle");
    if (toggle) { toggle.focus(); }
  }

  function ready() {
    wireErrorLinks();
    focusErrorSummary();
    focusRefusals();
    focusElderToggle();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
