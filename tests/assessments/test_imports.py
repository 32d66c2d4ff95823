import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from assessments.importers import (
    BANK_SHEET_HEADER,
    bank_export,
    bank_import,
    bank_template,
)
from assessments.models import (
    Category,
    FixedQuestion,
    PoolSize,
    Question,
    Quiz,
    Sitting,
)
from assessments.services import question_update
from officers.sheets import ImportRejected
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db
DUMP = Path(__file__).parent / "django_quiz_dump.json"


def _sheet(rows):
    workbook = Workbook()
    workbook.active.append(BANK_SHEET_HEADER)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


GOOD = [
    ["刑事诉讼/强制措施", "单选", "拘留后应当在多少小时内通知家属？", "12小时", "24小时", "48小时", "", "", "", "B", "易", "解析", "《刑事诉讼法》第八十五条"],
    ["治安管理处罚", "多选", "治安管理处罚的种类有？", "警告", "罚款", "行政拘留", "责令停产停业", "", "", "A,B,C", "中", "", ""],
    ["证据规则", "判断", "非法证据应当排除。", "", "", "", "", "", "", "对", "", "", ""],
    ["行政处罚", "简答", "简述听证程序。", "", "", "", "", "", "", "参考答案要点", "难", "", ""],
]


def test_template_has_the_columns_and_imports_cleanly():
    data = bank_template()
    header = [c.value for c in load_workbook(io.BytesIO(data)).active[1]]
    assert header == BANK_SHEET_HEADER
    assert bank_import(data=data, filename="t.xlsx").created == 4


def test_good_sheet():
    result = bank_import(data=_sheet(GOOD), filename="bank.xlsx")
    assert result.created == 4 and not result.duplicates
    q = Question.objects.get(stem="拘留后应当在多少小时内通知家属？")
    assert q.category.full_name == "刑事诉讼 / 强制措施" and q.answer == "B" and q.difficulty == "easy"
    assert Question.objects.get(type="multiple").answer == "ABC"
    assert Question.objects.get(type="true_false").answer == "T"
    assert Question.objects.get(type="essay").reference_answer == "参考答案要点"
    assert PoolSize.objects.get(category=q.category, difficulty="easy").size == 1


def test_bad_sheet_rejected_whole_with_every_row_named():
    rows = GOOD + [
        ["行政处罚", "填空", "题干", "", "", "", "", "", "", "A", "中", "", ""],
        ["行政处罚", "单选", "答案不在选项中", "甲", "乙", "", "", "", "", "D", "中", "", ""],
        ["行政处罚", "单选", "单选两个答案", "甲", "乙", "丙", "", "", "", "AB", "中", "", ""],
        ["行政处罚", "单选", "", "甲", "乙", "", "", "", "", "A", "中", "", ""],
    ]
    with pytest.raises(ImportRejected) as rejected:
        bank_import(data=_sheet(rows), filename="bank.xlsx")
    assert [e.row for e in rejected.value.errors] == [6, 7, 8, 9]
    messages = [e.message for e in rejected.value.errors]
    assert "填空" in messages[0] and "D" in messages[1] and "2" in messages[2]
    assert Question.objects.count() == 0 and Category.objects.count() == 0


def test_over_long_cells_are_row_errors_not_a_crash(login):
    from officers.services import roles_sync

    rows = GOOD + [
        ["行政处罚", "单选", "选项太长", "甲" * 501, "乙", "", "", "", "", "A", "中", "", ""],
        ["行政处罚", "单选", "依据太长", "甲", "乙", "", "", "", "", "A", "中", "", "法" * 301],
        ["刑事诉讼/" + "类" * 101, "判断", "分类名太长", "", "", "", "", "", "", "对", "中", "", ""],
    ]
    with pytest.raises(ImportRejected) as rejected:
        bank_import(data=_sheet(rows), filename="bank.xlsx")
    errors = rejected.value.errors
    assert [(e.row, e.column) for e in errors] == [(6, "选项A"), (7, "法律依据"), (8, "分类路径")]
    assert "501" in errors[0].message and "500" in errors[0].message and "过长" in errors[0].message
    assert Question.objects.count() == 0 and Category.objects.count() == 0
    roles_sync()
    client = login(OfficerFactory(roles=["trainer"]))
    response = client.post(reverse("assessments_bank_import"), {"sheet": _upload(_sheet(rows))})
    assert response.status_code == 400 and "301" in response.content.decode()


