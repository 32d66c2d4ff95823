from officers.pdf import render_pdf
from tests.pdf import pdf_fonts, pdf_text


def test_pdf_carries_chinese_text_in_an_embedded_cjk_font(tmp_path, settings):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "sample.html").write_text(
        '{% extends "pdf/base.html" %}{% block body %}<h1>结业证书</h1><p>{{ bureau_name }}法制大队</p>{% endblock %}',
        encoding="utf-8",
    )
    engine = {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    settings.TEMPLATES = [engine]
    data = render_pdf("pdf/sample.html", {})
    text = pdf_text(data)
    assert "结业证书" in text and "永康市公安局法制大队" in text
    assert any("CJK" in name for name in pdf_fonts(data)), pdf_fonts(data)
