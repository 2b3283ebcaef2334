"""The Jinja2 environment every printable document renders its HTML template with."""

from collections.abc import Callable

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def document_environment(
    filters: dict[str, Callable] | None = None, globals_: dict[str, object] | None = None
) -> Environment:
    """Build an environment over storefront/documents/templates with a document's filters.

    Each document caches its own environment (built on first use, not at import: documents
    render in jobs and scripts without an app); filters of the same name differ per document.
    """
    environment = Environment(
        loader=PackageLoader("storefront.documents", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a misspelt field fails the render instead of printing ""
    )
    environment.filters.update(filters or {})
    environment.globals.update(globals_ or {})
    return environment
