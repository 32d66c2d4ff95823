"""This app's part of `manage.py seed_demo`: idempotent, realistic, in Chinese.

The hall with four courses and ten lessons using every block type, the review
workflow (a lesson awaits the reviewer), two training sessions with attendance,
and some progress of other officers so the dashboards have something to show.
"""

import datetime as dt
import io
import random
import uuid
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image

from officers.models import Officer, Unit
from officers.pdf import render_pdf
from officers.roles import Role, Tier

from .models import (
    Attendance,
    AttendanceMethod,
    CourseCompletion,
    CoursePage,
    Law,
    LawVersion,
    LessonCompletion,
    LessonPage,
    SessionKind,
    TrainingSession,
)
from .selectors import audience_q
from .services import REVIEWERS_GROUP, WORKFLOW_NAME, lecture_hall_ensure
from .study import required_seconds

MEDIA_DIR = Path(__file__).resolve().parent / "demo_media"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _b(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def _text(html):
    return _b("text", html)


def _provision(law, article, text, effective="2018-10-26"):
    version = _CITED_VERSIONS.get(law)
    return _b("provision", {"law_name": law, "article": article, "text": text, "effective_on": effective,
                            "law_version": version.pk if version else None})


# 法律法规库: the versions the demo's lessons and questions cite. The 2012 text of the
# 治安管理处罚法 was replaced by the 2025 revision (in force 2026-01-01), so the
# lessons and questions citing it are listed for review.
_CITED_VERSIONS: dict = {}


def _laws() -> None:
    catalogue = [
        ("中华人民共和国治安管理处罚法", "治安管理处罚法", [("2012年修正", dt.date(2013, 1, 1)), ("2025年修订", dt.date(2026, 1, 1))]),
        ("中华人民共和国刑事诉讼法", "刑事诉讼法", [("2018年修正", dt.date(2018, 10, 26))]),
        ("公安机关涉案财物管理若干规定", "", [("2015年修订", dt.date(2015, 9, 1))]),
    ]
    for name, short_name, versions in catalogue:
        law, _created = Law.objects.get_or_create(name=name, defaults={"short_name": short_name})
        made = [
            LawVersion.objects.get_or_create(law=law, label=label, defaults={"effective_on": effective_on})[0]
            for label, effective_on in versions
        ]
        for older, newer in zip(made, made[1:], strict=False):
            if older.superseded_by_id is None:
                older.superseded_by = newer
                older.full_clean()
                older.save(update_fields=["superseded_by"])
        _CITED_VERSIONS[name] = made[0]
    bank_questions_cite_laws()


def bank_questions_cite_laws() -> None:
    """Bank questions whose legal basis names a catalogued law cite the version the
    demo's lessons cite (the assessments demo calls this again once its bank is in)."""
    from assessments.models import Question

    for law in Law.objects.all():
        version = law.versions.order_by("effective_on").first()
        short = law.name.removeprefix("中华人民共和国")
        Question.objects.filter(legal_basis__contains=short, law_version__isnull=True).update(law_version=version)


def _case(title, facts, issue, analysis, conclusion):
    return _b("case_study", {"title": title, "facts": facts, "issue": issue, "analysis": f"<p>{analysis}</p>", "conclusion": conclusion})


def _question(prompt, options, correct, explanation=""):
    return _b("question", {
        "prompt": prompt,
        "options": [{"text": o, "is_correct": i in correct} for i, o in enumerate(options)],
        "explanation": explanation,
    })


def _check(*questions, pass_percent=100, title="课后小测"):
    return _b("knowledge_check", {"title": title, "pass_percent": pass_percent, "questions": list(questions)})


def _bank(question):
    return _b("bank_question", question.pk)


BANK_STEM = "取保候审保证金的起点数额为人民币一千元。"


def _bank_question():
    """A true/false question of the assessments bank for a lesson's check.

    The assessments demo seeds its bank after the lessons, so the question (and its
    category path) is made here through the bank's own services, exactly as that
    demo would make it: its seed then finds it and adds no duplicate.
    """
    from assessments.models import Category, Question, QuestionType
    from assessments.services import category_save, question_create

    parent = None
    for name in ("刑事诉讼", "强制措施"):
        parent = Category.objects.filter(name=name, parent=parent).first() or category_save(
            category=Category(name=name, parent=parent)
        )
    question = Question.objects.filter(category=parent, stem=BANK_STEM).first()
    if question is None:
        basis = "《公安机关办理刑事案件程序规定》第一百零六条"
        question = question_create(question=Question(
            category=parent, type=QuestionType.TRUE_FALSE, stem=BANK_STEM, answer="T", difficulty="medium",
            legal_basis=basis, explanation=f"依照{basis}，{BANK_STEM}",
        ))
    return question


# --- media ------------------------------------------------------------------


def _document(title, filename, data) -> Document:
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title)
        document.file.save(filename, ContentFile(data), save=False)
        document.save()
    return document


