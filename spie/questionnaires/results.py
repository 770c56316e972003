"""Aggregated results per step: response rate, mean per question and overall, distribution.
Pseudonymised: no row per person, and a group with fewer than `MIN_GROUP_SIZE` answers is hidden.
Two aggregate queries, whatever the number of answers."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone

from .enums import Step
from .models import QuestionnaireAnswer, QuestionnaireComment, QuestionnaireInvitation
from .policies import MIN_GROUP_SIZE
from .questions import questionnaire_for

COMMENTS_SHOWN = 30


@dataclass
class QuestionResult:
    code: str
    text: str
    labels: list
    distribution: list  # count of each value 1..5
    answers: int = 0
    mean: Decimal | None = None


@dataclass
class StepResult:
    step: str
    label: str
    version: int
    sent: int = 0
    answered: int = 0
    mean: Decimal | None = None
    questions: list = field(default_factory=list)
    comments: list = field(default_factory=list)

    @property
    def hidden(self):
        return self.answered < MIN_GROUP_SIZE

    @property
    def response_rate(self):
        return round(100 * self.answered / self.sent) if self.sent else None


def _two(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _period(queryset, start, end, prefix=""):
    if start:
        queryset = queryset.filter(**{f"{prefix}sent_at__gte": _aware(start)})
    if end:
        queryset = queryset.filter(**{f"{prefix}sent_at__lt": _aware(end + datetime.timedelta(days=1))})
    return queryset


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def step_results(*, territory_id=None, step=None, start=None, end=None, with_comments=True):
    """Results of each step (or of `step`) for one territory or all (`territory_id=None`), for
    the questionnaires sent between `start` and `end` (inclusive)."""
    steps = [Step(step)] if step else list(Step)
    invitations = QuestionnaireInvitation.objects.filter(step__in=steps)
    answers = QuestionnaireAnswer.objects.filter(step__in=steps)
    if territory_id is not None:
        invitations = invitations.filter(territory_id=territory_id)
        answers = answers.filter(territory_id=territory_id)
    invitations = _period(invitations, start, end)
    answers = _period(answers, start, end, prefix="invitation__")
    results = {}
    for item in steps:
        questionnaire = questionnaire_for(item)
        results[item] = StepResult(
            step=item.value,
            label=item.label,
            version=questionnaire.version,
            questions=[
                QuestionResult(
                    code=question.code,
                    text=question.text,
                    labels=[label for _, label in question.scale],
                    distribution=[0] * 5,
                )
                for question in questionnaire.questions
            ],
        )
    for row in invitations.values("step").annotate(
        sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)), mean=Avg("score")
    ):
        result = results[row["step"]]
        result.sent, result.answered, result.mean = row["sent"], row["answered"], _two(row["mean"])
    for row in answers.values("step", "version", "question", "value").annotate(count=Count("pk")):
        result = results[row["step"]]
        if row["version"] != result.version:
            continue
        question = next((q for q in result.questions if q.code == row["question"]), None)
        if question is not None:
            question.distribution[row["value"] - 1] += row["count"]
    for result in results.values():
        for question in result.questions:
            question.answers = sum(question.distribution)
            if question.answers:
                total = sum(count * value for value, count in enumerate(question.distribution, start=1))
                question.mean = _two(Decimal(total) / question.answers)
    if with_comments:
        _attach_comments(results, territory_id, start, end)
    return list(results.values())


def _attach_comments(results, territory_id, start, end):
    shown = [step for step, result in results.items() if not result.hidden]
    if not shown:
        return
    comments = QuestionnaireComment.objects.published().filter(step__in=shown)
    if territory_id is not None:
        comments = comments.filter(territory_id=territory_id)
    comments = _period(comments, start, end, prefix="invitation__").order_by("-reviewed_at", "-pk")
    for step, text in comments.values_list("step", "published_text")[: COMMENTS_SHOWN * len(shown)]:
        if len(results[step].comments) < COMMENTS_SHOWN:
            results[step].comments.append(text)
