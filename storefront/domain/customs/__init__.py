"""Customs declaration (SPEC §6): the messages, their consistency rules and receipts."""
