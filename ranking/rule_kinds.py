"""Rule kinds: what facts a rule reads and how it turns them into points.

A kind is code (registered here, below); a rule is data (a `PointRule` row in a
rule book version, naming a kind and giving its parameters). So a new rule of an
existing kind, e.g. a second test band or another manual award, needs no
deployment: the legal affairs unit adds a row in the admin.

Deliberately absent: no kind reads fines collected (罚没款数额), administrative
detentions (行政拘留数), cases reported (发案数) or clearance rates (破案率). The
Ministry of Public Security's 2011 opinion on assessment reform bans them as
indicators, so a rule book cannot score them.

Each evaluator returns `Award`s for the facts dated within a scope; the fact key
is stable, so posting the same fact again finds the entry it posted before.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Scope:
    """The facts to evaluate: dated start..end (inclusive), of these officers (None: all eligible)."""

    start: dt.date
    end: dt.date
    eligible: frozenset[int]  # the officers on the rule book's track
    officer_ids: frozenset[int] | None = None

    def wants(self, officer_id: int) -> bool:
        return officer_id in self.eligible and (self.officer_ids is None or officer_id in self.officer_ids)

    @property
    def officers(self) -> frozenset[int]:
        return self.eligible if self.officer_ids is None else self.eligible & self.officer_ids


@dataclass(frozen=True)
class Award:
    officer_id: int
    fact_key: str
    points: Decimal
    occurred_on: dt.date
    fact_type_id: int | None
    fact_id: str
    note: str


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    type: str  # "decimal", "bool", "bands", "choices"
    required: bool = False
    default: object = None
    choices: tuple = ()


@dataclass(frozen=True)
class Trigger:
    """A model whose saves change this kind's facts: `affected(instance)` gives
    (officer ids or None for everyone, the day or None for every day)."""

    model: str
    affected: Callable
    only_created: bool = False  # e.g. a publication: later saves (its bulletin) change nothing


@dataclass(frozen=True)
class RuleKind:
    code: str
    label: str
    description: str
    params: tuple[Param, ...]
    evaluate: Callable[..., list[Award]]
    triggers: tuple[Trigger, ...] = ()
    source_url: Callable[[str, str, str], str | None] = field(default=lambda model, pk, key: None)
    # (viewer, subject officer) -> whether the source page opens for that reader (the breakdown is
    # also read by unit heads and the legal affairs unit); a link that would only 404 is not shown.
    source_visible: Callable[[Any, Any], bool] = field(default=lambda viewer, subject: True)
    available: Callable[[], bool] = field(default=lambda: True)


_kinds: dict[str, RuleKind] = {}


def register(kind: RuleKind) -> RuleKind:
    _kinds[kind.code] = kind
    return kind


def get_kind(code: str) -> RuleKind | None:
    return _kinds.get(code)


def kinds() -> list[RuleKind]:
    return list(_kinds.values())


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in _kinds.values()]


# --- parameters ----------------------------------------------------------


def _decimal(value, label) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("%(label)s must be a number.") % {"label": label}) from None
    if not number.is_finite() or abs(number) > 10000:
        raise ValidationError(_("%(label)s must be a number between -10000 and 10000.") % {"label": label})
    return number.quantize(TWO_PLACES)


def _bands(value, label) -> list[dict]:
    if not isinstance(value, list) or not value:
        raise ValidationError(
            _("%(label)s must be a list of bands such as [{\"min\": 90, \"points\": 5}, {\"min\": 60, \"points\": 2}].")
            % {"label": label}
        )
    bands = []
    for band in value:
        if not isinstance(band, dict) or "min" not in band or "points" not in band:
            raise ValidationError(_("Each band of %(label)s needs “min” and “points”.") % {"label": label})
        bands.append({"min": str(_decimal(band["min"], label)), "points": str(_decimal(band["points"], label))})
    bands.sort(key=lambda b: Decimal(b["min"]), reverse=True)
    if len({b["min"] for b in bands}) != len(bands):
        raise ValidationError(_("Two bands of %(label)s start at the same score.") % {"label": label})
    return bands


def params_validate(*, kind: str, params) -> dict:
    """The parameters cleaned for the kind (numbers as strings, bands sorted), or a Chinese error."""
    rule_kind = get_kind(kind)
    if rule_kind is None:
        raise ValidationError({"kind": _("Unknown rule kind “%(kind)s”.") % {"kind": kind}})
    if params in (None, ""):
        params = {}
    if not isinstance(params, dict):
        raise ValidationError({"params": _("The parameters must be a JSON object.")})
    known = {p.name for p in rule_kind.params}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValidationError({"params": _("Unknown parameter(s): %(names)s. This kind takes: %(known)s.") % {
            "names": ", ".join(unknown), "known": ", ".join(p.name for p in rule_kind.params)}})
    cleaned, errors = {}, []
    for param in rule_kind.params:
        value = params.get(param.name, param.default)
        if value in (None, ""):
            if param.required:
                errors.append(_("%(label)s (%(name)s) is required.") % {"label": param.label, "name": param.name})
            continue
        try:
            if param.type == "decimal":
                cleaned[param.name] = str(_decimal(value, param.label))
            elif param.type == "bool":
                if not isinstance(value, bool):
                    raise ValidationError(_("%(label)s must be true or false.") % {"label": param.label})
                cleaned[param.name] = value
            elif param.type == "bands":
                cleaned[param.name] = _bands(value, param.label)
            elif param.type == "choices":
                values = value if isinstance(value, list) else [value]
                bad = [v for v in values if v not in [c for c, _l in param.choices]]
                if bad:
                    raise ValidationError(_("%(label)s: “%(value)s” is not one of %(choices)s.") % {
                        "label": param.label, "value": bad[0], "choices": ", ".join(c for c, _l in param.choices)})
                cleaned[param.name] = values
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"params": errors})
    return cleaned


def _d(params, name, default="0") -> Decimal:
    return Decimal(str(params.get(name, default)))


def band_points(bands: list[dict], value: Decimal) -> Decimal | None:
    for band in bands:  # sorted best first
        if value >= Decimal(band["min"]):
            return Decimal(band["points"])
    return None


# --- helpers ---------------------------------------------------------------


def _ct_id(label: str) -> int | None:
    from django.apps import apps

    try:
        return ContentType.objects.get_for_model(apps.get_model(label)).pk
    except LookupError:
        return None


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def _day_bounds(scope: Scope) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(scope.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(min(scope.end, dt.date(9998, 12, 30)) + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


# --- knowledge tests (quiz_result) -----------------------------------------


def published_quiz_ids() -> set[int]:
    """Tests whose results are published: only what the publications app has published
    (the one place publishing is decided), never a stamp on the test."""
    from assessments.models import Quiz

    try:
        from publications.models import Publication
    except ImportError:
        return set()
    ct = ContentType.objects.get_for_model(Quiz)
    return {int(i) for i in Publication.objects.filter(kind="quiz_results", subject_type=ct)
            .values_list("subject_id", flat=True).distinct()}


def audience_ids(subject, officer_ids: frozenset[int]) -> set[int]:
    """Which of the given officers are in a test's audience (tiers, roles or units, units beneath included)."""
    from django.contrib.auth.models import Group

    from officers.models import Officer
    from officers.selectors import unit_subtree_ids

    tiers, roles = subject.audience_tiers or [], subject.audience_roles or []
    unit_ids = [u.pk for u in subject.audience_units.all()]
    officers = Officer.objects.filter(pk__in=officer_ids, is_active=True)
    if not (tiers or roles or unit_ids):
        return set(officers.values_list("pk", flat=True))
    found = set()
    if tiers:
        found |= set(officers.filter(tier__in=tiers).values_list("pk", flat=True))
    if roles:
        members = Officer.groups.through.objects.filter(group__in=Group.objects.filter(name__in=roles))
        found |= set(officers.filter(pk__in=members.values("officer_id")).values_list("pk", flat=True))
    if unit_ids:
        units = set()
        for unit_id in unit_ids:
            units |= unit_subtree_ids(unit_id)
        found |= set(officers.filter(unit_id__in=units).values_list("pk", flat=True))
    return found


