"""The reference for HTTP figures: a bare Flask JSON endpoint, no database, no extensions.

Served by the same gunicorn settings as the product (benchmarks._setup.gunicorn).
"""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def bare():
    """Answer a small JSON object, the shape of a cart quote's envelope."""
    return jsonify({"orders": [], "total": "0.00", "can_check_out": False})
