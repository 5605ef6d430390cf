from flask import Blueprint, render_template

from app.security import public

bp = Blueprint("respond", __name__, url_prefix="/antwoorden")


@bp.get("/")
@public
def index():
    return render_template("respond/index.html")