def evaluate_quiz_result(rule, scope: Scope) -> list[Award]:
    from assessments.models import Quiz
    from assessments.selectors import quiz_results

    params = rule.params
    bands = params.get("bands") or []
    absent = _d(params, "absent_points")
    start, end = _day_bounds(scope)
    quizzes = Quiz.objects.filter(
        pk__in=published_quiz_ids(), closes_at__gte=start, closes_at__lt=end
    ).prefetch_related("audience_units")
    quiz_ct, sitting_ct = _ct_id("assessments.Quiz"), _ct_id("assessments.Sitting")
    awards = []
    for quiz in quizzes:
        day = _local_day(quiz.closes_at)
        sat = set()
        for row in quiz_results(quiz=quiz):
            sat.add(row.officer_id)
            if row.pending or not scope.wants(row.officer_id):
                continue  # no points until the counted attempt is marked
            percent = Decimal(str(row.percent)).quantize(TWO_PLACES)
            points = band_points(bands, percent)
            if points is None:
                continue
            awards.append(Award(
                row.officer_id, f"quiz:{quiz.pk}:officer:{row.officer_id}", points, day,
                sitting_ct, str(row.sitting_ids[-1]),
                _("%(test)s: %(percent)s%%") % {"test": quiz.title, "percent": _fmt(percent)},
            ))
        if absent:
            for officer_id in sorted(audience_ids(quiz, scope.officers) - sat):
                awards.append(Award(
                    officer_id, f"quiz:{quiz.pk}:officer:{officer_id}", absent, day, quiz_ct, str(quiz.pk),
                    _("%(test)s: absent (never sat)") % {"test": quiz.title},
                ))
    return awards


