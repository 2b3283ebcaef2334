"""Sandbox twins of the outside services: asynchronous answers and failures on demand."""