def test_duplicates_reported_not_duplicated():
    bank_import(data=_sheet(GOOD[:1]), filename="bank.xlsx")
    result = bank_import(data=_sheet(GOOD + [GOOD[1]]), filename="bank.xlsx")
    assert result.created == 3
    assert result.duplicates == [(2, GOOD[0][2]), (6, GOOD[1][2])]
    assert Question.objects.count() == 4


def test_export_round_trip():
    bank_import(data=_sheet(GOOD), filename="bank.xlsx")
    data = bank_export()
    Question.objects.all().delete()
    PoolSize.objects.all().delete()
    assert bank_import(data=data, filename="export.xlsx").created == 4


def test_admin_import_page(login):
    from officers.services import roles_sync

    roles_sync()
    client = login(OfficerFactory(roles=["trainer"]))
    url = reverse("assessments_bank_import")
    assert client.get(url).status_code == 200
    bad = _sheet([["行政处罚", "填空", "题干", "", "", "", "", "", "", "A", "中", "", ""]])
    response = client.post(url, {"sheet": _upload(bad)})
    assert response.status_code == 400 and "填空" in response.content.decode()
    response = client.post(url, {"sheet": _upload(_sheet(GOOD))})
    assert response.status_code == 200 and Question.objects.count() == 4
    assert client.get(reverse("assessments_bank_template")).status_code == 200
    assert client.get(reverse("assessments_bank_export")).status_code == 200
    assert login(OfficerFactory()).get(url).status_code in (302, 403)