def _quiz_source_visible(viewer, subject) -> bool:
    from assessments.selectors import can_manage_tests

    return viewer.pk == subject.pk or can_manage_tests(viewer)


def _quiz_source_url(model: str, pk: str, key: str) -> str | None:
    if model == "assessments.sitting":
        return _url("assessments:result", int(pk))
    if model == "assessments.quiz":
        return _url("assessments:quiz", int(pk))
    return None


def _sitting_affected(sitting):
    """A sitting counts only once its test's results are published, and publishing posts
    everyone; so during the test (every start and hand-in of exam day) nothing is queued."""
    if not _quiz_results_published(sitting.quiz_id):
        return [], None
    return [sitting.officer_id], _local_day(sitting.quiz.closes_at)


def _quiz_results_published(quiz_id: int) -> bool:
    from assessments.models import Quiz

    try:
        from publications.models import Publication
    except ImportError:
        return False
    return Publication.objects.filter(
        kind="quiz_results", subject_type=ContentType.objects.get_for_model(Quiz), subject_id=quiz_id
    ).exists()


def _quiz_affected(quiz):
    return None, _local_day(quiz.closes_at)


def _publication_affected(publication):
    """Publishing a test's results makes them count."""
    from assessments.models import Quiz

    if publication.kind != "quiz_results":
        return [], None
    quiz = Quiz.objects.filter(pk=publication.subject_id).only("closes_at").first()
    return (None, _local_day(quiz.closes_at)) if quiz else ([], None)


register(RuleKind(
    code="quiz_result",
    label=gettext_lazy("Knowledge test: counted result"),
    description=gettext_lazy(
        "Points by score band (percent of the full marks) for the counted result of each published test; "
        "a deduction for an officer in the test's audience who never sat. Counted on the day the test closes."
    ),
    params=(
        Param("bands", gettext_lazy("Score bands"), "bands", required=True),
        Param("absent_points", gettext_lazy("Points for an absentee (negative to deduct)"), "decimal", default="0"),
    ),
    evaluate=evaluate_quiz_result,
    triggers=(
        Trigger("assessments.Sitting", _sitting_affected),
        Trigger("assessments.Quiz", _quiz_affected),
        Trigger("publications.Publication", _publication_affected, only_created=True),
    ),
    source_url=_quiz_source_url,
    source_visible=_quiz_source_visible,
))


# --- lecture hall ------------------------------------------------------------


