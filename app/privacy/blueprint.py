"""Privacy: the blueprint; ``views`` and ``views_requests`` add its routes."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
