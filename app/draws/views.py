from flask import Blueprint, render_template

from app.security import roles_required

bp = Blueprint("draws", __name__, url_prefix="/trekkingen")


@bp.get("/")
@roles_required("researcher")
def index():
    return render_template("draws/index.html")