def _image() -> Image:
    title = "取保候审办理流程图"
    image = Image.objects.filter(title=title).first()
    if image:
        return image
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    canvas = PILImage.new("RGB", (960, 300), "#ffffff")
    draw = ImageDraw.Draw(canvas)
    try:
        font = ImageFont.truetype(FONT, 26)
        small = ImageFont.truetype(FONT, 18)
    except OSError:
        font = small = ImageFont.load_default()
    steps = ["提出申请", "审查条件", "决定取保", "宣布执行", "定期回访"]
    for i, step in enumerate(steps):
        x = 20 + i * 190
        draw.rounded_rectangle([x, 100, x + 160, 180], radius=14, fill="#e8eef8", outline="#1f4e9c", width=3)
        draw.text((x + 80, 140), step, font=font, fill="#163a75", anchor="mm")
        if i < len(steps) - 1:
            draw.line([x + 162, 140, x + 188, 140], fill="#1f4e9c", width=4)
    draw.text((480, 50), "取保候审办理流程（公安机关）", font=font, fill="#1b1f24", anchor="mm")
    draw.text((480, 240), "执行期间：保证人监督、保证金专户管理、违反规定依法处理", font=small, fill="#545b66", anchor="mm")
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    image = Image(title=title, file=ImageFile(out, name="qubao-flow.png"))
    image.save()
    return image


def _media():
    handout_pdf = render_pdf("lessons/pdf/handout.html", {}) if not Document.objects.filter(title="行政案件办理程序要点（讲义）").exists() else b""
    return {
        "handout": _document("行政案件办理程序要点（讲义）", "handout-admin-cases.pdf", handout_pdf),
        "video": _document("执法办案规范示范视频", "demo-video.webm", (MEDIA_DIR / "demo-video.webm").read_bytes()),
        "audio": _document("刑事证据规则讲座录音", "demo-audio.webm", (MEDIA_DIR / "demo-audio.webm").read_bytes()),
        "image": _image(),
    }


# --- content ----------------------------------------------------------------

CRIMINAL_PROCEDURE_LAW = "中华人民共和国刑事诉讼法"
ADMIN_PENALTY_LAW = "中华人民共和国治安管理处罚法"


