"""Bringing questions into the bank and out of it: the .xlsx sheet (import, export, template), and
the results sheet. A django-quiz-app site comes over through quizapp.py. Apart from services.py for length."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from officers.sheets import (
    ImportRejected,
    RowError,
    SheetError,
    read_rows,
    workbook_bytes,
    workbook_sheets_bytes,
)

from .models import (
    OPTION_LETTERS,
    Category,
    Difficulty,
    Question,
    QuestionStatus,
    QuestionType,
)
from .services import (
    answer_parse,
    category_get_or_create_path,
    question_create,
    question_update,
)

# Column headers of the bank sheet, as the bureau writes them.
COL_CATEGORY = "分类路径"
COL_TYPE = "题型"
COL_STEM = "题干"
COL_OPTIONS = [f"选项{c}" for c in OPTION_LETTERS]
COL_ANSWER = "答案"
COL_DIFFICULTY = "难度"
COL_EXPLANATION = "解析"
COL_BASIS = "法律依据"
BANK_SHEET_HEADER = [COL_CATEGORY, COL_TYPE, COL_STEM, *COL_OPTIONS, COL_ANSWER, COL_DIFFICULTY, COL_EXPLANATION, COL_BASIS]

TYPE_WORDS = {
    "单选": QuestionType.SINGLE, "单选题": QuestionType.SINGLE, "single": QuestionType.SINGLE,
    "多选": QuestionType.MULTIPLE, "多选题": QuestionType.MULTIPLE, "multiple": QuestionType.MULTIPLE,
    "判断": QuestionType.TRUE_FALSE, "判断题": QuestionType.TRUE_FALSE, "true_false": QuestionType.TRUE_FALSE,
    "简答": QuestionType.ESSAY, "简答题": QuestionType.ESSAY, "论述": QuestionType.ESSAY, "essay": QuestionType.ESSAY,
}
TYPE_LABELS = {QuestionType.SINGLE: "单选", QuestionType.MULTIPLE: "多选", QuestionType.TRUE_FALSE: "判断", QuestionType.ESSAY: "简答"}
DIFFICULTY_WORDS = {
    "易": Difficulty.EASY, "简单": Difficulty.EASY, "容易": Difficulty.EASY, "easy": Difficulty.EASY,
    "中": Difficulty.MEDIUM, "中等": Difficulty.MEDIUM, "一般": Difficulty.MEDIUM, "medium": Difficulty.MEDIUM, None: Difficulty.MEDIUM,
    "难": Difficulty.HARD, "困难": Difficulty.HARD, "较难": Difficulty.HARD, "hard": Difficulty.HARD,
}
# Longest texts the bank's columns hold; a longer cell is a row error, not a crash.
CATEGORY_NAME_MAX = Category._meta.get_field("name").max_length
OPTION_MAX = Question._meta.get_field("option_a").max_length
BASIS_MAX = Question._meta.get_field("legal_basis").max_length
DIFFICULTY_LABELS = {Difficulty.EASY: "易", Difficulty.MEDIUM: "中", Difficulty.HARD: "难"}
# An export's rows lead with the question's id, version and status, so an edited export updates the bank.
COL_ID = "编号"
COL_VERSION = "版本"
COL_STATUS = "状态"
EXPORT_SHEET_HEADER = [COL_ID, COL_VERSION, COL_STATUS, *BANK_SHEET_HEADER]
STATUS_LABELS = {QuestionStatus.ACTIVE: "在用", QuestionStatus.RETIRED: "停用"}
STATUS_WORDS = {
    "在用": QuestionStatus.ACTIVE, "使用中": QuestionStatus.ACTIVE, "active": QuestionStatus.ACTIVE,
    "停用": QuestionStatus.RETIRED, "已停用": QuestionStatus.RETIRED, "retired": QuestionStatus.RETIRED,
}


@dataclass
class BankImportResult:
    created: int = 0
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (row, stem) left out
    updated: list[tuple[int, str]] = field(default_factory=list)  # (row, stem) of exported questions changed
    new_versions: int = 0  # of those, how many became a new version (sittings had shown the old one)
    unchanged: int = 0


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _option_gap(options: list[str]) -> str | None:
    """The column of the first empty option before a filled one ("选项B" when A and C are filled)."""
    for column, value in zip(COL_OPTIONS, options, strict=False):
        if not value:
            return column
    return None


def _row_id(v, number: int, errors: list[RowError]) -> tuple[int | None, int | None]:
    """The exported question's id and version, if the row carries them."""
    ids = []
    for column in (COL_ID, COL_VERSION):
        word = _text(v.get(column))
        if not word:
            ids.append(None)
            continue
        try:
            value = int(float(word))
            if value < 1 or value > 2**31:
                raise ValueError(value)
        except ValueError:
            errors.append(RowError(number, column, _("“%(value)s” is not a whole number.") % {"value": word}))
            value = None
        ids.append(value)
    return ids[0], ids[1]


