// Appended to localstripe's Stripe.js stand-in: its confirmCardPayment only answers a
// 3-D Secure challenge, so the card typed into its element is confirmed here first, the
// way Stripe.js confirms a PaymentIntent with a card element.
(function () {
  const base = LOCALSTRIPE_BASE_API;
  const original = Stripe;
  Stripe = (apiKey) => {
    const stripe = original(apiKey);
    const authenticate = stripe.confirmCardPayment;
    stripe.confirmCardPayment = async (clientSecret, data) => {
      const element = data && data.payment_method && data.payment_method.card;
      const card = element && element.value ? element.value.card : null;
      const intent = clientSecret.match(/^(pi_\w+)_secret_/)[1];
      const response = await fetch(`${base}/_local/payment_intents/${intent}/confirm_card`, {
        method: 'POST',
        body: JSON.stringify({key: apiKey, client_secret: clientSecret, card: card}),
      });
      const body = await response.json().catch(() => ({}));
      if (response.status !== 200 || body.error) {
        return {error: body.error || {}};
      }
      if (body.status !== 'requires_action') {
        return {paymentIntent: body};
      }
      const result = await authenticate(clientSecret);
      if (result.paymentIntent && result.paymentIntent.status === 'requires_payment_method') {
        return {error: {code: 'payment_intent_authentication_failure',
                        type: 'card_error', payment_intent: result.paymentIntent}};
      }
      return result;
    };
    return stripe;
  };
})();
