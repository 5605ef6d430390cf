from flask import Blueprint, render_template

from app.security import roles_required

bp = Blueprint("results", __name__, url_prefix="/resultaten")


@bp.get("/")
@roles_required("researcher", "councillor")
def index():
    return render_template("results/index.html")
