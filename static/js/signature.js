/* 共济通: the drawn-signature option of the signing page.
 * Without JavaScript the page offers the typed name only (the drawn section stays hidden).
 * The drawing goes into the hidden "signature" input as a PNG data URL when the form is submitted. */
(function () {
  "use strict";

  function setup() {
    var form = document.getElementById("sign-form");
    var canvas = document.getElementById("signature-pad");
    var hidden = document.getElementById("id_signature");
    if (!form || !canvas || !hidden || typeof window.SignaturePad === "undefined") { return; }
    var drawn = document.getElementById("drawn-section");
    var typed = document.getElementById("typed-section");
    var radios = form.querySelectorAll("input[name='method']");
    var pad = new window.SignaturePad(canvas, { minWidth: 1, maxWidth: 3, penColor: "#000" });

    // A drawing kept from a previous attempt (e.g. after going back from the check page) comes back as an image,
    // not as strokes: keep its data URL, redraw it on every resize, and submit it unless it is cleared.
    var kept = hidden.value && hidden.value.indexOf("data:image/png") === 0 ? hidden.value : "";

    // Crisp lines on high-DPI screens: size the bitmap in device pixels and scale the context back.
    function resize() {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var strokes = pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      if (kept) {
        pad.fromDataURL(kept, { ratio: ratio, width: canvas.offsetWidth, height: canvas.offsetHeight })
          .then(function () { if (strokes.length) { pad.fromData(strokes, { clear: false }); } });
      } else if (strokes.length) {
        pad.fromData(strokes);
      }
    }

    function selected() {
      // The hall's tablet view has one way only: a hidden input says "drawn".
      var checked = form.querySelector("input[name='method']:checked, input[name='method'][type='hidden']");
      return checked ? checked.value : "typed";
    }

    function show() {
      var isDrawn = selected() === "drawn";
      drawn.hidden = !isDrawn;
      if (typed) { typed.hidden = isDrawn; }
      if (isDrawn) { resize(); }
    }

    Array.prototype.forEach.call(radios, function (radio) { radio.addEventListener("change", show); });
    document.getElementById("signature-clear").addEventListener("click", function () {
      pad.clear();
      kept = "";
      hidden.value = "";
    });
    window.addEventListener("resize", function () { if (!drawn.hidden) { resize(); } });
    form.addEventListener("submit", function () {
      if (selected() !== "drawn") { return; }
      if (!pad.toData().length) { hidden.value = kept; } else { hidden.value = pad.toDataURL("image/png"); }
    });
    show();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