def _question_fields(*, kind, stem, options, answer, difficulty, explanation, basis) -> dict:
    fields = {"type": kind, "difficulty": difficulty, "stem": stem, "explanation": explanation,
              "legal_basis": basis, "answer": "", "reference_answer": ""}
    if kind == QuestionType.ESSAY:
        fields["reference_answer"] = answer
    else:
        fields["answer"] = answer
    for i, letter in enumerate(OPTION_LETTERS):
        fields[f"option_{letter.lower()}"] = options[i] if kind != QuestionType.TRUE_FALSE and i < len(options) else ""
    return fields


@transaction.atomic
def bank_import(*, data: bytes, filename: str) -> BankImportResult:
    """Import a sheet of questions: every row or none.

    A row without an id is a new question; a stem already in its category (in
    the bank or higher up the sheet) is reported and left out, not duplicated.
    A row of an export (编号, 版本) updates that question: a version shown in
    sittings is kept and the change becomes a new version (question_update); a
    retired question stays retired unless the row's 状态 says 在用. A row whose
    question was edited after the export (another version now) is refused, so
    nobody's later edit is overwritten unseen.
    """
    try:
        header, rows = read_rows(data, filename)
    except SheetError as error:
        raise ImportRejected([RowError(1, "", str(error))]) from error
    missing = [c for c in (COL_CATEGORY, COL_TYPE, COL_STEM, COL_ANSWER) if c not in header]
    if missing:
        raise ImportRejected([RowError(1, c, _("This column is missing.")) for c in missing])
    errors: list[RowError] = []
    parsed = []
    ids_seen: dict[int, int] = {}
    for row in rows:
        v = row.values
        kind = TYPE_WORDS.get(_text(v.get(COL_TYPE)).lower() or None)
        stem = _text(v.get(COL_STEM))
        path = [p.strip() for p in _text(v.get(COL_CATEGORY)).replace("／", "/").split("/") if p.strip()]
        options = [_text(v.get(c)) for c in COL_OPTIONS]
        while options and not options[-1]:
            options.pop()
        row_errors = []
        question_id, version = _row_id(v, row.number, row_errors)
        if question_id is not None:
            if question_id in ids_seen:
                row_errors.append(RowError(row.number, COL_ID, _(
                    "Question %(id)s is also on row %(row)s: keep one row per question.") % {
                    "id": question_id, "row": ids_seen[question_id]}))
            ids_seen.setdefault(question_id, row.number)
        status_word = _text(v.get(COL_STATUS)).lower()
        if status_word and status_word not in STATUS_WORDS:
            row_errors.append(RowError(row.number, COL_STATUS, _(
                "Unknown status “%(value)s” (use 在用 or 停用).") % {"value": _text(v.get(COL_STATUS))}))
        if not path:
            row_errors.append(RowError(row.number, COL_CATEGORY, _("The category is empty.")))
        if kind is None:
            row_errors.append(RowError(row.number, COL_TYPE, _("Unknown question type “%(value)s” (use 单选, 多选, 判断 or 简答).") % {"value": _text(v.get(COL_TYPE))}))
        if not stem:
            row_errors.append(RowError(row.number, COL_STEM, _("The question text is empty.")))
        too_long = [(COL_CATEGORY, name, CATEGORY_NAME_MAX) for name in path]
        too_long += [(column, value, OPTION_MAX) for column, value in zip(COL_OPTIONS, options, strict=False)]
        too_long.append((COL_BASIS, _text(v.get(COL_BASIS)), BASIS_MAX))
        for column, value, limit in too_long:
            if len(value) > limit:
                row_errors.append(RowError(row.number, column, _(
                    "Too long: %(length)s characters, at most %(limit)s allowed."
                ) % {"length": len(value), "limit": limit}))
        difficulty_word = _text(v.get(COL_DIFFICULTY)).lower() or None
        if difficulty_word not in DIFFICULTY_WORDS:
            row_errors.append(RowError(row.number, COL_DIFFICULTY, _("Unknown difficulty “%(value)s” (use 易, 中 or 难).") % {"value": difficulty_word}))
        if kind is not None:
            gap = _option_gap(options) if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE) else None
            if gap:
                row_errors.append(RowError(row.number, gap, _(
                    "This option is empty while a later one is filled: fill the options from A without gaps.")))
            else:
                answer = _text(v.get(COL_ANSWER))
                try:
                    key = answer_parse(type=kind, answer=answer, options=options)
                except ValidationError as error:
                    message = (_("A 判断 answer is 对 or 错.") if kind == QuestionType.TRUE_FALSE
                               else " ".join(error.messages))
                    row_errors.append(RowError(row.number, COL_ANSWER, message))
                else:
                    if kind == QuestionType.TRUE_FALSE:
                        v[COL_ANSWER] = "T" if key == [0] else "F"
                    elif kind != QuestionType.ESSAY:
                        v[COL_ANSWER] = "".join(OPTION_LETTERS[i] for i in key)
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed.append((row.number, question_id, version, STATUS_WORDS.get(status_word), path, _question_fields(
            kind=kind, stem=stem, options=options, answer=_text(v.get(COL_ANSWER)),
            difficulty=DIFFICULTY_WORDS[difficulty_word], explanation=_text(v.get(COL_EXPLANATION)),
            basis=_text(v.get(COL_BASIS)))))
    existing = {
        q.pk: q for q in Question.objects.filter(pk__in=[p[1] for p in parsed if p[1]])
        .select_related("current_version")
    }
    for number, question_id, version, _status, _path, _fields in parsed:
        question = existing.get(question_id)
        current = question.current_version.number if question and question.current_version else None
        if question and version and current and version != current:
            errors.append(RowError(number, COL_VERSION, _(
                "This row is version %(row)s, but the question was edited since the export and is now version "
                "%(current)s: export the bank again and make the change there.") % {"row": version, "current": current}))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))
    result = BankImportResult()
    cache: dict = {}
    seen: set[tuple[int, str]] = set()
    for number, question_id, _version, status, path, fields in parsed:
        category = category_get_or_create_path(names=path, cache=cache)
        question = existing.get(question_id)
        if question is not None:
            before = question.current_version_id
            changed = [name for name, value in fields.items() if getattr(question, name) != value]
            if question.category_id != category.pk:
                changed.append("category")
            if status and status != question.status:
                changed.append("status")
            if not changed:
                result.unchanged += 1
                continue
            for name, value in fields.items():
                setattr(question, name, value)
            question.category = category
            question.status = status or question.status
            question_update(question=question)
            result.updated.append((number, fields["stem"]))
            result.new_versions += question.current_version_id != before
            continue
        # An id this bank does not hold (a sheet from another server): a new question.
        stem = fields["stem"]
        if (category.pk, stem) in seen or Question.objects.filter(category=category, stem=stem).exists():
            result.duplicates.append((number, stem))
            continue
        seen.add((category.pk, stem))
        question_create(question=Question(category=category, status=status or QuestionStatus.ACTIVE, **fields))
        result.created += 1
    return result


