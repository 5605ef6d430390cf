"""Paper data entry: the blueprint; ``views`` and ``views_review`` add its routes."""

from flask import Blueprint

bp = Blueprint("entry", __name__, url_prefix="/invoer")
