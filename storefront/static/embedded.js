// The store in embed mode (SPEC §10): loaded only when the server verified the host origin
// against the store's allowed list. Everything goes to that one origin (never "*"), and only
// messages from that origin, sent by the parent window, are obeyed.
(function () {
  "use strict";
  var script = document.getElementById("kuajing-embedded");
  if (!script || window.parent === window) { return; }
  var data = script.dataset;
  var host = data.host;
  var POLL_MS = 2000;
  var POLL_LIMIT = 300; // ten minutes of waiting for a payment, then the shopper reloads

  function post(type, detail) {
    window.parent.postMessage({ type: type, detail: detail || {} }, host);
  }

  function announce(events) {
    (events || []).forEach(function (event) { post(event.type, event.detail); });
  }

  var lastHeight = 0;
  function resize() {
    // the body's own height: the document's is never less than the frame, so it never shrinks
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height !== lastHeight) {
      lastHeight = height;
      post("kuajing:resize", { height: height });
    }
  }

  function poll(remaining) {
    if (remaining <= 0) { return; }
    window.setTimeout(function () {
      fetch(data.eventsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (!answer) { return poll(remaining - 1); }
          announce(answer.events);
          if (answer.poll) { poll(remaining - 1); }
        })
        .catch(function () { poll(remaining - 1); });
    }, POLL_MS);
  }

  function open(message) {
    if (message.view === "cart") {
      window.location.assign(data.cartUrl);
    } else if (message.view === "home") {
      window.location.assign(data.homeUrl);
    } else if (/^[1-9][0-9]{0,9}$/.test(String(message.product))) {
      window.location.assign(data.productUrl.replace(/\/0$/, "/" + message.product));
    }
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== host || event.source !== window.parent) { return; }
    var message = event.data;
    if (message && message.type === "kuajing:open") { open(message); }
  });

  // The frame grows with the content, so bars fixed to its bottom would sit at the end of
  // the content: in the frame they stay in the flow (app.css, .kuajing-embedded).
  document.documentElement.classList.add("kuajing-embedded");
  announce(JSON.parse(data.events || "[]"));
  resize();
  if (window.ResizeObserver) {
    new ResizeObserver(resize).observe(document.body);
  } else {
    window.addEventListener("resize", resize);
  }
  if (data.poll) { poll(POLL_LIMIT); }
})();
