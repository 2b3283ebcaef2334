// The host side of the demo: log every store event the snippet hands over, and open the
// store's home or cart from the shell's tab bar (Kuajing.open posts to the store's origin).
(function () {
  "use strict";
  var log = document.getElementById("host-events");
  var TYPES = ["kuajing:cart.changed", "kuajing:order.placed", "kuajing:order.paid",
    "kuajing:resize"];
  TYPES.forEach(function (type) {
    document.addEventListener(type, function (event) {
      var item = document.createElement("li");
      item.className = "event";
      item.dataset.type = type;
      item.textContent = new Date().toLocaleTimeString() + "  " + type + "  " +
        JSON.stringify(event.detail);
      log.insertBefore(item, log.firstChild);
    });
  });
  document.querySelectorAll("button[data-open]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!window.Kuajing) { return; }
      if (button.dataset.open === "cart") {
        window.Kuajing.open({ view: "cart" });
      } else {
        window.Kuajing.open({ view: "home" });
      }
    });
  });
})();