def bank_template() -> bytes:
    """The template sheet, with one example row of each type."""
    return workbook_bytes(
        title=_("Questions"),
        header=BANK_SHEET_HEADER,
        rows=[
            ["刑事诉讼/强制措施", "单选", "拘留后，除无法通知或者涉嫌危害国家安全犯罪、恐怖活动犯罪通知可能有碍侦查的情形以外，应当在拘留后多少小时以内通知被拘留人的家属？",
             "12小时", "24小时", "48小时", "72小时", "", "", "B", "易", "拘留后应在24小时内通知家属。", "《中华人民共和国刑事诉讼法》第八十五条"],
            ["治安管理处罚", "多选", "下列哪些属于治安管理处罚的种类？", "警告", "罚款", "行政拘留", "吊销公安机关发放的许可证", "责令停产停业", "",
             "ABCD", "中", "责令停产停业不是治安管理处罚的种类。", "《中华人民共和国治安管理处罚法》第十条"],
            ["证据规则", "判断", "采用刑讯逼供等非法方法收集的犯罪嫌疑人供述，应当予以排除。", "", "", "", "", "", "", "对", "易", "", "《中华人民共和国刑事诉讼法》第五十六条"],
            ["行政处罚", "简答", "简述行政处罚听证程序的适用情形。", "", "", "", "", "", "", "较大数额罚款、没收较大数额违法所得、降低资质等级、吊销许可证件、责令停产停业等……", "难", "", "《中华人民共和国行政处罚法》第六十三条"],
        ],
        notes=[
            _("分类路径: the category, sub-categories separated by “/” (e.g. 刑事诉讼/强制措施); missing categories are created."),
            _("题型: 单选, 多选, 判断 or 简答."),
            _("答案: the letters of the correct options (B, ACD); 对 or 错 for 判断; for 简答 the reference answer."),
            _("难度: 易, 中 or 难 (empty means 中)."),
            _("The whole sheet is imported or nothing; a question whose text already exists in its category is reported and left out."),
            _("To edit questions already in the bank, export the bank: its rows carry 编号, 版本 and 状态, and importing "
              "the edited export updates those questions (a new version where sittings used them) instead of adding copies."),
        ],
    )


