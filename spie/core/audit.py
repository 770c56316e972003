"""Write audit events. Services call `record_event` inside their own transaction."""

from .models import AuditEvent


def record_event(*, action, target=None, by=None, data=None, territory=None):
    """Record `action` (`app.object.verb`) on `target`, done by `by`.

    `by` is an `Actor` (user + current membership, or an API token). `data` must hold no
    personal data beyond identifiers: it is shown in audit pages and exports.
    """
    return AuditEvent.objects.create(
        actor=getattr(by, "user", None),
        membership=getattr(by, "membership", None),
        api_token=getattr(by, "api_token", None),
        territory=territory,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=getattr(target, "public_id", None),
        data=data or {},
    )
