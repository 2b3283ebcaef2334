// Live tax preview on the tax template form: re-quote on every change of a rate.
(function () {
  "use strict";
  var form = document.getElementById("tax-template-form");
  var amount = document.getElementById("preview-amount");
  if (!form || !amount) { return; }
  var fields = ["tariff_rate", "consumption_rate", "vat_rate", "postal_rate"];
  var timer = null;

  function refresh() {
    var params = new URLSearchParams({ amount: amount.value || "0" });
    fields.forEach(function (name) { params.set(name, form.elements[name].value || "0"); });
    fetch(form.dataset.previewUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (preview) {
        if (!preview) { return; }
        Object.keys(preview).forEach(function (tag) {
          var row = document.querySelector('#tax-preview tr[data-tag="' + tag + '"]');
          if (!row) { return; }
          row.querySelectorAll("[data-field]").forEach(function (cell) {
            cell.textContent = preview[tag][cell.dataset.field];
          });
        });
      });
  }

  function schedule() { clearTimeout(timer); timer = setTimeout(refresh, 200); }
  fields.forEach(function (name) { form.elements[name].addEventListener("input", schedule); });
  amount.addEventListener("input", schedule);
})();
