from flask import Blueprint, render_template

from app.security import roles_required

bp = Blueprint("entry", __name__, url_prefix="/invoer")


@bp.get("/")
@roles_required("data_entry", "researcher")
def index():
    return render_template("entry/index.html")
