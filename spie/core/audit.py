"""Write audit events. Services call `record_event` inside their own transaction."""

from django.apps import apps

from .models import AuditEvent


def record_event(*, action, target=None, by=None, data=None, territory=None, subject=None):
    """Record `action` (`app.object.verb`) on `target`, done by `by`.

    `by` is an `Actor` (user + current membership, or an API token). `subject` is the person
    whose file the event belongs to (it then shows in that file's timeline). `data` must hold no
    personal data beyond identifiers: it is shown in audit pages and exports. An actor that is the
    accompanied person themself (`acts_as_person`, in their own space) is written as `data["by"] = "person"`.
    """
    if getattr(by, "acts_as_person", False):
        data = {**(data or {}), "by": "person"}
    return AuditEvent.objects.create(
        actor=getattr(by, "user", None),
        membership=getattr(by, "membership", None),
        api_token=getattr(by, "api_token", None),
        territory=territory,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=getattr(target, "public_id", None),
        subject_id=getattr(subject, "public_id", None),
        data=data or {},
    )


def action_label(action):
    """The French label of an action, declared by its app (`AppConfig.audit_labels`)."""
    app_label = action.split(".", 1)[0]
    try:
        labels = getattr(apps.get_app_config(app_label), "audit_labels", {})
    except LookupError:
        labels = {}
    return labels.get(action, action)
