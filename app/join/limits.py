"""Rate limits on invitation codes and links, shared by the join pages and jury candidacy.

Per address and overall buckets (staff have their own), and per typed code, so guessing codes
is slow from one address, from many addresses and for one code alike.
"""

from flask import current_app, request

from app.extensions import limiter
from app.invitations import keys
from app.invitations.codes import normalise_code


def _code_key() -> str:
    code = normalise_code(request.form.get("code", ""))
    if code is None:
        return f"ip:{request.remote_addr}"
    return "code:" + keys.code_hash(code)[:16]


def _limits(methods: list[str] | None = None) -> tuple:
    """Per address and overall buckets shared by code entry and links (staff have their own)."""
    per_address = limiter.shared_limit(lambda: current_app.config["CODE_RATE_LIMIT"],
                                       scope="join-code", methods=methods)
    everyone = limiter.shared_limit(lambda: current_app.config["CODE_GLOBAL_RATE_LIMIT"],
                                    scope="join-code-global", key_func=lambda: "all",
                                    methods=methods)
    return per_address, everyone


per_ip, overall = _limits()
per_ip_posts, overall_posts = _limits(["POST"])
per_code = limiter.limit(lambda: current_app.config["CODE_PER_CODE_RATE_LIMIT"],
                         key_func=_code_key, methods=["POST"])
