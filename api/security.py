"""Portal tokens: HS256 with the shared PORTAL_JWT_SECRET, or RS256 with the portal's public key (the
production choice: the API then holds no secret that could mint tokens). Required claims: sub, iat, exp
(at most PORTAL_JWT_MAX_LIFETIME_SECONDS apart), and aud/iss when configured (required in production)."""
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
    required = ["sub", "exp", "iat"] + (["aud"] if settings.portal_jwt_audience else []) + (["iss"] if settings.portal_jwt_issuer else [])
    try:
        claims = jwt.decode(
            token, key, algorithms=[settings.portal_jwt_algorithm], options={"require": required}, leeway=30,
            audience=settings.portal_jwt_audience, issuer=settings.portal_jwt_issuer,
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("token expired") from exc
    except jwt.InvalidTokenError as exc:
        raise InvalidToken("invalid token") from exc
    if not isinstance(claims["iat"], (int, float)) or claims["exp"] - claims["iat"] > settings.portal_jwt_max_lifetime_seconds:
        raise InvalidToken("token lives longer than PORTAL_JWT_MAX_LIFETIME_SECONDS")
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidToken("token has no patient id (sub)")
    # The store keeps at most 128 characters, and a control character or lone surrogate cannot be stored.
    if len(subject) > 128 or any(unicodedata.category(c) in ("Cc", "Cs") for c in subject):
        raise InvalidToken("token's patient id (sub) is not a valid id")
    procedure = claims.get("procedure")
    return Patient(subject, procedures.normalize(procedure) if isinstance(procedure, str) else None)
