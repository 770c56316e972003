"""Due dates of a pathway, computed from its facts and the territory's delays (one pure function,
used by the services, the settings page and the demo seeders alike)."""

import calendar
import datetime

from .enums import ACCOMPANIED_STAGES, PathwayType, Stage

DUE_FIELDS = (
    "orientation_due_on",
    "contract_due_on",
    "next_review_due_on",
    "seen_due_on",
    "stage_due_on",
    "status_due_on",
    "checkpoint_due_on",
    "case_action_due_on",
    "high_due_on",
    "medium_due_on",
    "low_due_on",
)
# The due dates of each severity (see `alerts.SPECS`): their earliest is kept in the tier column.
TIERS = {
    "high_due_on": ("orientation_due_on", "contract_due_on", "seen_due_on"),
    "medium_due_on": ("checkpoint_due_on", "next_review_due_on", "stage_due_on", "case_action_due_on"),
    "low_due_on": ("status_due_on",),
}
STAGE_TARGETS = {
    Stage.ENTRY: "stage_target_entry_days",
    Stage.ORIENTED: "stage_target_oriented_days",
    Stage.CONTRACT_SIGNED: "stage_target_contract_signed_days",
    Stage.ACCOMPANIMENT: "stage_target_accompaniment_days",
    Stage.EMPLOYMENT: "stage_target_employment_days",
}
REVIEW_PERIODS = {
    PathwayType.PROFESSIONAL: "review_period_professional_days",
    PathwayType.SOCIO_PROFESSIONAL: "review_period_socio_professional_days",
    PathwayType.SOCIAL: "review_period_social_days",
}


def add_months(day, months):
    """`day` plus `months` calendar months (31 January + 1 month = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _days(day, count):
    return day + datetime.timedelta(days=count)


def review_period_days(policy, pathway_type):
    return getattr(policy, REVIEW_PERIODS.get(pathway_type, "review_period_professional_days"))


def contract_due_on(oriented_on, policy):
    return add_months(oriented_on, policy.contract_due_months)


def due_dates(pathway, policy):
    """The deadlines of `pathway` (None where the rule does not apply). An alert is raised the day
    after its deadline."""
    due = dict.fromkeys(DUE_FIELDS)
    stage = pathway.stage
    if stage == Stage.CLOSED:
        return due
    if stage == Stage.ENTRY:
        due["orientation_due_on"] = _days(pathway.entered_on, policy.orientation_target_days)
    if stage == Stage.ORIENTED and pathway.oriented_on:
        due["contract_due_on"] = contract_due_on(pathway.oriented_on, policy)
    if stage in ACCOMPANIED_STAGES and pathway.oriented_on:
        reviewed = max(day for day in (pathway.oriented_on, pathway.last_review_on) if day)
        due["next_review_due_on"] = _days(reviewed, review_period_days(policy, pathway.pathway_type))
        seen = max(day for day in (pathway.oriented_on, pathway.last_seen_appointment_on) if day)
        due["seen_due_on"] = _days(seen, policy.no_seen_appointment_alert_days)
    if stage in STAGE_TARGETS:
        due["stage_due_on"] = _days(pathway.stage_since, getattr(policy, STAGE_TARGETS[stage]))
    if pathway.oldest_planned_appointment_on:
        due["status_due_on"] = _days(pathway.oldest_planned_appointment_on, policy.appointment_status_grace_days)
    if stage == Stage.EMPLOYMENT and pathway.next_checkpoint_on:
        due["checkpoint_due_on"] = _days(pathway.next_checkpoint_on, policy.employment_checkpoint_tolerance_days)
    if pathway.next_case_action_on:
        due["case_action_due_on"] = pathway.next_case_action_on
    for tier, members in TIERS.items():
        days = [due[field] for field in members if due[field] is not None]
        due[tier] = min(days) if days else None
    return due


def apply_due_dates(pathway, policy):
    """Set the due dates on `pathway` (unsaved); returns the names of the fields that changed."""
    changed = []
    for field, value in due_dates(pathway, policy).items():
        if getattr(pathway, field) != value:
            setattr(pathway, field, value)
            changed.append(field)
    return changed
