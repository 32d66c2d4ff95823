"""Reads for the lecture hall: audiences, progress, search, dashboards, sessions.

Every list here runs a fixed number of queries whatever the number of officers,
courses or lessons (pinned by tests and by bench/bench_lessons_*.py).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Length, Substr
from django.http import Http404
from django.utils import timezone
from wagtail.models import Page

from officers.models import Officer, Unit
from officers.permissions import is_legal_affairs_reviewer
from officers.roles import Role
from officers.selectors import led_unit, unit_subtree_ids

from .blocks import question_items
from .models import (
    Attendance,
    AttendanceRemoval,
    CourseCompletion,
    CoursePage,
    KnowledgeCheckAttempt,
    LectureHallPage,
    LessonCompletion,
    LessonPage,
    LessonStudy,
    SessionKind,
    TrainingSession,
)
from .search import display_words, highlight_spans, occurrences, query_words
from .study import (
    CHECK_RETRY_PAUSE,
    PING_SECONDS,
    STUDY_HOUR_SECONDS,
    shuffled,
    study_progress,
)

# --- audience -------------------------------------------------------------


def audience_q(course: CoursePage, unit_ids: list[int] | None = None) -> Q:
    """Officers a course is meant for: active, and matching tiers, roles and units."""
    q = Q(is_active=True)
    if course.audience_tiers:
        q &= Q(tier__in=course.audience_tiers)
    if course.audience_roles:
        membership = Officer.groups.through.objects.filter(
            officer_id=OuterRef("pk"), group__name__in=course.audience_roles
        )
        q &= Q(Exists(membership))
    if unit_ids is None:
        unit_ids = [u.pk for u in course.audience_units.all()]
    if unit_ids:
        # A unit's squads (a brigade's 中队) belong to its audience too.
        q &= Q(unit_id__in=unit_ids) | Q(unit__parent_id__in=unit_ids)
    return q


def in_audience(course: CoursePage, officer) -> bool:
    """Whether the course counts for this officer (uses prefetched audience_units)."""
    if not officer.is_authenticated or not officer.is_active:
        return False
    if course.audience_tiers and officer.tier not in course.audience_tiers:
        return False
    if course.audience_roles and not officer.has_role(*course.audience_roles):
        return False
    unit_ids = {u.pk for u in course.audience_units.all()}
    if not unit_ids or officer.unit_id in unit_ids:
        return True
    return officer.unit_id is not None and officer.unit.parent_id in unit_ids


def is_overdue(course: CoursePage, completed: bool, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(course.is_required and course.due_on and course.due_on < today and not completed)


# --- lessons of courses ---------------------------------------------------


def _live_lesson_ids_by_course_path(root_path: str) -> dict[str, list[int]]:
    """{course path: [lesson ids in tree order]} in one query."""
    rows = (
        LessonPage.objects.live()
        .filter(path__startswith=root_path)
        .order_by("path")
        .values_list("path", "id")
    )
    by_course: dict[str, list[int]] = defaultdict(list)
    for path, pk in rows:
        by_course[path[: -Page.steplen]].append(pk)
    return by_course


def course_lessons(course: CoursePage) -> QuerySet[LessonPage]:
    return LessonPage.objects.child_of(course).live().order_by("path")


def hall_courses(*, hall: LectureHallPage, officer=None) -> list[CoursePage]:
    """The hall's live courses; `required_for_officer` only where the officer is in the
    course's audience (必修 and a due date mean nothing to anyone else)."""
    courses = list(CoursePage.objects.child_of(hall).live().order_by("path").prefetch_related("audience_units"))
    lessons = _live_lesson_ids_by_course_path(hall.path)
    for course in courses:
        course.lesson_count = len(lessons.get(course.path, []))
        course.required_for_officer = bool(
            course.is_required and officer is not None and in_audience(course, officer)
        )
    return courses


@dataclass
class CourseProgress:
    course: CoursePage
    total: int
    done: int
    completion: CourseCompletion | None
    overdue: bool

    @property
    def percent(self) -> int:
        if self.completion:
            return 100
        return round(100 * self.done / self.total) if self.total else 0


