"""The juries' blueprint; ``views`` (staff pages, public lottery page) and
``candidacy_views`` (public candidacy) add its routes."""

from flask import Blueprint

bp = Blueprint("juries", __name__)
