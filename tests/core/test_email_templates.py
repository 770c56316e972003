"""Plain-text e-mails show names as written: no HTML escaping of apostrophes or ampersands."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string


def test_a_name_with_an_apostrophe_reaches_a_plain_text_email_unescaped():
    text = render_to_string("emails/purge_warning.txt", {"count": "l'ensemble & co", "date": "demain"})
    assert "l'ensemble & co" in text
    assert "&#x27;" not in text and "&amp;" not in text


def test_every_plain_text_email_template_turns_html_escaping_off():
    templates = Path(settings.BASE_DIR, "templates").rglob("*.txt")
    missing = [str(path) for path in templates if not path.read_text().startswith("{% autoescape off %}")]
    assert missing == []
