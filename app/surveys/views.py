from flask import Blueprint, render_template

from app.security import roles_required

bp = Blueprint("surveys", __name__, url_prefix="/bevragingen")


@bp.get("/")
@roles_required("researcher")
def index():
    return render_template("surveys/index.html")
