// The merchant's snippet (SPEC §10):
//   <script src="https://<store site>/embed.js" data-store="<store>" async></script>
// frames the mobile store right after the tag, sizes the frame to the store's content, and
// passes the store's events to the page: a DOM CustomEvent (bubbling from the frame, e.g.
// document.addEventListener("kuajing:order.paid", ...)) and, with data-on-event="name", a
// call of window[name]({type, detail}). The page opens a product, the cart or the store's
// home with Kuajing.open({product: 12}), Kuajing.open({view: "cart"}) or {view: "home"}.
// Only messages from the store's own origin and frame are read; messages to it name it.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.store) { return; }
  var storeOrigin = new URL(script.src).origin;
  var store = encodeURIComponent(script.dataset.store);
  var start = "/s/" + store + "/";
  if (/^[1-9][0-9]{0,9}$/.test(script.dataset.product || "")) {
    start += "products/" + script.dataset.product;
  }
  var frame = document.createElement("iframe");
  frame.src = storeOrigin + start + "?embed=1&host=" + encodeURIComponent(window.location.origin);
  frame.title = script.dataset.title || "Store";
  frame.className = "kuajing-store";
  frame.setAttribute("allow", "payment");
  frame.style.cssText = "display:block;width:100%;height:600px;border:0;";
  script.parentNode.insertBefore(frame, script.nextSibling);

  window.addEventListener("message", function (event) {
    if (event.origin !== storeOrigin || event.source !== frame.contentWindow) { return; }
    var message = event.data;
    if (!message || typeof message.type !== "string" || message.type.indexOf("kuajing:") !== 0) {
      return;
    }
    if (message.type === "kuajing:resize" && message.detail && message.detail.height > 0) {
      frame.style.height = Math.ceil(message.detail.height) + "px";
    }
    var detail = message.detail || {};
    frame.dispatchEvent(new CustomEvent(message.type, { detail: detail, bubbles: true }));
    var callback = window[script.dataset.onEvent || ""];
    if (typeof callback === "function") { callback({ type: message.type, detail: detail }); }
  });

  var frames = (window.Kuajing && window.Kuajing.frames) || [];
  frames.push({ frame: frame, origin: storeOrigin });
  window.Kuajing = {
    frames: frames,
    open: function (what) {
      var message = { type: "kuajing:open" };
      if (what && (what.view === "cart" || what.view === "home")) { message.view = what.view; }
      if (what && what.product) { message.product = what.product; }
      frames.forEach(function (embedded) {
        embedded.frame.contentWindow.postMessage(message, embedded.origin);
      });
    }
  };
})();
