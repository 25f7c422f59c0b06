"""Second factor for staff logins: time-based one-time codes (RFC 6238) via pyotp.

A code is accepted in its 30-second step and the one before or after (clock drift), and each
step only once per account (a code seen over a shoulder or in a proxy log cannot be used again).
"""
import time
from typing import Optional

import pyotp
from pyotp.utils import strings_equal

ISSUER = "Pijnpoli-chatbot"
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app reads (as a QR code or typed in)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def accepted_step(secret: str, code: Optional[str], last_step: Optional[int], now: Optional[float] = None) -> Optional[int]:
    """The time step the code belongs to when it is valid and newer than ``last_step``; else None."""
    code = (code or "").replace(" ", "").strip()
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    at = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in (at - 1, at, at + 1):
        if (last_step is None or step > last_step) and strings_equal(totp.generate_otp(step), code):
            return step
    return None