def bank_export(*, questions=None) -> bytes:
    """The bank (active and retired questions) as a sheet in the template's layout, each row
    led by the question's id, version and status so that an edited export updates the bank."""
    questions = questions if questions is not None else Question.objects.all()
    categories = {c.pk: c for c in Category.objects.all()}

    def path(category_id):
        names, c = [], categories[category_id]
        while c:
            names.append(c.name)
            c = categories.get(c.parent_id)
        return "/".join(reversed(names))

    rows = []
    for q in questions.select_related("current_version").order_by("category__path", "id").iterator():
        answer = q.reference_answer if q.type == QuestionType.ESSAY else ("对" if q.answer == "T" else "错" if q.answer == "F" else q.answer)
        options = [getattr(q, f"option_{c.lower()}") for c in OPTION_LETTERS]
        version = q.current_version.number if q.current_version else None
        rows.append([q.pk, version, STATUS_LABELS[q.status], path(q.category_id), TYPE_LABELS[q.type], q.stem, *options,
                     answer, DIFFICULTY_LABELS[q.difficulty], q.explanation, q.legal_basis])
    return workbook_bytes(title=_("Questions"), header=EXPORT_SHEET_HEADER, rows=rows)


def results_export(*, quiz) -> bytes:
    """A test's results as .xlsx: per officer, per unit, per legal domain."""
    from .selectors import (
        quiz_absentees,
        quiz_category_summary,
        quiz_results,
        quiz_unit_summary,
    )

    rows = quiz_results(quiz=quiz)
    absentees = quiz_absentees(quiz=quiz)
    yes, no, pending = _("Yes"), _("No"), _("Awaiting marking")
    return workbook_sheets_bytes(sheets=[
        (
            _("Results"),
            [_("Rank"), _("Police number"), pgettext("person", "Name"), _("Unit"), _("Attempts"), _("Score"),
             _("Out of"), _("Percent"), _("Passed")],
            [[r.rank, r.police_number, r.name, r.unit, r.attempts,
              None if r.pending else float(r.score), float(r.max_score),
              None if r.pending else float(r.percent),
              pending if r.pending else (yes if r.passed else no)] for r in rows],
        ),
        (
            _("By unit"),
            [_("Unit"), _("Number of officers"), _("Absent"), _("Average %"), _("Passed"), _("Pass rate %")],
            [[u.unit, u.officers, u.absent, None if u.average is None else float(u.average), u.passed,
              float(u.pass_rate) if u.officers else None]
             for u in quiz_unit_summary(rows=rows, absentees=absentees)],
        ),
        (
            _("By legal domain"),
            [_("Legal domain"), _("Questions answered"), _("Score"), _("Out of"), _("Percent")],
            [[c.category, c.questions, float(c.score), float(c.points),
              float(c.percent) if c.percent is not None else None]
             for c in quiz_category_summary(quiz=quiz)],
        ),
        (
            _("Absent"),
            [_("Police number"), pgettext("person", "Name"), _("Unit")],
            [[a.police_number, a.name, a.unit] for a in absentees],
        ),
    ])
