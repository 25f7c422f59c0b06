"""Portal tokens as the developer tools and tests mint them (the API verifies them in api/security.py).

A real portal issues its own; these carry the claims the API requires: ``sub``, ``iat`` and ``exp``,
plus ``aud``/``iss`` when the settings name them."""
import time
from typing import Any, Optional

import jwt


def mint(sub: str, secret: str, lifetime_seconds: int = 600, audience: Optional[str] = None, issuer: Optional[str] = None,
         **claims: Any) -> str:
    now = int(time.time())
    body = {"sub": sub, "iat": now, "exp": now + lifetime_seconds, **claims}
    if audience:
        body["aud"] = audience
    if issuer:
        body["iss"] = issuer
    return jwt.encode(body, secret, algorithm="HS256")
