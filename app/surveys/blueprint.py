"""The survey builder's blueprint; the ``views*`` modules add its routes."""

from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/bevragingen")
