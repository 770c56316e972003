"""System checks: a production deployment must not run on the keys published in this repository."""

import ast
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register

SETTINGS_DIR = Path(__file__).resolve().parent.parent.parent / "config" / "settings"
# The settings files whose keys anyone can read in the repository.
PUBLISHED_IN = ("dev.py", "test.py")
# Environment variable → setting that holds the key.
KEYS = {
    "DJANGO_SECRET_KEY": "SECRET_KEY",
    "FIELD_ENCRYPTION_KEY": "FIELD_ENCRYPTION_KEY",
    "LOOKUP_HASH_KEY": "LOOKUP_HASH_KEY",
    "STUDY_HASH_KEY": "STUDY_HASH_KEY",
}


def published_keys(directory=SETTINGS_DIR, files=PUBLISHED_IN):
    """{setting: {published values}} read from the `os.environ.setdefault(NAME, "value")` lines of
    the development and test settings (parsed, not imported: importing would set the environment)."""
    found = {setting: set() for setting in KEYS.values()}
    for name in files:
        tree = ast.parse((Path(directory) / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "setdefault"):
                continue
            if len(node.args) != 2 or not all(isinstance(arg, ast.Constant) for arg in node.args):
                continue
            variable, value = (arg.value for arg in node.args)
            if variable in KEYS:
                found[KEYS[variable]].add(value)
    return found


@register(Tags.security, deploy=True)
def check_published_keys(app_configs=None, **kwargs):
    """With DEBUG off, refuse a secret or encryption key that the repository publishes."""
    if settings.DEBUG:
        return []
    errors = []
    for setting, values in published_keys().items():
        if getattr(settings, setting, None) in values:
            env_name = next(name for name, target in KEYS.items() if target == setting)
            errors.append(
                Error(
                    f"{setting} is a key published in config/settings/dev.py or test.py.",
                    hint=f"Generate a new secret value and set it in the {env_name} environment variable.",
                    id="spie.E001",
                )
            )
    return errors
