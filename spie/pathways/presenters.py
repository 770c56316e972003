"""The plan as rows to show: labels read from the referential version each item points at
(codes are stored, never copied labels), in three queries whatever the plan's size."""

from dataclasses import dataclass, field

from spie.referentials.models import Action, Objective


@dataclass
class ObjectiveRow:
    item: object
    label: str
    theme: str
    actions: list = field(default_factory=list)


@dataclass
class ActionRow:
    item: object
    label: str


def plan_rows(contract):
    objectives = list(contract.objectives.all())
    actions = list(contract.actions.select_related("offer").order_by("position", "id"))
    objective_labels = {
        (o.version_id, o.code): (o.label, o.theme.label)
        for o in Objective.objects.filter(
            version_id__in={o.referential_version_id for o in objectives},
            code__in=[o.objective_code for o in objectives],
        ).select_related("theme")
    }
    action_labels = {
        (a.version_id, a.code): a.label
        for a in Action.objects.filter(
            version_id__in={a.referential_version_id for a in actions if a.referential_version_id},
            code__in=[a.action_code for a in actions if a.action_code],
        )
    }
    rows = {}
    for objective in objectives:
        label, theme = objective_labels.get(
            (objective.referential_version_id, objective.objective_code), (objective.objective_code, "")
        )
        rows[objective.pk] = ObjectiveRow(objective, label, theme)
    for action in actions:
        if action.action_code:
            label = action_labels.get((action.referential_version_id, action.action_code), action.action_code)
        else:
            label = f"Service : {getattr(action.offer, 'name', '')}".strip()
        if action.objective_id in rows:
            rows[action.objective_id].actions.append(ActionRow(action, label))
    return list(rows.values())