def evaluate_course_completion(rule, scope: Scope) -> list[Award]:
    from lessons.models import CourseCompletion

    params = rule.params
    on_time, late = _d(params, "on_time_points"), _d(params, "late_points")
    start, end = _day_bounds(scope)
    completions = CourseCompletion.objects.filter(
        completed_at__gte=start, completed_at__lt=end, officer_id__in=scope.officers,
    ).select_related("course").only("id", "officer_id", "completed_at", "course__id", "course__title", "course__is_required", "course__due_on")
    if params.get("required_only", True):
        completions = completions.filter(course__is_required=True)
    ct = _ct_id("lessons.CourseCompletion")
    awards = []
    for completion in completions:
        day = _local_day(completion.completed_at)
        due = completion.course.due_on
        in_time = due is None or day <= due
        points = on_time if in_time else late
        if not points:
            continue
        awards.append(Award(
            completion.officer_id, f"course:{completion.course_id}:officer:{completion.officer_id}", points, day,
            ct, str(completion.pk),
            (_("%(course)s: completed on time") if in_time else _("%(course)s: completed late")) % {"course": completion.course.title},
        ))
    return awards


def _completion_source_url(model, pk, key):
    # The fact key names the course ("course:<id>:officer:<id>"): its certificate is the proof.
    return _url("lessons:certificate_download", int(key.split(":")[1]))


def evaluate_session_attendance(rule, scope: Scope) -> list[Award]:
    from lessons.models import Attendance

    points = _d(rule.params, "points")
    kinds = rule.params.get("session_kinds") or []
    start, end = _day_bounds(scope)
    attendances = Attendance.objects.filter(
        session__starts_at__gte=start, session__starts_at__lt=end, officer_id__in=scope.officers,
    ).select_related("session").only("id", "officer_id", "session__id", "session__topic", "session__starts_at", "session__kind")
    if kinds:
        attendances = attendances.filter(session__kind__in=kinds)
    ct = _ct_id("lessons.Attendance")
    return [
        Award(a.officer_id, f"session:{a.session_id}:officer:{a.officer_id}", points, _local_day(a.session.starts_at),
              ct, str(a.pk), _("Attended: %(topic)s") % {"topic": a.session.topic})
        for a in attendances if points
    ]


def _completion_affected(completion):
    return [completion.officer_id], _local_day(completion.completed_at)


def _attendance_affected(attendance):
    return [attendance.officer_id], None


def _session_affected(session):
    return None, _local_day(session.starts_at)


register(RuleKind(
    code="course_completion",
    label=gettext_lazy("Lecture hall: course completed"),
    description=gettext_lazy("Points for completing a course (required courses only, unless set otherwise): on time (by the due date) or late."),
    params=(
        Param("on_time_points", gettext_lazy("Points when completed on time"), "decimal", required=True),
        Param("late_points", gettext_lazy("Points when completed late"), "decimal", default="0"),
        Param("required_only", gettext_lazy("Only required courses"), "bool", default=True),
    ),
    evaluate=evaluate_course_completion,
    triggers=(Trigger("lessons.CourseCompletion", _completion_affected),),
    source_url=_completion_source_url,
    # The certificate download is the reader's own certificate of the course.
    source_visible=lambda viewer, subject: viewer.pk == subject.pk,
))

register(RuleKind(
    code="session_attendance",
    label=gettext_lazy("Lecture hall: training session attended"),
    description=gettext_lazy("Points for attending a training session (专题培训 or 送教上门), on the day it starts."),
    params=(
        Param("points", gettext_lazy("Points per session"), "decimal", required=True),
        Param("session_kinds", gettext_lazy("Only these kinds of session"), "choices",
              choices=(("thematic", gettext_lazy("Thematic training")), ("on_site", gettext_lazy("On-site teaching")))),
    ),
    evaluate=evaluate_session_attendance,
    triggers=(Trigger("lessons.Attendance", _attendance_affected), Trigger("lessons.TrainingSession", _session_affected)),
    source_url=lambda model, pk, key: _url("lessons:sessions"),
))


# --- shadowing ---------------------------------------------------------------