def _courses(media, bank_question):
    handout = _b("handout", {"document": media["handout"].pk, "description": "本课程讲义，可下载打印。"})
    video = _b("media", {"file": media["video"].pk, "play_as": "auto", "caption": "示范视频：现场执法规范用语", "transcript": "民警到达现场后，应首先表明身份，出示工作证件……"})
    audio = _b("media", {"file": media["audio"].pk, "play_as": "audio", "caption": "讲座录音：非法证据排除规则", "transcript": "各位同事，今天我们讲非法证据排除……"})
    image = _b("image", {"image": media["image"].pk, "caption": "图：取保候审办理流程"})
    return [
        {
            "slug": "admin-case-procedure", "title": "行政案件办理程序",
            "summary": "受案、调查取证、告知、处罚决定与执行：治安行政案件办理的全流程规范。",
            "is_required": True, "due_on": dt.date(2026, 12, 31), "audience_roles": [Role.LEGAL_OFFICER], "audience_tiers": [],
            "lessons": [
                ("受案与立案", "受案登记、受案回执与管辖", [
                    _text("<p>公安机关对报案、控告、举报、群众扭送或者违法嫌疑人投案，以及其他国家机关移送的案件，应当及时受理，制作受案登记表，并出具受案回执。</p><h3>要点</h3><ul><li>当场受案，不得推诿</li><li>受案回执交报案人</li><li>不属于本单位管辖的，及时移送</li></ul>"),
                    _provision(ADMIN_PENALTY_LAW, "第七十七条", "公安机关对报案、控告、举报或者违反治安管理行为人主动投案，以及其他行政主管部门、司法机关移送的违反治安管理案件，应当及时受理，并进行登记。", "2013-01-01"),
                    handout,
                    _check(_question("对群众的报案，公安机关应当如何处理？", ["及时受理并登记", "告知其到其他部门报案", "视情况决定是否登记"], {0}, "治安管理处罚法第七十七条规定应当及时受理并登记。")),
                ]),
                ("调查取证与告知", "询问、检查、证据保全与处罚前告知", [
                    _text("<p>询问违反治安管理行为人，应当在公安机关的办公场所、违法嫌疑人住处或所在单位进行。询问笔录应当交被询问人核对。</p>"),
                    _provision(ADMIN_PENALTY_LAW, "第九十四条", "公安机关作出治安管理处罚决定前，应当告知违反治安管理行为人作出治安管理处罚的事实、理由及依据，并告知违反治安管理行为人依法享有的权利。", "2013-01-01"),
                    video,
                    _case("未履行告知程序被撤销的处罚决定", "某派出所对一起殴打他人案件作出罚款决定，但卷宗中没有处罚前告知笔录。", "未履行处罚前告知程序的处罚决定是否合法？", "处罚前告知是法定程序，直接关系当事人陈述、申辩权利的行使。缺少告知，属于违反法定程序。", "该处罚决定因程序违法被复议机关撤销；办案单位应当重新履行告知程序后再作决定。"),
                    _check(
                        _question("作出治安管理处罚决定前，必须告知当事人哪些内容？", ["处罚的事实、理由及依据", "依法享有的权利", "办案民警的家庭住址"], {0, 1}),
                        _question("询问笔录应当交被询问人核对。", ["正确", "错误"], {0}),
                    ),
                ]),
                ("处罚决定与执行", "决定书的制作、送达与罚款执行", [
                    _text("<p>治安管理处罚决定书应当载明被处罚人的基本情况、违法事实和证据、处罚的种类和依据、执行方式和期限、救济途径等内容。</p>"),
                    _provision(ADMIN_PENALTY_LAW, "第九十七条", "公安机关应当向被处罚人宣告治安管理处罚决定书，并当场交付被处罚人；无法当场向被处罚人宣告的，应当在二日内送达被处罚人。", "2013-01-01"),
                    _check(_question("无法当场宣告的处罚决定书，应当在几日内送达？", ["二日", "五日", "七日"], {0}, "治安管理处罚法第九十七条。")),
                ]),
            ],
        },
        {
            "slug": "coercive-measures", "title": "刑事强制措施",
            "summary": "拘传、取保候审、监视居住、拘留、逮捕的适用条件与执行规范。",
            "is_required": True, "due_on": dt.date(2026, 11, 15), "audience_roles": [], "audience_tiers": [Tier.OFFICER, Tier.MID_LEVEL],
            "lessons": [
                ("取保候审的适用条件", "什么情形可以取保候审", [
                    _text("<p>取保候审是刑事诉讼中最常用的非羁押性强制措施。本讲结合刑事诉讼法第六十七条，讲解取保候审的适用条件。</p>"),
                    _provision(CRIMINAL_PROCEDURE_LAW, "第六十七条", "人民法院、人民检察院和公安机关对有下列情形之一的犯罪嫌疑人、被告人，可以取保候审：（一）可能判处管制、拘役或者独立适用附加刑的；（二）可能判处有期徒刑以上刑罚，采取取保候审不致发生社会危险性的；……"),
                    image,
                    _check(_question("取保候审最长不得超过多久？", ["六个月", "十二个月", "二十四个月"], {1}, "刑事诉讼法第七十九条：取保候审最长不得超过十二个月。")),
                ]),
                ("取保候审的执行", "保证人、保证金与被取保候审人的义务", [
                    _text("<p>取保候审由公安机关执行。被取保候审人应当遵守刑事诉讼法第七十一条规定的义务，违反规定的，已交纳保证金的没收部分或者全部保证金。</p>"),
                    _provision(CRIMINAL_PROCEDURE_LAW, "第七十一条", "被取保候审的犯罪嫌疑人、被告人应当遵守以下规定：（一）未经执行机关批准不得离开所居住的市、县；（二）住址、工作单位和联系方式发生变动的，在二十四小时以内向执行机关报告；……"),
                    _case("被取保候审人擅自离开居住地", "犯罪嫌疑人张某被取保候审期间，未经批准前往外省务工。", "执行机关应当如何处理？", "张某违反了刑事诉讼法第七十一条规定的义务，执行机关可以没收部分或者全部保证金，并区别情形责令具结悔过、重新交纳保证金、提出保证人，或者监视居住、予以逮捕。", "依法没收部分保证金，责令具结悔过并重新交纳保证金。"),
                    _check(
                        _question("被取保候审人住址变动，应当在多长时间内报告？", ["二十四小时", "三日", "七日"], {0}),
                        _bank(bank_question),
                    ),
                ]),
                ("监视居住与拘留", "指定居所监视居住与刑事拘留的期限", [
                    _text("<p>监视居住适用于符合逮捕条件但具有特殊情形的犯罪嫌疑人。对于取保候审、监视居住的区别，本讲作对比说明。</p>"),
                    _provision(CRIMINAL_PROCEDURE_LAW, "第七十四条", "人民法院、人民检察院和公安机关对符合逮捕条件，有下列情形之一的犯罪嫌疑人、被告人，可以监视居住：……"),
                ]),
            ],
        },
        {
            "slug": "criminal-evidence", "title": "刑事证据规则",
            "summary": "证据的种类、收集与审查，非法证据排除规则。",
            "is_required": False, "due_on": None, "audience_roles": [], "audience_tiers": [],
            "lessons": [
                ("证据的种类与收集", "八类法定证据与收集要求", [
                    _text("<p>可以用于证明案件事实的材料，都是证据。证据包括物证、书证、证人证言、被害人陈述、犯罪嫌疑人供述和辩解、鉴定意见、勘验检查笔录、视听资料与电子数据。</p>"),
                    _provision(CRIMINAL_PROCEDURE_LAW, "第五十条", "可以用于证明案件事实的材料，都是证据。证据必须经过查证属实，才能作为定案的根据。"),
                ]),
                ("非法证据排除", "哪些证据应当排除", [
                    audio,
                    _provision(CRIMINAL_PROCEDURE_LAW, "第五十六条", "采用刑讯逼供等非法方法收集的犯罪嫌疑人、被告人供述和采用暴力、威胁等非法方法收集的证人证言、被害人陈述，应当予以排除。"),
                    _check(_question("采用刑讯逼供取得的供述应当如何处理？", ["予以排除", "补强后使用", "由办案民警决定"], {0})),
                ]),
            ],
        },
        {
            "slug": "property-management", "title": "涉案财物管理",
            "summary": "涉案财物的登记、保管、移交与处置，以及取保候审保证金的管理。",
            "is_required": False, "due_on": None, "audience_roles": [], "audience_tiers": [],
            "lessons": [
                ("涉案财物的登记与保管", "一案一账、专库保管", [
                    _text("<p>涉案财物实行“一案一账、专人管理、集中保管”。办案民警不得自行保管涉案财物，取保候审保证金应当存入专户。</p>"),
                    _provision("公安机关涉案财物管理若干规定", "第十条", "公安机关应当设立或者指定账户，作为本机关涉案款项管理的唯一合规账户。", "2015-09-01"),
                    _check(_question("办案民警可以自行保管涉案财物。", ["正确", "错误"], {1})),
                ]),
                ("涉案财物的处置", "返还、没收与移送", [
                    _text("<p>对于权属明确、不影响诉讼的被害人合法财产，应当及时返还。处置应当经审批并留存凭证。</p>"),
                ]),
            ],
        },
    ]


