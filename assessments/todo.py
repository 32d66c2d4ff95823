"""What knowledge tests and case-review rotations ask of an officer (我的待办), for notices.todo."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from notices import todo
from officers.permissions import is_legal_affairs_reviewer

from .case_review.models import CaseReview, ReviewRound, ReviewState
from .models import Quiz, Sitting, SittingStatus
from .selectors import can_manage_tests, marking_queue, quizzes_for_officer


@todo.register
def test_items(officer, now):
    for row in quizzes_for_officer(officer=officer, now=now):
        quiz, sitting = row["quiz"], row["in_progress"]
        if sitting is not None and row["is_open"]:
            yield todo.Item(
                kind="assessments.sitting_in_progress",
                title=_("Finish your test: %(title)s") % {"title": quiz.title},
                detail=_("Your answers are saved; the clock keeps running."),
                url=reverse("assessments:sitting", args=[sitting.pk]),
                due=min(sitting.deadline, row["closes"]),
                urgency=todo.Urgency.NOW,
                action=pgettext("to-do action", "Continue"),
            )
        elif row["can_start"] and not row["sittings"]:
            yield todo.Item(
                kind="assessments.test_open",
                title=_("Test open to you: %(title)s") % {"title": quiz.title},
                detail=_("%(minutes)s minutes once started") % {"minutes": quiz.time_limit_minutes + row["extra_minutes"]},
                url=reverse("assessments:quiz", args=[quiz.pk]),
                due=row["closes"],
                urgency=todo.Urgency.SOON,
                action=pgettext("to-do action", "Start"),
            )
    if can_manage_tests(officer):
        yield from _trainer_items(now)


def _trainer_items(now):
    essays = marking_queue().count()
    if essays:
        yield todo.Item(
            kind="assessments.marking",
            title=_("Essays to mark"),
            detail=_("Results wait for these marks."),
            url=reverse("assessments:marking"),
            count=essays,
            urgency=todo.Urgency.SOON,
            action=pgettext("to-do action", "Mark"),
            role=_("Trainer"),
        )
    from publications.selectors import published_version_subquery

    unpublished = (
        Quiz.objects.filter(closes_at__lte=now)
        .annotate(published=published_version_subquery(model=Quiz, kind="quiz_results"))
        .filter(published__isnull=True)
        .filter(Exists(Sitting.objects.filter(quiz=OuterRef("pk"), status=SittingStatus.FINAL)))
        .exclude(Exists(Sitting.objects.filter(quiz=OuterRef("pk"), status=SittingStatus.MARKING)))
        .order_by("closes_at").only("pk", "title", "closes_at")[:20]
    )
    for quiz in unpublished:
        yield todo.Item(
            kind="assessments.publish",
            title=_("Results ready to publish: %(title)s") % {"title": quiz.title},
            detail=_("The test has closed and every answer is marked."),
            url=reverse("assessments:manage_quiz", args=[quiz.pk]),
            urgency=todo.Urgency.NORMAL,
            action=pgettext("to-do action", "Publish"),
            role=_("Trainer"),
        )


@todo.register
def case_review_items(officer, now):
    reviews = (
        CaseReview.objects.filter(
            reviewer=officer, state=ReviewState.ASSIGNED, round__released_at__isnull=False,
            round__opens_at__lte=now, round__closes_at__gt=now,
        ).select_related("round", "case_file").order_by("round__closes_at", "case_file__title")
    )
    for review in reviews:
        yield todo.Item(
            kind="case_review.review",
            title=_("Case file to review: %(title)s") % {"title": review.case_file.title},
            detail=review.round.name,
            url=reverse("case_review:review", args=[review.pk]),
            due=review.round.closes_at,
            urgency=todo.Urgency.SOON,
            action=pgettext("to-do action", "Review"),
        )
    if is_legal_affairs_reviewer(officer):
        rounds = (
            ReviewRound.objects.filter(closes_at__lte=now)
            .annotate(to_grade=Count("reviews", filter=Q(reviews__state=ReviewState.SUBMITTED)))
            .filter(to_grade__gt=0).order_by("closes_at")
        )
        for round in rounds:
            yield todo.Item(
                kind="case_review.grade",
                title=_("Findings to grade: %(name)s") % {"name": round.name},
                url=reverse("case_review:grading", args=[round.pk]),
                count=round.to_grade,
                urgency=todo.Urgency.NORMAL,
                action=pgettext("to-do action", "Grade"),
                role=_("Legal affairs reviewer"),
            )