def my_courses(*, officer) -> list[CourseProgress]:
    """我的课程: live courses meant for the officer, required first (by due date)."""
    courses = list(CoursePage.objects.live().prefetch_related("audience_units"))
    courses = [c for c in courses if in_audience(c, officer)]
    lessons = _live_lesson_ids_by_course_path("")
    done = defaultdict(set)
    for course_id, lesson_id in LessonCompletion.objects.filter(
        officer=officer, lesson__live=True
    ).values_list("course_id", "lesson_id"):
        done[course_id].add(lesson_id)
    completions = {c.course_id: c for c in CourseCompletion.objects.filter(officer=officer)}
    today = timezone.localdate()
    rows = []
    for course in courses:
        ids = lessons.get(course.path, [])
        completion = completions.get(course.pk)
        rows.append(
            CourseProgress(
                course=course,
                total=len(ids),
                done=len(done[course.pk].intersection(ids)),
                completion=completion,
                overdue=is_overdue(course, completion is not None, today),
            )
        )
    rows.sort(
        key=lambda r: (
            not r.course.is_required,
            r.completion is not None,
            r.course.due_on or dt.date.max,
            r.course.title,
        )
    )
    return rows


def course_overview(*, course: CoursePage, officer) -> dict:
    """A course page's lessons with the officer's ticks, and whether it counts for them."""
    if course.pk is None:  # an admin preview of a course not yet saved
        return {"lessons": [], "counts_for_officer": True, "completion": None, "done_count": 0, "percent": 0, "overdue": False}
    lessons = list(course_lessons(course))
    done = set(
        LessonCompletion.objects.filter(officer=officer, course=course).values_list("lesson_id", flat=True)
    ) if officer.is_authenticated else set()
    for lesson in lessons:
        lesson.is_done = lesson.pk in done
    completion = CourseCompletion.objects.filter(officer=officer, course=course).first() if officer.is_authenticated else None
    counts = in_audience(course, officer)
    finished = sum(1 for lesson in lessons if lesson.is_done)
    return {
        "lessons": lessons,
        "counts_for_officer": counts,
        "completion": completion,
        "done_count": finished,
        "percent": 100 if completion else (round(100 * finished / len(lessons)) if lessons else 0),
        "overdue": counts and is_overdue(course, completion is not None),
        "can_see_dashboard": officer.is_authenticated and can_see_dashboards(officer),
    }


def lesson_state(*, lesson: LessonPage, officer) -> dict:
    """What a lesson page shows the officer: done or not, checks passed, neighbours."""
    if lesson.pk is None:  # an admin preview of a lesson not yet saved: content only
        return {
            "sections": [{"block": block, "check": None} for block in lesson.body],
            "course": lesson.get_parent().specific, "counts_for_officer": True, "course_is_live": False,
            "completion": None, "preview": True,
        }
    course = CoursePage.objects.prefetch_related("audience_units").get(pk=lesson.get_parent().pk)
    siblings = list(course_lessons(course).values_list("pk", "title", "url_path"))
    ids = [s[0] for s in siblings]
    index = ids.index(lesson.pk) if lesson.pk in ids else -1
    completion = LessonCompletion.objects.filter(officer=officer, lesson=lesson).first()
    attempts = {}
    attempt_counts: dict[str, int] = defaultdict(int)
    for attempt in KnowledgeCheckAttempt.objects.filter(officer=officer, lesson=lesson).order_by("submitted_at"):
        attempt_counts[attempt.block_id] += 1
        # The best attempt per check: a pass is never undone by a later failure.
        best = attempts.get(attempt.block_id)
        if best is None or not best.passed:
            attempts[attempt.block_id] = attempt
    previous_lesson = next_lesson = None
    if index > 0:
        previous_lesson = LessonPage.objects.get(pk=ids[index - 1])
    if 0 <= index < len(ids) - 1:
        next_lesson = LessonPage.objects.get(pk=ids[index + 1])
    checks = lesson.knowledge_checks
    gradable = {c.id for c in checks}
    sections = [
        {
            "block": block,
            "check": _check_view(
                block, attempts.get(block.id), seed=f"{officer.pk}:{block.id}:{attempt_counts[block.id]}"
            ) if block.id in gradable else None,
        }
        for block in lesson.body
        if block.block_type != "knowledge_check" or block.id in gradable
    ]
    study = LessonStudy.objects.filter(officer=officer, lesson=lesson).first() if officer.is_authenticated else None
    return {
        "sections": sections,
        "course": course,
        "counts_for_officer": in_audience(course, officer),
        "course_is_live": course.live,
        "completion": completion,
        "check_attempts": attempts,
        "checks_passed": all(attempts.get(c.id) and attempts[c.id].passed for c in checks),
        "has_checks": bool(checks),
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "course_completion": CourseCompletion.objects.filter(officer=officer, course=course).first(),
        "study": study_progress(study=study, lesson=lesson),
        "ping_seconds": PING_SECONDS,
    }