def evaluate_shadowing_log(rule, scope: Scope) -> list[Award]:
    """Each acknowledged log earns its mentor points, up to the monthly cap (earliest shifts first)."""
    from mentoring.models import LogStatus, ShadowingLog

    per_log = _d(rule.params, "points_per_log")
    cap = rule.params.get("monthly_cap")
    cap = Decimal(str(cap)) if cap not in (None, "") else None
    # Whole months, so that the cap sees every log of the month.
    first = scope.start.replace(day=1)
    logs = (
        ShadowingLog.objects.filter(
            status=LogStatus.ACKNOWLEDGED, date__gte=first, date__lte=scope.end,
            mentorship__mentor_id__in=scope.officers,
        ).select_related("mentorship__recruit").only("id", "date", "start_time", "mentorship__mentor_id", "mentorship__recruit__name")
        .order_by("date", "start_time", "id")
    )
    ct = _ct_id("mentoring.ShadowingLog")
    used: dict[tuple[int, int, int], Decimal] = defaultdict(Decimal)
    awards = []
    for log in logs:
        mentor = log.mentorship.mentor_id
        month = (mentor, log.date.year, log.date.month)
        points = per_log
        if cap is not None:
            points = max(Decimal(0), min(per_log, cap - used[month]))
        used[month] += points
        if not points or log.date < scope.start:
            continue
        awards.append(Award(
            mentor, f"shadowing_log:{log.pk}", points, log.date, ct, str(log.pk),
            _("Shadowing log with %(recruit)s, acknowledged") % {"recruit": log.mentorship.recruit.name},
        ))
    return awards


def _log_affected(log):
    return [log.mentorship.mentor_id], log.date


def evaluate_sign_off(rule, scope: Scope) -> list[Award]:
    from mentoring.models import Mentorship

    params = rule.params
    on_time, late, recruit_points = _d(params, "mentor_on_time_points"), _d(params, "mentor_late_points"), _d(params, "recruit_points")
    start, end = _day_bounds(scope)
    mentorships = Mentorship.objects.filter(
        final_approved_at__gte=start, final_approved_at__lt=end,
    ).select_related("mentor", "recruit").only(
        "id", "final_approved_at", "planned_end_on", "mentor__id", "mentor__name", "recruit__id", "recruit__name")
    ct = _ct_id("mentoring.Mentorship")
    awards = []
    for m in mentorships:
        day = _local_day(m.final_approved_at)
        in_time = day <= m.planned_end_on
        points = on_time if in_time else late
        if points and scope.wants(m.mentor_id):
            awards.append(Award(
                m.mentor_id, f"sign_off:{m.pk}:mentor", points, day, ct, str(m.pk),
                (_("Recruit %(recruit)s signed off on time") if in_time else _("Recruit %(recruit)s signed off late")) % {"recruit": m.recruit.name},
            ))
        if recruit_points and scope.wants(m.recruit_id):
            awards.append(Award(
                m.recruit_id, f"sign_off:{m.pk}:recruit", recruit_points, day, ct, str(m.pk),
                _("Signed off (出师) under %(mentor)s") % {"mentor": m.mentor.name},
            ))
    return awards


def _mentorship_affected(mentorship):
    return [mentorship.mentor_id, mentorship.recruit_id], None


register(RuleKind(
    code="shadowing_log",
    label=gettext_lazy("Shadowing: acknowledged log (mentors)"),
    description=gettext_lazy("Points for the mentor for each shadowing log the recruit acknowledged, up to a monthly cap."),
    params=(
        Param("points_per_log", gettext_lazy("Points per acknowledged log"), "decimal", required=True),
        Param("monthly_cap", gettext_lazy("Most points in a calendar month"), "decimal"),
    ),
    evaluate=evaluate_shadowing_log,
    triggers=(Trigger("mentoring.ShadowingLog", _log_affected),),
    source_url=lambda model, pk, key: _url("mentoring:log", int(pk)),
))

register(RuleKind(
    code="mentorship_sign_off",
    label=gettext_lazy("Shadowing: sign-off (出师)"),
    description=gettext_lazy(
        "On the day the legal affairs unit approves the final sign-off: points for the mentor (on time: by the "
        "planned end) and for the recruit. A returned sign-off takes them back."
    ),
    params=(
        Param("mentor_on_time_points", gettext_lazy("Mentor's points, signed off on time"), "decimal", default="0"),
        Param("mentor_late_points", gettext_lazy("Mentor's points, signed off late"), "decimal", default="0"),
        Param("recruit_points", gettext_lazy("Recruit's points"), "decimal", default="0"),
    ),
    evaluate=evaluate_sign_off,
    triggers=(Trigger("mentoring.Mentorship", _mentorship_affected),),
    source_url=lambda model, pk, key: _url("mentoring:mentorship", int(pk)),
))


