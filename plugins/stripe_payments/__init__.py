"""Stripe payments (PaymentIntents: card, WeChat Pay, Alipay) through the official library."""

from plugins.stripe_payments.provider import LocalStripePayments, StripePayments

__all__ = ["LocalStripePayments", "StripePayments"]
