"""This app's part of `manage.py seed_demo`: idempotent, realistic, in Chinese.

The curriculum, then eight mentorships at different stages, built through the
services so that every rule (limits, comments, sign-off) holds for demo data too.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from officers.models import Officer

from . import services
from .curriculum import curriculum_seed
from .models import Competency, LogStatus, Mentorship
from .services import ActivityEntry, LogEntry, RatingEntry

ACTIVITIES = [
    ("call", "接警：某小区邻里因噪音发生纠纷，到场调解"),
    ("call", "接警：商场内儿童走失，协助寻找并交还家属"),
    ("administrative", "殴打他人案，现场询问双方并调取监控"),
    ("administrative", "赌博案件，查处棋牌室聚众赌博"),
    ("criminal", "入户盗窃案，现场勘查并走访邻居"),
    ("criminal", "电信网络诈骗案，受案并开展止付"),
    ("dispute", "工地欠薪纠纷，联合劳动部门调处"),
    ("patrol", "夜间巡逻，盘查可疑车辆两辆"),
    ("administrative", "醉酒滋事，依法约束至酒醒"),
    ("criminal", "电动车被盗案，调取沿线视频锁定嫌疑人"),
]
BEST = [
    "询问报警人时条理清楚，能抓住时间、地点、人员等要素。",
    "现场主动开启执法记录仪，全程记录完整。",
    "对盗窃与抢夺的区别说得清楚，定性准确。",
    "笔录制作比上次规范，权利义务告知完整。",
    "处置纠纷时语气平和，双方情绪很快稳定下来。",
    "涉案财物登记清单与实物逐一核对，无差错。",
    "在系统中独立完成受案登记和受案回执。",
]
WORST = [
    "询问中提问顺序较乱，遗漏了作案工具的去向。",
    "现场照片缺少方位照，证据固定不够全面。",
    "对取保候审的条件表述不准确。",
    "笔录中个别语句与当事人原话不一致，需要当场核对。",
    "进入办案区前人身安全检查不够细致。",
    "文书用语不够规范，案由表述不准确。",
    "面对情绪激动的当事人时有些紧张，处置犹豫。",
]
PLANS = [
    "下个班次由徒弟主导一起简单行政案件的询问，师傅旁听把关。",
    "重点练习现场勘验照片的拍摄顺序和证据提取登记。",
    "复习《治安管理处罚法》关于殴打他人的条款，下次班前抽问。",
    "在执法办案系统中做一次模拟办案，从受案到处罚决定全流程。",
    "跟办一起刑事案件的传唤和讯问，重点关注时限。",
]
REMEDIAL = [("询问笔录要素与权利告知", 30), ("现场方位照、概貌照的拍摄", 20), ("强制措施适用条件", 25)]
LOW_COMMENT = "多次提醒后仍未掌握要点，需要针对性辅导。"
HIGH_COMMENT = "表现突出，可作为同批新警的示范。"

# (station index in officers.demo.STATIONS, days since start, logs, stage)
# Demo mentors are police numbers 700004+14k, recruits 700006+14k (see officers/demo.py).
STAGES = [
    ("300001", "400001", 45, 14, "active"),
    ("700004", "700006", 10, 2, "new"),
    ("700018", "700020", 30, 6, "silent"),
    ("700032", "700034", 40, 10, "struggling"),
    ("700046", "700048", 100, 24, "extended"),
    ("700060", "700062", 120, 30, "signed_off"),
    ("700074", "700076", 50, 8, "ended_early"),
    ("700088", "700090", 95, 26, "awaiting_approval"),
]


def _entry(rng, *, day, index, total, competencies, stage, rate_all=False) -> LogEntry:
    progress = (index + 1) / total
    base = 3 + 2.5 * progress if stage != "struggling" else 3.9
    if rate_all:
        chosen = competencies
    else:
        chosen = rng.sample(competencies[:-1], k=rng.randint(3, 6))
    if stage == "struggling" and index >= total - 3:
        interviewing = next(c for c in competencies if c.name == "询问讯问与笔录制作")
        if interviewing not in chosen:
            chosen = [*chosen, interviewing]
    simulation = index % 5 == 4
    if simulation and competencies[-1] not in chosen:
        chosen = [*chosen, competencies[-1]]
    ratings = {}
    for competency in chosen:
        if not rate_all and rng.random() < 0.1:
            ratings[competency.pk] = RatingEntry(rating=None)
            continue
        value = round(base + rng.uniform(-1, 1))
        if rate_all:
            value = max(value, 4)
        if stage == "struggling" and competency.name == "询问讯问与笔录制作" and index >= total - 3:
            value = rng.choice([2, 3])
        value = max(1, min(7, value))
        comment = LOW_COMMENT if value < 3 else HIGH_COMMENT if value > 6 else ""
        ratings[competency.pk] = RatingEntry(rating=value, comment=comment)
    night = rng.random() < 0.25
    kind, summary = rng.choice(ACTIVITIES)
    activities = [] if simulation else [
        ActivityEntry(
            kind=kind,
            part=rng.choice(["observed", "assisted", "led"] if progress > 0.4 else ["observed", "assisted"]),
            case_number=f"A3307845{day:%Y%m%d}{rng.randint(100, 999)}" if kind in ("administrative", "criminal") else "",
            summary=summary,
        )
    ]
    return LogEntry(
        date=day,
        start_time=dt.time(20, 0) if night else dt.time(8, 30),
        end_time=dt.time(8, 0) if night else dt.time(17, 30),
        best=("模拟办案：" if simulation else "") + rng.choice(BEST),
        worst=rng.choice(WORST),
        next_plan=rng.choice(PLANS),
        is_simulation=simulation,
        not_responding=stage == "struggling" and index == total - 1,
        activities=activities,
        ratings=ratings,
        remedials=[rng.choice(REMEDIAL)] if rng.random() < 0.3 or stage == "struggling" else [],
    )


def _correct(log, *, mentor):
    """The mentor corrects a submitted log (a later end, one rating changed): version 2."""
    ratings = {r.competency_id: RatingEntry(rating=r.rating, comment=r.comment) for r in log.ratings.all()}
    rated = next((cid for cid, r in ratings.items() if r.rating is not None), None)
    if rated is not None:
        ratings[rated] = RatingEntry(rating=5 if ratings[rated].rating != 5 else 4, comment=ratings[rated].comment)
    end = (dt.datetime.combine(log.date, log.end_time) + dt.timedelta(minutes=30)).time()
    entry = LogEntry(
        date=log.date, start_time=log.start_time, end_time=end if end > log.start_time else log.end_time,
        best=log.best, worst=log.worst + "另：询问笔录未让当事人逐页签名确认。", next_plan=log.next_plan,
        is_simulation=log.is_simulation, not_responding=log.not_responding,
        activities=[ActivityEntry(kind=a.kind, part=a.part, case_number=a.case_number, summary=a.summary)
                    for a in log.activities.all()],
        ratings=ratings,
        remedials=[(r.topic, r.minutes) for r in log.remedials.all()],
    )
    return services.shadowing_log_update(log=log, author=mentor, entry=entry, base_version=log.version)


def _object(log, *, mentor, recruit):
    """The recruit objects to a log and the mentor answers: the thread stays with the log."""
    objection = services.log_objection_raise(
        log=log, recruit=recruit,
        reason="当天的盘查是我独立完成的，记录写成“协助”，与实际不符。",
    )
    services.log_objection_answer(
        objection=objection, by=mentor,
        answer="核实执法记录仪视频后确认：盘查由你独立完成，已在补充说明中更正，评分不变。",
    )


def _date_to_the_shifts(mentorship):
    """Seeding writes every log at once: date each log's submission, versions, reading,
    objection and addenda to the evening after its shift, as a real record would be."""
    from .models import LogAddendum, LogObjection, LogVersion, ShadowingLog

    now = timezone.now()
    for log in ShadowingLog.objects.filter(mentorship=mentorship):
        submitted = min(timezone.make_aware(dt.datetime.combine(log.date, dt.time(20, 30))), now)
        ShadowingLog.objects.filter(pk=log.pk).update(
            submitted_at=submitted, updated_at=min(submitted + dt.timedelta(hours=12 * (log.version - 1)), now),
            acknowledged_at=min(submitted + dt.timedelta(hours=12 * log.version), now) if log.acknowledged_at else None,
        )
        for version in LogVersion.objects.filter(log=log):
            LogVersion.objects.filter(pk=version.pk).update(
                created_at=submitted + dt.timedelta(hours=12 * (version.number - 1))
            )
        LogObjection.objects.filter(log=log).update(raised_at=submitted + dt.timedelta(days=1))
        LogObjection.objects.filter(log=log, answered_at__isnull=False).update(
            answered_at=submitted + dt.timedelta(days=1, hours=3)
        )
        LogAddendum.objects.filter(log=log).update(created_at=submitted + dt.timedelta(days=1, hours=4))


def _build(rng, *, mentor, recruit, admin, days, count, stage, competencies, today):
    started = today - dt.timedelta(days=days)
    mentorship = services.mentorship_assign(recruit=recruit, mentor=mentor, assigned_by=admin, started_on=started)
    last_day = today - dt.timedelta(days={"silent": 10, "ended_early": 20, "signed_off": 25}.get(stage, 1))
    span = (last_day - started).days
    days_of = sorted({started + dt.timedelta(days=round(span * (i + 1) / count)) for i in range(count)})
    finishing = stage in ("signed_off", "awaiting_approval")
    logs = []
    for index, day in enumerate(days_of):
        entry = _entry(
            rng, day=day, index=index, total=len(days_of), competencies=competencies, stage=stage,
            rate_all=finishing and index == len(days_of) - 1,
        )
        logs.append(services.shadowing_log_submit(mentorship=mentorship, author=mentor, entry=entry))
    keep_open = {"active": 1, "new": 1, "struggling": 1}.get(stage, 0)
    if stage in ("active", "signed_off") and len(logs) >= 3:
        # A corrected log with its versions, and an objection answered (in the record PDF too).
        logs[1] = _correct(logs[1], mentor=mentor)
        if stage == "active":  # the recruit read the latest log, then the mentor corrected it
            services.log_mark_read(log=logs[-1], officer=recruit)
            logs[-1] = _correct(logs[-1], mentor=mentor)
    for log in logs[: len(logs) - keep_open]:
        services.shadowing_log_acknowledge(
            log=log, recruit=recruit, version=log.version, comment="已阅，明白了。" if rng.random() < 0.3 else ""
        )
    if stage in ("active", "signed_off") and len(logs) >= 3:
        _object(logs[1], mentor=mentor, recruit=recruit)
        services.log_addendum_add(log=logs[1], author=mentor, text="补充：该次盘查由新警独立完成（见异议答复）。")
    if stage == "active":
        services.log_addendum_add(
            log=logs[0], author=mentor, text="补充：当日案件的受案登记号已在系统中更正，特此说明。"
        )
        for competency in competencies[:4]:
            try:
                services.competency_sign_off(mentorship=mentorship, competency=competency, by=mentor)
            except Exception:  # noqa: BLE001 — a low latest rating just leaves it unsigned
                pass
    if finishing:
        for competency in competencies:
            services.competency_sign_off(mentorship=mentorship, competency=competency, by=mentor)
        services.final_sign_off_propose(mentorship=mentorship, by=mentor)
    if stage == "signed_off":
        services.final_sign_off_approve(
            mentorship=mentorship, by=admin,
            opinion="经审核，该新警跟班期间各培训项目均经带教民警签字确认，带教记录完整，同意出师。",
        )
        services.recruit_promote(mentorship=mentorship, by=admin)
        services.mentor_evaluation_submit(
            mentorship=mentorship, recruit=recruit, teaching=5, availability=4, fairness=5,
            comment="师傅讲解细致，每次班后都指出问题并示范，受益很大。",
        )
    if finishing:
        # Date the sign-offs to the end of the shadowing rather than to the day of seeding.
        signed_at = timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(10)))
        mentorship.signoffs.update(signed_at=signed_at)
        Mentorship.objects.filter(pk=mentorship.pk).update(final_proposed_at=signed_at)
        if stage == "signed_off":
            approved = signed_at + dt.timedelta(days=2)
            Mentorship.objects.filter(pk=mentorship.pk).update(
                final_approved_at=approved, promoted_at=approved, ended_on=approved.date()
            )
    _date_to_the_shifts(mentorship)
    if stage == "extended":
        services.mentorship_extend(mentorship=mentorship, by=admin, planned_end_on=today + dt.timedelta(days=30))
    if stage == "ended_early":
        services.mentorship_end_early(
            mentorship=mentorship, by=admin, reason="该新警因工作需要调整至指挥中心，跟班培训提前结束。"
        )
    return mentorship


@transaction.atomic
def seed(*, stdout=None) -> None:
    """The curriculum and eight demo mentorships; mentorships that exist are left alone."""
    curriculum_seed()
    competencies = list(Competency.objects.filter(is_active=True))
    today = timezone.localdate()
    admin = Officer.objects.get(police_number="000001")
    rng = random.Random(5)
    made = 0
    for mentor_no, recruit_no, days, count, stage in STAGES:
        people = {o.police_number: o for o in Officer.objects.filter(police_number__in=[mentor_no, recruit_no])}
        if len(people) < 2 or Mentorship.objects.filter(recruit=people[recruit_no]).exists():
            continue
        _build(
            rng, mentor=people[mentor_no], recruit=people[recruit_no], admin=admin, days=days,
            count=count, stage=stage, competencies=competencies, today=today,
        )
        made += 1
    if stdout:
        stdout.write(
            f"mentoring: {len(competencies)} competencies, {made} new mentorships, "
            f"{Mentorship.objects.count()} in all; "
            f"{Mentorship.objects.filter(logs__status=LogStatus.SUBMITTED).distinct().count()} with logs to acknowledge"
        )