def _publish(page):
    page.save_revision().publish()


def _content(hall, media, trainer) -> list[CoursePage]:
    courses = []
    for spec in _courses(media, _bank_question()):
        course = CoursePage.objects.filter(slug=spec["slug"]).first()
        if course is None:
            course = CoursePage(
                title=spec["title"], slug=spec["slug"], summary=spec["summary"],
                is_required=spec["is_required"], due_on=spec["due_on"],
                audience_roles=[str(r) for r in spec["audience_roles"]],
                audience_tiers=[str(t) for t in spec["audience_tiers"]],
                owner=trainer,
            )
            hall.add_child(instance=course)
            _publish(course)
            for index, (title, summary, body) in enumerate(spec["lessons"], start=1):
                lesson = LessonPage(
                    title=f"第{index}讲 {title}", slug=f"{spec['slug']}-{index}", summary=summary,
                    minutes=random.Random(index).choice([15, 20, 25, 30]), body=body, owner=trainer,
                )
                course.add_child(instance=lesson)
                _publish(lesson)
        courses.append(course)
    return courses


# What Wagtail's own migrations name the site's root page and the default workflow
# (and its one task): English in the admin's page tree, breadcrumbs and workflow list.
WAGTAIL_ROOT_TITLE = "Welcome to your new Wagtail site!"
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"
ROOT_TITLE = "执法培训平台首页"
DEFAULT_WORKFLOW = "默认发布审核"
DEFAULT_TASK = "审核员审核"


