"""The OpenAPI document and its reference page, rendered here from the document (offline)."""

from flask import jsonify, render_template

from storefront.api import bp
from storefront.api.operation import spec

METHODS = ("get", "post", "put", "patch", "delete")


@bp.route("/openapi.json")
def openapi_document():
    return jsonify(spec.spec)


@bp.route("/docs")
def reference():
    document = spec.spec
    operations = [
        {"method": method.upper(), "path": path, **details}
        for path, item in document["paths"].items()
        for method, details in item.items()
        if method in METHODS
    ]
    return render_template(
        "api/docs.html",
        document=document,
        operations=operations,
        schemas=document["components"]["schemas"],
        schemes=document["components"].get("securitySchemes", {}),
    )