def _check_view(block, attempt, seed: str = "") -> dict:
    """A knowledge check as the page shows it.

    Each question is marked right or wrong, with its key and explanation, only
    once the check is passed: after a failed attempt the page says how many
    were right, never which, keeps none of the answers, and asks again in a new
    order (questions and options reshuffled) after a pause, so a retry cannot be
    solved by elimination.
    """
    marked = attempt is not None and attempt.passed
    answers = attempt.answers if marked else {}
    retry_at = None
    if attempt is not None and not attempt.passed:
        retry_at = attempt.submitted_at + dt.timedelta(seconds=CHECK_RETRY_PAUSE)
        if retry_at <= timezone.now():
            retry_at = None
    items = question_items(block.value)
    if not marked:
        items = shuffled(items, seed)
    questions = []
    for item in items:
        chosen = set(answers.get(item["id"], []))
        questions.append(
            {
                **item,
                "correct": item["correct"] if marked else set(),
                "explanation": item["explanation"] if marked else "",
                "legal_basis": item["legal_basis"] if marked else "",
                "answered": marked,
                "right": marked and chosen == item["correct"],
                "options": shuffled([
                    {"index": i, "text": text, "chosen": i in chosen, "correct": marked and i in item["correct"]}
                    for i, text in enumerate(item["options"])
                ], f"{seed}:{item['id']}") if not marked else [
                    {"index": i, "text": text, "chosen": i in chosen, "correct": i in item["correct"]}
                    for i, text in enumerate(item["options"])
                ],
            }
        )
    return {"block_id": block.id, "attempt": attempt, "questions": questions, "retry_at": retry_at}


# --- search ---------------------------------------------------------------

@dataclass
class SearchHit:
    """One lesson found: its course, where the words stand, and an excerpt."""

    lesson: LessonPage
    course_title: str
    key_hits: int  # query words found in the title or a 法条
    occurrences: int  # how often the query words occur in the whole lesson
    excerpt: list[tuple[str, bool]] = field(default_factory=list)  # (text, highlighted)


def search_terms(query: str) -> list[str]:
    """The words every result must contain: the query cut as lessons are (lessons.search)."""
    return query_words(query[:SEARCH_QUERY_MAX])


SEARCH_QUERY_MAX = 100
SEARCH_RESULTS_MAX = 50


def lessons_search(*, query: str) -> QuerySet[LessonPage]:
    """Live lessons of live courses holding every word of the query (in tree order)."""
    terms = search_terms(query)
    if not terms:
        return LessonPage.objects.none()
    q = Q()
    for term in terms:
        q &= Q(search_words__contains=f" {term} ")
    return LessonPage.objects.live().filter(q).filter(Exists(_live_parent_course())).order_by("path")


