"""Invitations: the blueprint; ``views`` and ``lookup_views``, ``panel_views`` add its routes."""

from flask import Blueprint

bp = Blueprint("invitations", __name__, url_prefix="/uitnodigingen")
