"""Extension points that let each app add to shared pages without the pages importing it.

An app's `AppConfig` may define:
- `main_menu(membership)`: header menu entries, as `(position, label, url)`;
- `person_tabs(membership, person)`: tabs of the person's file, as `(position, key, label, url)`;
- `person_export(person)`: the app's sections of the person's data export, as `(position, key, data)`
  where data is a dict or a list of dicts of plain values;
- `person_space_items(person)`: entries of the person's own space home page (things waiting for
  the person, such as a questionnaire to answer), as `(position, label, url, pending_count)`;
- `contact_changed(person, channel, previous, by)`: called inside the transaction that changed the
  person's e-mail (`channel` "email") or mobile number ("sms") from `previous`.
"""

from django.apps import apps


def _collect(hook, *args):
    items = []
    for app_config in apps.get_app_configs():
        method = getattr(app_config, hook, None)
        if callable(method):
            items.extend(method(*args))
    return sorted(items, key=lambda item: item[0])


def main_menu(membership):
    return _collect("main_menu", membership)


def person_tabs(membership, person):
    return _collect("person_tabs", membership, person)


def person_export(person):
    """Sections of the person's own data export (RGPD right of access), as `(position, key, data)`."""
    return _collect("person_export", person)


def person_space_items(person):
    """Entries of the person's own space home page, as `(position, label, url, pending_count)`."""
    return _collect("person_space_items", person)


def contact_changed(person, *, channel, previous, by):
    """Tell the apps that a professional changed the person's e-mail or mobile number."""
    for app_config in apps.get_app_configs():
        method = getattr(app_config, "contact_changed", None)
        if callable(method):
            method(person, channel=channel, previous=previous, by=by)
