"""The bulletin (通报): Chinese text, document number, changes, signature, repeated headers."""

import io

import pytest
from django.conf import settings
from pypdf import PdfReader

from publications.selectors import bulletin_context
from publications.services import bulletin_render_pdf, publication_publish
from tests.factories.officers import OfficerFactory
from tests.pdf import pdf_fonts, pdf_text

from .conftest import FACTS

pytestmark = pytest.mark.django_db


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def test_the_bulletin_is_in_chinese_with_number_changes_and_signature(subject, reviewer):
    officers = [OfficerFactory(unit=subject, name=name) for name in ("张伟", "李娜", "王芳")]
    FACTS[subject.pk] = {officers[0].pk: 90, officers[1].pk: 85, officers[2].pk: 70}
    publication_publish(subject=subject, kind="sample", by=reviewer)
    FACTS[subject.pk][officers[2].pk] = 95
    second = publication_publish(subject=subject, kind="sample", by=reviewer)
    data = bulletin_render_pdf(publication=second)
    text = pdf_text(data)
    for words in ("通报", second.document_number, second.title, "执法质效积分排名", "第2版",
                  "规则版本", "与第1版", "70 → 95", settings.BUREAU_NAME, "法制大队", "名次", "个人明细"):
        assert words in text, words
    assert str(second.published_at.astimezone().year) + "年" in text
    assert pdf_fonts(data)  # the CJK font travels inside the PDF


def test_a_long_table_repeats_its_header_on_every_page(subject, reviewer):
    officers = [OfficerFactory(unit=subject) for _ in range(160)]
    FACTS[subject.pk] = {o.pk: 1000 - i for i, o in enumerate(officers)}
    publication = publication_publish(subject=subject, kind="sample", by=reviewer)
    pages = _pages(bulletin_render_pdf(publication=publication))
    assert len(pages) >= 3
    # Every page that carries the table starts it with the column headings again.
    table_pages = [p for p in pages[1:] if "民警" in p]
    assert table_pages and all("名次" in p and "姓名" in p and "得分" in p for p in table_pages)


def test_the_bulletin_reads_only_the_frozen_version(subject, facts, reviewer):
    officers, points = facts
    publication = publication_publish(subject=subject, kind="sample", by=reviewer)
    points[officers[0].pk] = 1
    context = bulletin_context(publication=publication)
    assert [value for value, _numeric in context["cells"][0]] == [1, f"民警{officers[0].pk}", 90]


def test_a_table_laid_out_in_parts_reads_as_one_document(subject, reviewer, monkeypatch):
    from publications import services

    monkeypatch.setattr(services, "BULLETIN_CHUNK_ROWS", 40)
    officers = [OfficerFactory(unit=subject) for _ in range(150)]
    FACTS[subject.pk] = {o.pk: 1000 - i for i, o in enumerate(officers)}
    publication = publication_publish(subject=subject, kind="sample", by=reviewer)
    pages = _pages(bulletin_render_pdf(publication=publication))
    text = "\n".join(pages)
    # Every entry exactly once, in order, and the signature at the end only.
    positions = [text.index(f"民警{o.pk} ") for o in officers]
    assert positions == sorted(positions) and all(text.count(f"民警{o.pk} ") == 1 for o in officers)
    assert text.count("法制大队") == 1 and "法制大队" in pages[-1]
    for number, page in enumerate(pages, start=1):
        assert f"{number} / {len(pages)}" in page and publication.document_number in page
        assert "名次" in page  # the header row on every page
    # Parts join without half-empty pages: every page but the last is as full as the second.
    rows = [sum(page.count(f"民警{o.pk} ") for o in officers) for page in pages]
    assert all(count == rows[1] for count in rows[1:-1]), rows
