"""One helper to record who did what to which object, and when."""

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent, User


def record(
    action: str,
    obj: Any = None,
    *,
    actor: User | None = None,
    details: dict | None = None,
    object_type: str | None = None,
    object_id: Any = None,
) -> AuditEvent:
    """Add an audit event to the session (the caller commits with its own work).

    Never put names, addresses or national numbers in ``details``: ids only.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_label=actor.email if actor else "systeem",
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details=details or {},
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
