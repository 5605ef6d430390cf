from flask import Blueprint, render_template

from app.security import roles_required

bp = Blueprint("register", __name__, url_prefix="/register")


@bp.get("/")
@roles_required("researcher")
def index():
    return render_template("register/index.html")
