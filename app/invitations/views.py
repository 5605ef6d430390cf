from flask import Blueprint, render_template

from app.security import roles_required

bp = Blueprint("invitations", __name__, url_prefix="/uitnodigingen")


@bp.get("/")
@roles_required("researcher")
def index():
    return render_template("invitations/index.html")
