"""This app's part of `manage.py seed_demo`: idempotent, realistic, in Chinese.

Rule books for both tracks (version 1 in force from the start of the year), a
few manual awards and deductions entered and approved by two different
reviewers, the ledger posted from the demo's own tests, lessons, sessions and
shadowing logs (and case reviews, once installed), and the quarterly ranking
of each track published. On the officers' ranking 孙民警 (600001) objects that
his skills-competition award is missing; the legal affairs unit accepts, the
award is entered and approved, and a second version is issued.
"""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from officers.models import Officer

from .models import (
    ManualEntry,
    PointRule,
    RuleBook,
    RuleBookVersion,
    Track,
    VersionStatus,
)
from .periods import PeriodKind, period_containing

SCORE_BANDS = [
    {"min": 90, "points": 10}, {"min": 80, "points": 8}, {"min": 70, "points": 6},
    {"min": 60, "points": 4}, {"min": 0, "points": 0},
]
CASE_REVIEW_BANDS = [{"min": 90, "points": 10}, {"min": 75, "points": 6}, {"min": 60, "points": 3}, {"min": 0, "points": -2}]

COMMON_RULES = [
    ("quiz", "法律知识抽测成绩", "quiz_result", {"bands": SCORE_BANDS, "absent_points": "-5"}, None, None),
    ("case-review", "案件审核轮测成绩", "case_review", {"bands": CASE_REVIEW_BANDS}, None, None),
    ("required-course", "必修课程按期完成", "course_completion", {"on_time_points": "3", "late_points": "1"}, None, None),
    ("training-session", "参加专题培训、送教上门", "session_attendance", {"points": "2"}, "10", None),
    ("skills-award", "执法技能比武获奖", "manual", {"min_points": "1", "max_points": "20"}, None, None),
    ("enforcement-fault", "执法过错、案件被复议撤销", "manual", {"min_points": "-20", "max_points": "-1"}, None, "-30"),
]
OFFICER_RULES = COMMON_RULES + [
    ("shadowing-log", "带教记录（经新警确认）", "shadowing_log", {"points_per_log": "0.5", "monthly_cap": "5"}, None, None),
    ("sign-off", "新警按期出师", "mentorship_sign_off",
     {"mentor_on_time_points": "5", "mentor_late_points": "2", "recruit_points": "3"}, None, None),
]
MID_LEVEL_RULES = COMMON_RULES + [
    ("sign-off", "所带新警按期出师", "mentorship_sign_off", {"mentor_on_time_points": "5", "mentor_late_points": "2"}, None, None),
]
BOOKS = {
    Track.MID_LEVEL: ("中层干部执法质效积分排名办法", MID_LEVEL_RULES),
    Track.OFFICER: ("民警执法质效积分排名办法", OFFICER_RULES),
}

# (police number, rule code, points, days ago, reason)
MANUAL = [
    ("700003", "skills-award", "10", 40, "全市执法技能比武个人二等奖"),
    ("700017", "skills-award", "5", 35, "全市执法技能比武个人三等奖"),
    ("700018", "enforcement-fault", "-5", 30, "办理的治安案件被行政复议撤销（永政复决字〔2026〕第12号）"),
    ("700031", "enforcement-fault", "-3", 20, "询问笔录未经被询问人签名，执法检查通报"),
    ("500001", "skills-award", "8", 33, "组织所内执法技能比武获团体第一名"),
]
OBJECTION_AWARD = ("600001", "skills-award", "6", 38, "全市执法技能比武个人三等奖（异议复核后补录）")
OBJECTION_REASON = "我在本季度全市执法技能比武中获个人三等奖，积分明细中没有计入，请复核。"

EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def demo_period(today: dt.date | None = None):
    """The quarter the demo's facts fall in (its tests closed about four weeks ago)."""
    today = today or timezone.localdate()
    return period_containing(today - dt.timedelta(days=26), PeriodKind.QUARTER)


def _rule_books(approver) -> None:
    start = dt.date(demo_period().start.year, 1, 1)
    for track, (name, rules) in BOOKS.items():
        book, _created = RuleBook.objects.get_or_create(track=track, defaults={"name": name})
        if book.versions.exists():
            continue
        version = RuleBookVersion.objects.create(
            rule_book=book, number=1, effective_from=start, status=VersionStatus.IN_FORCE,
            summary="首次发布", approved_by=approver, approved_at=timezone.now(),
        )
        for order, (code, rule_name, kind, params, cap, floor) in enumerate(rules):
            rule = PointRule(version=version, code=code, name=rule_name, kind=kind, params=params,
                             period_cap=cap, period_floor=floor, sort_order=order)
            rule.full_clean()
            rule.save()


def _manual(spec, *, entered_by, approver) -> ManualEntry | None:
    from .services import manual_entry_create, manual_entry_decide

    number, code, points, days_ago, reason = spec
    officer = Officer.objects.filter(police_number=number).first()
    if officer is None:
        return None
    existing = ManualEntry.objects.filter(officer=officer, reason=reason).first()
    if existing:
        return existing
    entry = manual_entry_create(
        officer=officer, rule_code=code, points=Decimal(points),
        occurred_on=timezone.localdate() - dt.timedelta(days=days_ago), reason=reason,
        evidence=ContentFile(EVIDENCE_PDF, name="通报.pdf"), by=entered_by,
    )
    return manual_entry_decide(entry=entry, by=approver, approve=True, note="经核实，同意。")


def _publish(approver, entered_by, stdout) -> str:
    try:
        from publications.selectors import publication_current
        from publications.services import objection_accept, objection_file
    except ImportError:
        return "publications not installed: rankings not published"
    from .publications import number
    from .services import points_post, ranking_get_or_create, ranking_publish

    period = demo_period()
    notes = []
    for track in (Track.MID_LEVEL, Track.OFFICER):
        ranking = ranking_get_or_create(track=track, period_code=period.code)
        if publication_current(subject=ranking, kind="ranking") is None:
            ranking_publish(ranking=ranking, by=approver, note="季度通报")
        notes.append(f"{period.code} {track}")
    # The objection on the officers' ranking: accepted, corrected, a second version issued.
    ranking = ranking_get_or_create(track=Track.OFFICER, period_code=period.code)
    first = publication_current(subject=ranking, kind="ranking")
    objector = Officer.objects.filter(police_number=OBJECTION_AWARD[0]).first()
    if first is not None and first.version == 1 and objector is not None:
        objection = objection_file(publication=first, officer=objector, reason=OBJECTION_REASON)
        entry = _manual(OBJECTION_AWARD, entered_by=entered_by, approver=approver)
        points_post(track=Track.OFFICER, officer_ids=[objector.pk])
        objection_accept(objection=objection, by=approver,
                         response=f"经核实，比武获奖证书属实，已补录{number(entry.points)}分，发布第二版。")
        ranking_publish(ranking=ranking, by=approver, note="根据孙民警异议补录技能比武加分")
        notes.append("objection accepted, version 2")
    return ", ".join(notes)


def seed(*, stdout=None) -> None:
    from .services import points_post

    approver = Officer.objects.filter(police_number="100002").first()
    entered_by = Officer.objects.filter(police_number="000001").first()
    if approver is None or entered_by is None:
        return
    with transaction.atomic():
        _rule_books(approver)
        for spec in MANUAL:
            _manual(spec, entered_by=entered_by, approver=approver)
    result = points_post()
    published = _publish(approver, entered_by, stdout)
    if stdout:
        stdout.write(
            f"ranking: rule books for both tracks, ledger {result.posted} posted / {result.reversed} reversed, "
            f"{demo_period().code}: {published}\n"
        )