# --- manual entries ----------------------------------------------------------


def _manual_source_visible(viewer, subject) -> bool:
    from .permissions import can_view_manual_of

    return can_view_manual_of(viewer, subject.pk)


def evaluate_manual(rule, scope: Scope) -> list[Award]:
    from .models import ManualEntry, ManualStatus

    low = rule.params.get("min_points")
    high = rule.params.get("max_points")
    entries = ManualEntry.objects.filter(
        status=ManualStatus.APPROVED, track=rule.version.rule_book.track, rule_code=rule.code,
        occurred_on__gte=scope.start, occurred_on__lte=scope.end, officer_id__in=scope.officers,
    ).only("id", "officer_id", "points", "occurred_on", "reason")
    ct = _ct_id("ranking.ManualEntry")
    awards = []
    for entry in entries:
        points = entry.points
        if low not in (None, ""):
            points = max(points, Decimal(str(low)))
        if high not in (None, ""):
            points = min(points, Decimal(str(high)))
        awards.append(Award(entry.officer_id, f"manual:{entry.pk}", points, entry.occurred_on, ct, str(entry.pk), entry.reason[:200]))
    return awards


def _manual_affected(entry):
    return [entry.officer_id], None


register(RuleKind(
    code="manual",
    label=gettext_lazy("Manual entry: award or deduction"),
    description=gettext_lazy(
        "Awards (e.g. a placing in the skills competition 执法技能比武) and deductions (e.g. a case quashed on "
        "administrative reconsideration, a law-enforcement fault) entered with a reason and evidence, counted once "
        "a second person approves them."
    ),
    params=(
        Param("min_points", gettext_lazy("Lowest points of one entry"), "decimal"),
        Param("max_points", gettext_lazy("Highest points of one entry"), "decimal"),
    ),
    evaluate=evaluate_manual,
    triggers=(Trigger("ranking.ManualEntry", _manual_affected),),
    source_url=lambda model, pk, key: _url("ranking:manual_detail", int(pk)),
    source_visible=_manual_source_visible,
))


# --- case-review rotations (case_review) -----------------------------------


def _case_review_available() -> bool:
    try:
        from assessments.case_review.selectors import reviewer_round_scores  # noqa: F401
    except ImportError:
        return False
    return True


def evaluate_case_review(rule, scope: Scope) -> list[Award]:
    """The reviewer's round score (0–100) by band, on the day the round closed.

    Until the case-review rotations are installed there are no such facts, and
    the rule scores nothing.
    """
    if not _case_review_available():
        return []
    from assessments.case_review.selectors import reviewer_round_scores

    start, end = _day_bounds(scope)
    bands = rule.params.get("bands") or []
    ct = _ct_id("assessments.ReviewRound")
    awards = []
    for score in reviewer_round_scores(closed_between=(start, end)):
        if not scope.wants(score.officer_id) or not (start <= score.closed_at < end):
            continue
        value = Decimal(str(score.score)).quantize(TWO_PLACES)
        points = band_points(bands, value)
        if points is None:
            continue
        awards.append(Award(
            score.officer_id, f"case_review:{score.round_id}:officer:{score.officer_id}", points,
            _local_day(score.closed_at), ct, str(score.round_id),
            _("Case-review round score %(score)s") % {"score": _fmt(value)},
        ))
    return awards


def _round_affected(instance):
    return None, None


def _review_affected(instance):
    officer_id = getattr(instance, "reviewer_id", None) or getattr(instance, "officer_id", None)
    return ([officer_id] if officer_id else None), None


register(RuleKind(
    code="case_review",
    label=gettext_lazy("Case-review rotation: round score"),
    description=gettext_lazy(
        "Points by band of the reviewer's round score (0–100, the mean of their file scores), once the round is "
        "closed and fully graded; counted on the day it closed."
    ),
    params=(Param("bands", gettext_lazy("Score bands"), "bands", required=True),),
    evaluate=evaluate_case_review,
    source_url=lambda model, pk, key: _url("case_review:index"),
    triggers=(
        Trigger("assessments.ReviewRound", _round_affected),
        Trigger("assessments.CaseReview", _review_affected),
    ),
    available=_case_review_available,
))
