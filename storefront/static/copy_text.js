// Copy buttons: data-copy names the field whose text goes to the clipboard; data-copied is
// the button's label for a moment after. Without clipboard access the text is selected.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var label = button.textContent;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.copy);
      if (!field) { return; }
      field.select();
      var done = function () {
        button.textContent = button.dataset.copied;
        window.setTimeout(function () { button.textContent = label; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {});
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  });
})();
