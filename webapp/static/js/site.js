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

  // "Select all" ticks every row of its form (without this file the server reads it
  // as the whole page); a row ticked by hand updates it.
  var selectAll = document.querySelectorAll("[data-select-all]");
  for (var k = 0; k < selectAll.length; k++) {
    (function (box) {
      var rows = box.form.querySelectorAll("input[type=checkbox][name=row]");
      box.addEventListener("change", function () {
        for (var i = 0; i < rows.length; i++) { rows[i].checked = box.checked; }
      });
      box.form.addEventListener("change", function (event) {
        if (event.target.name !== "row") { return; }
        var ticked = 0;
        for (var i = 0; i < rows.length; i++) { if (rows[i].checked) { ticked++; } }
        box.checked = ticked === rows.length;
        box.indeterminate = ticked > 0 && ticked < rows.length;
      });
    })(selectAll[k]);
  }
})();
