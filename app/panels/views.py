from flask import Blueprint, render_template

from app.security import roles_required

bp = Blueprint("panels", __name__, url_prefix="/panels")


@bp.get("/")
@roles_required("researcher")
def index():
    return render_template("panels/index.html")