def _wagtail_defaults_in_chinese():
    """Rename what Wagtail created with English names, only while they keep them."""
    from wagtail.models import Page, Task, Workflow

    for root in Page.objects.filter(depth=2, title=WAGTAIL_ROOT_TITLE):
        root.title = root.draft_title = ROOT_TITLE
        root.save(update_fields=["title", "draft_title"])
    Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).update(name=DEFAULT_WORKFLOW)
    Task.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).update(name=DEFAULT_TASK)


def _workflow_example(course, trainer):
    """A lesson the trainer submitted, awaiting the legal affairs reviewer."""
    from wagtail.models import Workflow

    if LessonPage.objects.filter(slug="admin-case-procedure-hearing").exists():
        return
    lesson = LessonPage(
        title="第4讲 听证程序（待审核）", slug="admin-case-procedure-hearing", live=False, owner=trainer,
        summary="吊销许可证、较大数额罚款等案件的听证程序。",
        body=[_text("<p>公安机关作出吊销许可证以及处二千元以上罚款的治安管理处罚决定前，应当告知违反治安管理行为人有权要求举行听证。</p>")],
    )
    course.add_child(instance=lesson)
    revision = lesson.save_revision(user=trainer)
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    workflow.start(lesson, trainer)
    return revision


def _progress(courses, rng):
    """Other legal officers' progress on the first required course, for the dashboard."""
    course = courses[0]
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    officers = list(
        Officer.objects.filter(groups__name=Role.LEGAL_OFFICER, police_number__gte="700000").order_by("police_number")
    )
    now = timezone.now()
    existing = set(LessonCompletion.objects.filter(course=course).values_list("officer_id", "lesson_id"))
    rows, done_course = [], []
    for officer in officers:
        count = rng.choice([0, 1, 2, len(lessons), len(lessons)])
        for lesson in lessons[:count]:
            if (officer.pk, lesson.pk) not in existing:
                rows.append(LessonCompletion(
                    officer=officer, lesson=lesson, course=course, completed_at=now - dt.timedelta(days=rng.randint(1, 20)),
                    # what the page's heartbeat measured: the minimum, or some minutes more
                    study_seconds=required_seconds(lesson) + rng.randint(0, 600),
                ))
        if count == len(lessons):
            done_course.append(officer)
    LessonCompletion.objects.bulk_create(rows)
    have = set(CourseCompletion.objects.filter(course=course).values_list("officer_id", flat=True))
    for officer in done_course:
        if officer.pk not in have:
            CourseCompletion.objects.create(
                officer=officer, course=course, completed_at=now - dt.timedelta(days=1),
                study_seconds=sum(
                    LessonCompletion.objects.filter(officer=officer, course=course).values_list("study_seconds", flat=True)
                ),
                lesson_count=len(lessons),
                checks_passed=sum(len(lesson.knowledge_checks) for lesson in lessons),
                due_on=course.due_on,
            )


