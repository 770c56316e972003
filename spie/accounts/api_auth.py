from django.utils import timezone
from ninja.security import HttpBearer

from .enums import ApiTokenScope
from .models import ApiToken, hash_secret


def token_reaches_territory(token):
    """The one rule of an API token's reach. By default a token reads what the web gives its
    structure's counsellors: the people the structure follows. It reaches the whole territory
    (orientation queue and decisions, pathways, territory alerts, and for a structure with a
    coordinator the case reviews) only when it was created with the orientation scope, which only
    the territory's coordinator gives, with an audited reason
    (`perms.can_grant_token_scope`). Who works in the structure never widens a token."""
    return (
        token is not None
        and token.scope == ApiTokenScope.ORIENTATION
        and token.organisation.territory_id is not None
        and token.organisation.is_active
    )


class OrganisationToken(HttpBearer):
    """`Authorization: Bearer TOKEN`: the request acts for the token's structure."""

    openapi_description = "Jeton d'API d'une structure, créé par son gestionnaire."

    def authenticate(self, request, token):
        api_token = (
            ApiToken.objects.usable()
            .select_related("organisation__territory")
            .filter(key_hash=hash_secret(token))
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.api_token = api_token
        return api_token