def lessons_search_ranked(*, query: str, limit: int = SEARCH_RESULTS_MAX) -> tuple[list[str], int, list[SearchHit]]:
    """(words to show, how many lessons hold them all, the best `limit`): lessons with the words
    in their title or 法条 first, then by how often the words occur; each with its
    course and an excerpt around the first place the words stand."""
    terms = search_terms(query)
    if not terms:
        return terms, 0, []
    rows = list(
        lessons_search(query=query).only("pk", "title", "path", "depth", "url_path", "search_text", "search_words", "search_key_words")
    )
    hits = []
    for lesson in rows:
        key_words = set(lesson.search_key_words.split())
        hits.append(
            SearchHit(
                lesson=lesson,
                course_title="",
                key_hits=sum(1 for term in terms if term in key_words),
                occurrences=occurrences(lesson.search_words, terms),
            )
        )
    hits.sort(key=lambda h: (-h.key_hits, -h.occurrences, h.lesson.path))
    hits = hits[:limit]
    courses = dict(
        CoursePage.objects.filter(path__in={h.lesson.path[: -Page.steplen] for h in hits}).values_list("path", "title")
    )
    for hit in hits:
        hit.course_title = courses.get(hit.lesson.path[: -Page.steplen], "")
        hit.excerpt = search_excerpt(hit.lesson.search_text, terms)
    return display_words(terms), len(rows), hits


