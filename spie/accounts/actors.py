from dataclasses import dataclass

from .models import ApiToken, Membership, User


@dataclass(frozen=True)
class Actor:
    """Who does something: a professional acting through a membership, or a partner's API token."""

    user: User | None = None
    membership: Membership | None = None
    api_token: ApiToken | None = None

    @classmethod
    def from_request(cls, request):
        return cls(user=request.user, membership=request.membership)

    @classmethod
    def from_token(cls, token):
        return cls(api_token=token)

    @property
    def organisation(self):
        if self.membership is not None:
            return self.membership.organisation
        return self.api_token.organisation if self.api_token else None
