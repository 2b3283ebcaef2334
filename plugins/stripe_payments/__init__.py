"""Stripe payments (PaymentIntents: card, WeChat Pay, Alipay) through the official library."""

from plugins.stripe_payments.provider import StripePayments

__all__ = ["StripePayments"]