def search_excerpt(text: str, terms: list[str], width: int = 80) -> list[tuple[str, bool]]:
    """About `width` characters around the first word found, as (text, highlighted) parts
    (the template escapes each part; only the <mark> around a word is markup)."""
    text = " ".join(text.split())
    spans = highlight_spans(text, terms)
    if not spans:
        return [(text[:width] + ("…" if len(text) > width else ""), False)]
    start = max(0, spans[0][0] - width // 3)
    stop = min(len(text), start + width)
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    at = start
    for begin, end in spans:
        if begin < start or end > stop:
            continue
        if begin > at:
            parts.append((text[at:begin], False))
        parts.append((text[begin:end], True))
        at = end
    if at < stop:
        parts.append((text[at:stop], False))
    if stop < len(text):
        parts.append(("…", False))
    return parts


def _live_parent_course() -> QuerySet[CoursePage]:
    """The outer lesson's course, if it is live (a withdrawn course takes its lessons along)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    return CoursePage.objects.filter(live=True, path=parent_path)


def lesson_course_is_live(*, lesson: LessonPage) -> bool:
    return CoursePage.objects.filter(live=True, path=lesson.path[: -Page.steplen]).exists()


# --- dashboard ------------------------------------------------------------


def can_see_dashboards(officer) -> bool:
    """Course completion per unit: trainers and legal affairs reviewers (the bureau), unit heads (their unit)."""
    return officer.has_role(Role.TRAINER) or is_legal_affairs_reviewer(officer) or led_unit(officer) is not None


def dashboard_scope(officer) -> Unit | None:
    """None: the whole bureau (trainers, legal affairs reviewers, administrators); else the led unit."""
    if officer.has_role(Role.TRAINER) or is_legal_affairs_reviewer(officer):
        return None
    unit = led_unit(officer)
    if unit is None:
        raise PermissionDenied
    return unit


@dataclass
class UnitRow:
    unit: Unit | None
    total: int = 0
    completed: int = 0
    overdue: int = 0
    officers: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def course_dashboard(
    *, course: CoursePage, scope: Unit | None = None, unit_id: int | None = None, all_officers: bool = False
) -> dict:
    """Who completed, who is overdue, per unit, counted in SQL; officer rows only for
    the unit asked for (`unit_id`), or for everyone (`all_officers`, the export).
    A fixed number of queries whatever the bureau's size."""
    today = timezone.localdate()
    audience = Officer.objects.filter(audience_q(course))
    if scope is not None:  # a unit leader: their unit and the squads beneath it
        audience = audience.filter(unit__in=unit_subtree_ids(scope.pk))
    totals_by_unit = dict(audience.order_by().values_list("unit_id").annotate(n=Count("pk")))
    completed_by_unit = dict(
        CourseCompletion.objects.filter(course=course, officer__in=audience.values("pk"))
        .order_by()
        .values_list("officer__unit_id")
        .annotate(n=Count("pk"))
    )
    # Everyone not yet completed is overdue once a required course's date has passed.
    past_due = is_overdue(course, False, today)
    names = Unit.objects.in_bulk([pk for pk in totals_by_unit if pk is not None])
    rows: dict[int | None, UnitRow] = {}
    totals = UnitRow(unit=None)
    for pk, total in totals_by_unit.items():
        completed = completed_by_unit.get(pk, 0)
        row = rows[pk] = UnitRow(
            unit=names.get(pk), total=total, completed=completed, overdue=(total - completed) if past_due else 0
        )
        totals.total += row.total
        totals.completed += row.completed
        totals.overdue += row.overdue
    ordered = sorted(rows.values(), key=lambda r: (r.unit is None, r.unit.name if r.unit else ""))
    selected = rows.get(unit_id) if unit_id is not None else None
    lesson_total = course_lessons(course).count()
    if all_officers or selected is not None:
        officers = audience if all_officers else audience.filter(unit_id=unit_id)
        for officer in _dashboard_officers(officers, course, past_due):
            rows[officer.unit_id].officers.append(officer)
    return {
        "course": course, "lesson_total": lesson_total, "units": ordered, "totals": totals, "selected": selected,
    }


def _dashboard_officers(officers: QuerySet[Officer], course: CoursePage, past_due: bool) -> list[Officer]:
    done = (
        LessonCompletion.objects.filter(officer=OuterRef("pk"), course=course, lesson__live=True)
        .order_by()
        .values("officer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    completion = CourseCompletion.objects.filter(officer=OuterRef("pk"), course=course)
    rows = list(
        officers.annotate(
            lessons_done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
            completed_at=Subquery(completion.values("completed_at")[:1]),
            completed_late=Subquery(completion.values("is_late")[:1]),
            study_seconds=Subquery(completion.values("study_seconds")[:1]),
        )
        .only("pk", "police_number", "name", "tier", "unit_id")
        .order_by("police_number")
    )
    for officer in rows:
        officer.is_overdue = past_due and officer.completed_at is None
    return rows


def dashboard_courses() -> list[CoursePage]:
    return list(CoursePage.objects.live().order_by("path"))


def course_for_dashboard(*, page_id: int) -> CoursePage:
    course = CoursePage.objects.prefetch_related("audience_units").filter(pk=page_id).first()
    if course is None:
        raise Http404
    return course


# --- certificates ---------------------------------------------------------


def certificate_for(*, officer, course_id: int) -> CourseCompletion:
    """The officer's own certificate; legal affairs staff may fetch anyone's by number."""
    completion = (
        CourseCompletion.objects.select_related("officer__unit", "course")
        .filter(officer=officer, course_id=course_id)
        .first()
    )
    if completion is None:
        raise Http404
    return completion


def unit_certificates(*, course: CoursePage, unit_id: int, scope: Unit | None) -> list[CourseCompletion]:
    """The certificates of a course earned by officers of one unit, by police number;
    a unit head asks only within their own unit and its squads (404 beyond)."""
    if scope is not None and unit_id not in unit_subtree_ids(scope.pk):
        raise Http404
    completions = list(
        CourseCompletion.objects.filter(course=course, officer__unit_id=unit_id)
        .select_related("officer__unit", "course")
        .order_by("officer__police_number")
    )
    if not completions:
        raise Http404
    return completions


def certificate_lookup(*, number: str) -> CourseCompletion | None:
    number = number.strip().upper()
    if not number:
        return None
    return CourseCompletion.objects.select_related("officer__unit", "course").filter(certificate_number=number).first()


def courses_with_certificates(*, pages) -> list[str]:
    """Titles of the courses, among these pages and beneath them, that have issued
    certificates (which must stay verifiable, so the course may not be deleted)."""
    q = Q()
    for page in pages:
        q |= Q(course__path__startswith=page.path)
    if not q:
        return []
    return list(
        CourseCompletion.objects.filter(q).values_list("course__title", flat=True).distinct().order_by("course__title")
    )


# --- training sessions ----------------------------------------------------


def session_year_figures(*, year: int) -> dict:
    """The year's figures per kind, as the bureau reports them."""
    sessions = TrainingSession.objects.filter(starts_at__year=year)
    counts = dict(sessions.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    attendances = dict(
        Attendance.objects.filter(session__starts_at__year=year)
        .values_list("session__kind")
        .annotate(n=Count("pk"))
        .values_list("session__kind", "n")
    )
    return {
        "year": year,
        "thematic": counts.get(SessionKind.THEMATIC, 0),
        "on_site": counts.get(SessionKind.ON_SITE, 0),
        "attendances": sum(attendances.values()),
        "thematic_attendances": attendances.get(SessionKind.THEMATIC, 0),
        "on_site_attendances": attendances.get(SessionKind.ON_SITE, 0),
    }


def sessions_list(*, year: int) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(starts_at__year=year)
        .select_related("trainer", "course")
        .prefetch_related("invited_units")
        .annotate(attendance_count=Count("attendances"))
        .order_by("-starts_at")
    )


def can_take_attendance(officer, session: TrainingSession) -> bool:
    """The session's own trainer, or a legal affairs reviewer (administrators included); by role, not unit."""
    return session.trainer_id == officer.pk or is_legal_affairs_reviewer(officer)


def session_for_trainer(*, officer, session_id: int) -> TrainingSession:
    session = TrainingSession.objects.select_related("trainer", "course").filter(pk=session_id).first()
    if session is None:
        raise Http404
    if not can_take_attendance(officer, session):
        raise PermissionDenied
    return session


def session_roster(*, session: TrainingSession) -> list[Officer]:
    """The invited officers, each marked with whether their attendance is recorded."""
    present = set(session.attendances.values_list("officer_id", flat=True))
    officers = list(
        Officer.objects.filter(is_active=True, unit__in=session.invited_units.all())
        .select_related("unit")
        .order_by("unit__name", "police_number")
    )
    for officer in officers:
        officer.is_present = officer.pk in present
    return officers


def attendance_removals(*, session: TrainingSession) -> QuerySet[AttendanceRemoval]:
    """Undone ticks of a session, newest first, with who was removed and by whom."""
    return session.attendance_removals.select_related("officer", "removed_by", "recorded_by").order_by("-removed_at")


def officer_attendances(*, officer) -> QuerySet[Attendance]:
    return Attendance.objects.filter(officer=officer).select_related("session").order_by("-recorded_at")


# --- for the points ranking ---------------------------------------------------


def lesson_completions_between(*, start: dt.datetime, end: dt.datetime) -> QuerySet[LessonCompletion]:
    """Lesson completions recorded in [start, end): the facts the points ranking reads."""
    return LessonCompletion.objects.filter(completed_at__gte=start, completed_at__lt=end).select_related("course")


def course_completions_between(*, start: dt.datetime, end: dt.datetime) -> QuerySet[CourseCompletion]:
    return CourseCompletion.objects.filter(completed_at__gte=start, completed_at__lt=end).select_related("course")


def attendances_between(*, start: dt.datetime, end: dt.datetime) -> QuerySet[Attendance]:
    """Attendance at sessions held in [start, end), whenever it was recorded."""
    return Attendance.objects.filter(session__starts_at__gte=start, session__starts_at__lt=end).select_related("session")


# --- lesson media -----------------------------------------------------------


def media_document(*, document_id: int):
    """The uploaded video or audio file behind a lesson's media block."""
    from wagtail.documents import get_document_model

    from .blocks import MEDIA_TYPES, media_extension

    document = get_document_model().objects.select_related("collection").filter(pk=document_id).first()
    if document is None or media_extension(document) not in MEDIA_TYPES:
        raise Http404
    return document


def media_content_type(document) -> str:
    from .blocks import MEDIA_TYPES, media_extension

    return MEDIA_TYPES[media_extension(document)]


def byte_range(header: str, size: int) -> tuple[int, int] | str | None:
    """The one byte range a `Range: bytes=…` header asks for, as (first, last)
    inclusive; None for the whole file (no header, or one this view does not serve
    in parts, like several ranges); "unsatisfiable" when it lies beyond the end."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":  # the last N bytes
            suffix = int(last)
            if suffix <= 0:
                return "unsatisfiable"
            return max(0, size - suffix), size - 1
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size:
        return "unsatisfiable"
    if end < start:
        return None
    return start, min(end, size - 1)


# --- yearly training hours (年度考核) ------------------------------------------


@dataclass
class OfficerYear:
    officer: Officer
    thematic: int = 0
    on_site: int = 0
    session_seconds: int = 0
    study_seconds: int = 0
    courses_completed: int = 0

    @property
    def attendances(self) -> int:
        return self.thematic + self.on_site

    @property
    def session_hours(self) -> float:
        return round(self.session_seconds / STUDY_HOUR_SECONDS, 1)

    @property
    def study_hours(self) -> float:
        return round(self.study_seconds / STUDY_HOUR_SECONDS, 1)

    @property
    def hours(self) -> float:
        return round((self.session_seconds + self.study_seconds) / STUDY_HOUR_SECONDS, 1)


@dataclass
class UnitYear:
    unit: Unit | None
    officers: int = 0
    attended: int = 0  # officers with at least one attendance
    attendances: int = 0
    seconds: int = 0

    @property
    def hours(self) -> float:
        return round(self.seconds / STUDY_HOUR_SECONDS, 1)

    @property
    def hours_per_officer(self) -> float:
        return round(self.seconds / STUDY_HOUR_SECONDS / self.officers, 1) if self.officers else 0.0


def training_year_report(*, year: int, scope: Unit | None = None) -> dict:
    """Each active officer's year (in the scope: a unit and its squads, or the bureau):
    sessions attended by kind, their hours (the sessions' length), time measured on
    lesson pages of lessons completed that year, courses completed; and the sums per
    unit. Four queries whatever the bureau's size."""
    officers = Officer.objects.filter(is_active=True).select_related("unit").order_by("unit__name", "police_number")
    if scope is not None:
        officers = officers.filter(unit__in=unit_subtree_ids(scope.pk))
    rows = {o.pk: OfficerYear(officer=o) for o in officers}
    start = dt.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    end = dt.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    for officer_id, kind, starts_at, ends_at in Attendance.objects.filter(
        officer_id__in=rows, session__starts_at__gte=start, session__starts_at__lt=end
    ).values_list("officer_id", "session__kind", "session__starts_at", "session__ends_at"):
        row = rows[officer_id]
        if kind == SessionKind.THEMATIC:
            row.thematic += 1
        else:
            row.on_site += 1
        row.session_seconds += int((ends_at - starts_at).total_seconds())
    for officer_id, seconds in (
        LessonCompletion.objects.filter(officer_id__in=rows, completed_at__gte=start, completed_at__lt=end)
        .order_by().values("officer_id").annotate(s=Sum("study_seconds")).values_list("officer_id", "s")
    ):
        rows[officer_id].study_seconds = seconds or 0
    for officer_id, count in (
        CourseCompletion.objects.filter(officer_id__in=rows, completed_at__gte=start, completed_at__lt=end)
        .order_by().values("officer_id").annotate(n=Count("pk")).values_list("officer_id", "n")
    ):
        rows[officer_id].courses_completed = count
    units: dict[int | None, UnitYear] = {}
    for row in rows.values():
        unit = units.setdefault(row.officer.unit_id, UnitYear(unit=row.officer.unit))
        unit.officers += 1
        unit.attendances += row.attendances
        unit.attended += 1 if row.attendances else 0
        unit.seconds += row.session_seconds + row.study_seconds
    return {
        "year": year,
        "officers": list(rows.values()),
        "units": sorted(units.values(), key=lambda u: (u.unit is None, u.unit.name if u.unit else "")),
    }


def returned_for_changes(*, page) -> tuple[str, str] | None:
    """(reviewer's name, comment) when the page's review workflow sent it back for changes."""
    from wagtail.models import TaskState, WorkflowState

    state = (
        WorkflowState.objects.for_instance(page).filter(status=WorkflowState.STATUS_NEEDS_CHANGES)
        .order_by("-created_at").first()
    )
    if state is None:
        return None
    rejected = (
        TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_REJECTED)
        .select_related("finished_by").order_by("-finished_at").first()
    )
    if rejected is None:
        return None
    who = getattr(rejected.finished_by, "name", "") or str(rejected.finished_by or "")
    return who, rejected.comment
