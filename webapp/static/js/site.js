// Optional enhancements: every page works without this file.
(function () {
  "use strict";
  // Move focus to an error summary so that screen readers announce it.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }

  // A second click on a submit button while the form is sending does nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sending === "1") { event.preventDefault(); return; }
    form.dataset.sending = "1";
    var buttons = form.querySelectorAll("[data-once]");
    for (var i = 0; i < buttons.length; i++) { buttons[i].setAttribute("aria-disabled", "true"); }
  });

  // A print button for pages that offer one.
  var printers = document.querySelectorAll("[data-print]");
  for (var j = 0; j < printers.length; j++) {
    printers[j].hidden = false;
    printers[j].addEventListener("click", function () { window.print(); });
  }
})();
