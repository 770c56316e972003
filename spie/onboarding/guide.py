"""The user guide: Markdown pages of docs/guide/, rendered safely (raw HTML is shown as text,
links are limited to the platform, the web and e-mail; links between guide pages are rewritten)."""

import re
from dataclasses import dataclass
from functools import cache
from xml.etree import ElementTree

import markdown
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from markdown.treeprocessors import Treeprocessor

GUIDE_DIR = settings.BASE_DIR / "docs" / "guide"
EXAMPLES_DIR = settings.BASE_DIR / "docs" / "exemples"
# Pages kept elsewhere in docs/ and also served in the guide (one place per fact).
EXTRA_PAGES = {"imports": settings.BASE_DIR / "docs" / "imports.md"}
SLUG = re.compile(r"^[a-z0-9-]+$")
SAFE_LINK = re.compile(r"^(/|#|https?://|mailto:)")
# Pages in reading order; any other page of docs/guide/ follows, alphabetically.
ORDER = [
    "index",
    "premier-jour-conseiller",
    "premier-jour-gestionnaire",
    "premier-jour-charge-orientation",
    "premier-jour-coordinateur",
    "premier-jour-administrateur",
    "imports",
]
# Which first-day page each role reads.
ROLE_PAGES = {
    "conseiller": "premier-jour-conseiller",
    "gestionnaire": "premier-jour-gestionnaire",
    "charge_orientation": "premier-jour-charge-orientation",
    "coordinateur": "premier-jour-coordinateur",
    "admin_national": "premier-jour-administrateur",
}


class _SafeLinks(Treeprocessor):
    def run(self, root):
        heading = ""
        for child in list(root):
            if child.tag in ("h1", "h2", "h3"):
                heading = "".join(child.itertext())
            if child.tag == "table":
                caption = ElementTree.Element("caption")
                caption.text = f"Colonnes du fichier — {heading}" if heading else "Tableau"
                child.insert(0, caption)
        for element in list(root.iter()):
            if element.tag == "a":
                href = element.get("href", "")
                guide_link = re.fullmatch(r"(?:\./)?([a-z0-9-]+)\.md(#[\w-]*)?", href)
                example = re.fullmatch(r"(?:\.\./|\./)?exemples/([a-z0-9_-]+\.csv)", href)
                if guide_link and guide_link.group(1) in page_slugs():
                    url = reverse("onboarding:guide_page", args=[guide_link.group(1)])
                    element.set("href", url + (guide_link.group(2) or ""))
                elif example and example.group(1) in example_files():
                    element.set("href", reverse("onboarding:example", args=[example.group(1)]))
                elif not SAFE_LINK.match(href):
                    element.attrib.pop("href", None)
                if href.startswith("http"):
                    element.set("rel", "noopener")
            if element.tag == "img":
                element.tag = "span"
                element.text = element.get("alt", "")
                element.attrib.clear()
        return root


class _SafeExtension(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 - the Markdown API's name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "spie_safe_links", 0)


def render_markdown(text):
    """Markdown to HTML where raw HTML in the source is escaped, never interpreted."""
    html = markdown.markdown(
        text, extensions=["sane_lists", "tables", "fenced_code", _SafeExtension()], output_format="html"
    )
    return mark_safe(html)  # noqa: S308 - raw HTML was escaped by the deregistered processors


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: str
    text: str

    @property
    def html(self):
        return render_markdown(self.text)


def _path(slug):
    return EXTRA_PAGES.get(slug, GUIDE_DIR / f"{slug}.md")


@cache
def page_slugs():
    found = {path.stem for path in GUIDE_DIR.glob("*.md") if SLUG.match(path.stem)}
    found |= {slug for slug, path in EXTRA_PAGES.items() if path.exists()}
    return [slug for slug in ORDER if slug in found] + sorted(found - set(ORDER))


def _title(text, slug):
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return slug.replace("-", " ").capitalize()


def guide_page(slug):
    """The page, or None for an unknown slug (only names listed in docs/guide/ are read)."""
    if slug not in page_slugs():
        return None
    text = _path(slug).read_text(encoding="utf-8")
    return GuidePage(slug=slug, title=_title(text, slug), text=text)


def guide_pages():
    return [guide_page(slug) for slug in page_slugs()]


@cache
def example_files():
    return sorted(path.name for path in EXAMPLES_DIR.glob("*.csv"))