def _upload(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bank.xlsx", data)


def _run_quiz_import(*args, language="zh-hans"):
    out = io.StringIO()
    call_command("import_django_quiz", str(DUMP), "--root", "旧题库", "--language", language, *args,
                 stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_django_quiz_app_questions_come_over_as_clean_text():
    summary = _run_quiz_import()
    single = Question.objects.get(stem__startswith="公安机关对被拘留的人")
    assert single.type == "single" and single.answer == "B" and single.option_b == "24小时"
    assert single.category.full_name == "旧题库 / 刑事诉讼 / 强制措施"
    multi = Question.objects.get(stem__startswith="下列属于")
    assert multi.type == "multiple" and multi.answer == "ABD"
    # HTML becomes clean text: no tag shows, entities decoded, paragraphs kept as lines.
    assert multi.stem == "下列属于治安管理处罚种类的有哪些？" and multi.option_a == "警告"
    assert multi.explanation == "治安管理处罚的种类包括警告、罚款、行政拘留、吊销公安机关发放的许可证。\n见《治安管理处罚法》 第十条。"
    assert Question.objects.get(stem__startswith="违反治安").answer == "T"
    assert Question.objects.get(stem="简述取保候审的适用条件。").type == "essay"
    assert not Question.objects.filter(stem__contains="<").exists()
    assert "试题：读取 6 个，导入 5 个，已存在 0 个，未导入 1 个" in summary
    assert "第 5 题：有 1 个选项（仅支持2至6个）。" in summary
    # Running it again adds nothing: every question and test is already here.
    summary = _run_quiz_import()
    assert "试题：读取 6 个，导入 0 个，已存在 5 个，未导入 1 个" in summary
    assert "测试：读取 2 个，导入 0 个，已存在 2 个" in summary and Quiz.objects.count() == 2
    assert not Sitting.objects.exists()  # nobody matched an officer: no results, each sitting named


def test_django_quiz_app_quizzes_become_closed_tests_with_their_history(tmp_path):
    wang = OfficerFactory(police_number="200101", name="王伟")
    zhang = OfficerFactory(police_number="200102", name="张三")
    users = tmp_path / "users.csv"
    users.write_text("旧用户,警号\nzhang.san,200102\n", encoding="utf-8")
    summary = _run_quiz_import("--users", str(users))

    mock = Quiz.objects.get(title="2019年度执法资格考试模拟题")
    assert mock.closes_at < timezone.now() and mock.pass_mark == 60 and mock.description == "法制大队组织的模拟测试"
    assert [f.question.stem[:4] for f in mock.fixed_questions.order_by("sort_order")] == ["公安机关", "下列属于", "违反治安"]
    assert mock.attempts_allowed == 2  # not single_attempt: as many as any user made
    bail = Quiz.objects.get(title="2020年<取保候审>专项测试")
    assert bail.pass_mark == 80 and bail.description == "专项测试，简答题由教官阅卷。"

    # Sittings of users matching an officer become results, marked against the key.
    first = Sitting.objects.get(quiz=mock, officer=wang)
    assert (first.status, first.score, first.max_score, first.passed) == ("final", 2, 3, True)
    assert first.submitted_at.isoformat().startswith("2019-06-01T08:20")
    assert [p.choice for p in first.paper.order_by("position")] == [[1], [0], [0]]
    second = Sitting.objects.get(quiz=mock, officer=zhang)  # through the mapping file
    assert (second.score, second.passed) == (3, True)
    essay = Sitting.objects.get(quiz=bail, officer=wang)
    assert essay.status == "marking" and essay.paper.get(version__type="essay").text == "有固定住所，且不致发生社会危险性。"
    assert Sitting.objects.count() == 3

    # Everything counted, and every object left out named with why.
    assert "测试：读取 2 个，导入 2 个，已存在 0 个，未导入 0 个" in summary
    assert "答卷（成绩）：读取 5 个，导入 3 个，已存在 0 个，未导入 2 个" in summary
    assert "用户：读取 3 个，导入 2 个，已存在 0 个，未导入 1 个" in summary
    assert "用户 3（li.si）：没有警号为 li.si 的民警" in summary
    assert "答卷 3：未交卷" in summary and "答卷 4：用户 3 未对应到任何民警" in summary
    assert "random_order" in summary and "max_questions = 20" in summary
    assert "进度记录：读取 2 个" in summary


def test_django_quiz_app_summary_in_english_when_asked():
    summary = _run_quiz_import(language="en")
    assert "questions: 6 read, 5 imported, 0 already here, 1 left out" in summary


def test_a_broken_dump_imports_nothing(tmp_path):
    broken = tmp_path / "broken.json"
    records = json.loads(DUMP.read_text(encoding="utf-8"))
    records.append({"model": "multichoice.answer", "pk": 99, "fields": {}})  # no question: unreadable
    broken.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_django_quiz", str(broken), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Question.objects.exists() and not Quiz.objects.exists() and not Category.objects.exists()


def test_a_bank_sheet_over_the_row_limit_is_refused_in_chinese_and_nothing_is_saved():
    from officers.sheets import SHEET_MAX_ROWS

    rows = [["证据规则", "判断", f"第{n}题：非法证据应当排除。", "", "", "", "", "", "", "对", "", "", ""]
            for n in range(SHEET_MAX_ROWS + 1)]
    with pytest.raises(ImportRejected) as rejected:
        bank_import(data=_sheet(rows), filename="bank.xlsx")
    assert f"超过 {SHEET_MAX_ROWS} 行" in rejected.value.errors[0].message
    assert not Question.objects.exists()


def test_the_bank_export_writes_a_formula_like_stem_as_text():
    from tests.factories.assessments import QuestionFactory

    QuestionFactory(stem='=HYPERLINK("http://x.example/","点我")')
    cell = load_workbook(io.BytesIO(bank_export())).active["F2"]  # after 编号, 版本, 状态, 分类路径, 题型
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix


def test_the_bank_import_page_states_its_limits_and_refuses_a_large_file(client, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from officers.roles import Role
    from officers.sheets import SHEET_MAX_BYTES

    login(OfficerFactory(roles=[Role.TRAINER]))
    url = reverse("assessments_bank_import")
    assert "5000 道题" in client.get(url).content.decode()
    big = SimpleUploadedFile("bank.xlsx", b"0" * (SHEET_MAX_BYTES + 1))
    response = client.post(url, {"sheet": big})
    assert "最多 5 MB" in response.content.decode()
    assert not Question.objects.exists()


# --- the bank as trainers keep it: export, edit, re-import ---------------------------------


def _rows_of(data):
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    return header, [list(r) for r in sheet.iter_rows(min_row=2, values_only=True) if any(r)]


def test_the_export_carries_id_version_and_status():
    bank_import(data=_sheet(GOOD), filename="bank.xlsx")
    question = Question.objects.get(type="true_false")
    question.status = "retired"
    question_update(question=question)
    header, rows = _rows_of(bank_export())
    assert header[:3] == ["编号", "版本", "状态"] and header[3:] == BANK_SHEET_HEADER
    row = next(r for r in rows if r[0] == question.pk)
    assert row[1] == 1 and row[2] == "停用" and row[3 + BANK_SHEET_HEADER.index("答案")] == "对"


def test_reimporting_an_edited_export_updates_instead_of_copying():
    from assessments.services import answer_save, sitting_start, sitting_submit
    from tests.factories.assessments import QuizFactory

    bank_import(data=_sheet(GOOD), filename="bank.xlsx")
    used = Question.objects.get(stem="拘留后应当在多少小时内通知家属？")
    fresh = Question.objects.get(type="multiple")
    retired = Question.objects.get(type="true_false")
    retired.status = "retired"
    question_update(question=retired)
    quiz = QuizFactory()
    FixedQuestion.objects.create(quiz=quiz, question=used, points=2)
    officer = OfficerFactory()
    sitting = sitting_start(quiz=quiz, officer=officer)
    answer_save(sitting_id=sitting.pk, officer=officer, position=0, choice=[0], revision=1)
    sitting_submit(sitting=sitting)
    count = Question.objects.count()

    header, rows = _rows_of(bank_export())
    col = {name: i for i, name in enumerate(header)}
    for row in rows:
        if row[0] == used.pk:
            row[col["解析"]] = "《公安机关办理刑事案件程序规定》第一百二十七条"
        if row[0] == fresh.pk:
            row[col["答案"]] = "ABCD"
        if row[0] == retired.pk:
            row[col["解析"]] = "排除非法证据"
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    result = bank_import(data=out.getvalue(), filename="题库.xlsx")
    assert result.created == 0 and not result.duplicates and Question.objects.count() == count
    assert len(result.updated) == 3 and result.new_versions == 1 and result.unchanged == 1
    used.refresh_from_db()
    assert used.current_version.number == 2 and used.explanation.startswith("《公安机关")
    assert sitting.paper.get().version.number == 1  # the sitting keeps what it showed
    fresh.refresh_from_db()
    assert fresh.answer == "ABCD" and fresh.current_version.number == 1  # never shown: edited in place
    retired.refresh_from_db()
    assert retired.status == "retired" and retired.explanation == "排除非法证据" and retired.pool_seq is None

    # The same (now stale) sheet again: the edited question is at version 2, the row says 1.
    with pytest.raises(ImportRejected) as rejected:
        bank_import(data=out.getvalue(), filename="题库.xlsx")
    [error] = rejected.value.errors
    assert error.column == "版本" and "现为第 2 版" in error.message


def test_true_false_answers_and_option_gaps_are_reported_in_the_sheets_words():
    rows = [
        ["证据规则", "判断", "非法证据应当排除。", "", "", "", "", "", "", "是的", "", "", ""],
        ["行政处罚", "单选", "选项有空缺", "甲", "", "丙", "", "", "", "A", "中", "", ""],
    ]
    with pytest.raises(ImportRejected) as rejected:
        bank_import(data=_sheet(rows), filename="bank.xlsx")
    first, second = rejected.value.errors
    assert first.column == "答案" and "对" in first.message and "错" in first.message
    assert second.column == "选项B"
    # The template writes 对/错 for 判断, and the import takes them.
    _header, template_rows = _rows_of(bank_template())
    assert any(r[1] == "判断" and r[BANK_SHEET_HEADER.index("答案")] == "对" for r in template_rows)