def _late_completions(course, count: int = 2):
    """A few officers who finished a required course after its due date (逾期完成), so
    the dashboard and its export show one. Only once the due date has passed."""
    if not course.due_on:
        return
    now = timezone.now()
    due_end = timezone.make_aware(dt.datetime.combine(course.due_on, dt.time(23, 59)))
    if now < due_end + dt.timedelta(days=2):
        return  # nothing can have been finished late yet
    completed_at = min(due_end + dt.timedelta(days=3), now - dt.timedelta(hours=1))
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    officers = (
        Officer.objects.filter(audience_q(course), police_number__gte="700000")
        .exclude(course_completions__course=course)
        .order_by("police_number")
    )
    if CourseCompletion.objects.filter(course=course, is_late=True).exists():
        return
    for officer in officers[:count]:
        seconds = 0
        for lesson in lessons:
            completion, _created = LessonCompletion.objects.get_or_create(
                officer=officer, lesson=lesson,
                defaults={"course": course, "completed_at": completed_at, "study_seconds": required_seconds(lesson)},
            )
            seconds += completion.study_seconds
        CourseCompletion.objects.create(
            officer=officer, course=course, completed_at=completed_at, study_seconds=seconds,
            lesson_count=len(lessons), checks_passed=sum(len(lesson.knowledge_checks) for lesson in lessons),
            due_on=course.due_on, is_late=True,
        )


def _sessions(courses, trainer, rng):
    units = {u.name: u for u in Unit.objects.all()}
    now = timezone.now()
    specs = [
        {"kind": SessionKind.THEMATIC, "topic": "取保候审、监视居住适用实务专题培训", "place": "局机关三楼大会议室",
         "starts_at": now - dt.timedelta(days=14, hours=2), "course": courses[1],
         "units": [n for n in units if n.endswith("派出所")][:8]},
        {"kind": SessionKind.ON_SITE, "topic": "送教上门：行政案件办理常见问题", "place": "东城派出所二楼会议室",
         "starts_at": now - dt.timedelta(minutes=30), "course": courses[0], "units": ["东城派出所"]},
    ]
    for spec in specs:
        session = TrainingSession.objects.filter(topic=spec["topic"]).first()
        if session is None:
            session = TrainingSession.objects.create(
                kind=spec["kind"], topic=spec["topic"], place=spec["place"], trainer=trainer, course=spec["course"],
                starts_at=spec["starts_at"], ends_at=spec["starts_at"] + dt.timedelta(hours=3),
            )
            session.invited_units.set([units[n] for n in spec["units"] if n in units])
        if session.attendances.exists():
            continue  # seeded before: leave the roll as it is
        # The demo legal officer is left out so the demo can check in with the code.
        invited = Officer.objects.filter(unit__in=session.invited_units.all(), is_active=True).exclude(police_number="200001")
        Attendance.objects.bulk_create([
            Attendance(session=session, officer=o, method=AttendanceMethod.LIST, recorded_by=trainer, recorded_at=session.starts_at + dt.timedelta(minutes=10))
            for o in invited.order_by("police_number") if rng.random() < 0.7
        ])


@transaction.atomic
def seed(*, stdout=None) -> None:
    rng = random.Random(2024)
    hall = lecture_hall_ensure()
    _wagtail_defaults_in_chinese()
    if not hall.intro:
        hall.intro = "<p>法制大队主办的在线法律讲堂：执法办案程序、证据规则、强制措施与涉案财物管理。必修课程请在截止日期前完成。</p>"
        hall.save_revision().publish()
    trainer = Officer.objects.get(police_number="100001")
    reviewer = Officer.objects.get(police_number="100002")
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    _laws()
    courses = _content(hall, _media(), trainer)
    _workflow_example(courses[0], trainer)
    _progress(courses, rng)
    _late_completions(courses[1])
    _sessions(courses, trainer, rng)
    if stdout:
        stdout.write(
            f"lessons: {CoursePage.objects.count()} courses, {LessonPage.objects.count()} lessons, "
            f"{TrainingSession.objects.count()} sessions, {Attendance.objects.count()} attendances"
        )
