// Card payment: the card goes into Stripe's element and is confirmed by Stripe.js with the
// PaymentIntent's client secret (3-D Secure included), so it never reaches the shop.
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form || typeof Stripe === "undefined") { return; }
  var data = form.dataset;
  var stripe = Stripe(data.publishableKey);
  var card = stripe.elements().create("card");
  var errors = document.getElementById("card-errors");
  var button = document.getElementById("card-pay");
  card.mount("#card-element");

  function show(message) {
    errors.textContent = message;
    errors.hidden = false;
    button.disabled = false;
  }

  function messageFor(error) {
    var code = (error && error.code) || "";
    if (code.indexOf("incomplete") === 0 || code.indexOf("invalid") === 0) { return data.messageIncomplete; }
    if (code === "card_declined") { return data.messageDeclined; }
    if (code === "payment_intent_authentication_failure") { return data.messageAuthentication; }
    return data.messageFailed;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errors.hidden = true;
    button.disabled = true;
    stripe.confirmCardPayment(data.clientSecret, { payment_method: { card: card } })
      .then(function (result) {
        if (result.error) { show(messageFor(result.error)); return; }
        window.location.assign(data.doneUrl);
      })
      .catch(function () { show(data.messageFailed); });
  });
})();
