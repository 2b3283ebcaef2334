"""Customs adapters: the XML-DSig signer and the transports (folder, sandbox customs)."""
