from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken, hash_secret


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
