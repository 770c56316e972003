"""Labels of the referential version a diagnostic points at (answers only hold codes)."""

from dataclasses import dataclass, field

from spie.referentials.enums import ThemeFamily
from spie.referentials.models import ReferentialVersion, RomeJob, Situation, Theme

from .sensitive import is_sensitive


@dataclass
class ThemeEntry:
    code: str
    label: str
    family: str
    sensitive: bool
    situations: list = field(default_factory=list)


@dataclass
class SituationEntry:
    code: str
    label: str
    theme_code: str
    sensitive: bool


@dataclass
class ReferentialLabels:
    """Themes and situations of one version, in the referential's order (two queries)."""

    version: ReferentialVersion
    themes: dict
    situations: dict

    @classmethod
    def load(cls, version):
        themes = {
            theme.code: ThemeEntry(theme.code, theme.label, theme.family, is_sensitive(theme.code))
            for theme in Theme.objects.filter(version=version).order_by("position")
        }
        situations = {}
        for row in (
            Situation.objects.filter(version=version)
            .order_by("theme__position", "position")
            .values("code", "label", "theme__code")
        ):
            entry = SituationEntry(
                row["code"], row["label"], row["theme__code"], is_sensitive(row["theme__code"], row["code"])
            )
            situations[entry.code] = entry
            if entry.theme_code in themes:
                themes[entry.theme_code].situations.append(entry)
        return cls(version=version, themes=themes, situations=situations)

    @property
    def social_themes(self):
        return [theme for theme in self.themes.values() if theme.family == ThemeFamily.SOCIAL]

    def theme_label(self, code):
        theme = self.themes.get(code)
        return theme.label if theme else f"Thème {code} (absent de cette version)"

    def situation_label(self, code):
        situation = self.situations.get(code)
        return situation.label if situation else f"Situation {code} (absente de cette version)"


def rome_labels(codes):
    """{code: "label"} for these ROME codes (one query)."""
    codes = [code for code in codes if code]
    if not codes:
        return {}
    return dict(RomeJob.objects.filter(code__in=codes).values_list("code", "label"))
