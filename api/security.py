"""Portal tokens: HS256 with the shared PORTAL_JWT_SECRET, or RS256 with the portal's public key."""
import unicodedata
from dataclasses import dataclass
from typing import Optional

import jwt

from bot import procedures
from bot.settings import Settings


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class Patient:
    id: str
    procedure: Optional[str]  # from the token's "procedure" claim, if the portal sends one


def verify_portal_token(token: str, settings: Settings) -> Patient:
    key = settings.portal_jwt_public_key if settings.portal_jwt_algorithm == "RS256" else settings.portal_jwt_secret
    try:
        claims = jwt.decode(
            token, key, algorithms=[settings.portal_jwt_algorithm], options={"require": ["sub", "exp"]}, leeway=30
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("token expired") from exc
    except jwt.InvalidTokenError as exc:
        raise InvalidToken("invalid token") from exc
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidToken("token has no patient id (sub)")
    # The store keeps at most 128 characters, and a control character or lone surrogate cannot be stored.
    if len(subject) > 128 or any(unicodedata.category(c) in ("Cc", "Cs") for c in subject):
        raise InvalidToken("token's patient id (sub) is not a valid id")
    procedure = claims.get("procedure")
    return Patient(subject, procedures.normalize(procedure) if isinstance(procedure, str) else None)
