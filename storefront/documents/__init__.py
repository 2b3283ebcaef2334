"""Printable documents rendered to PDF with WeasyPrint: declaration sheets and invoices."""
