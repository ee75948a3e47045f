"""Salted, slow password hashes (scrypt from the standard library); the password itself is never kept."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# About 50 ms on an office PC: slow for a guesser, unnoticed at sign-in.
N, R, P = 2**14, 8, 1
_MAXMEM = 64 * 1024 * 1024


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, maxmem=_MAXMEM)
    b64 = base64.b64encode
    return f"scrypt${N}${R}${P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(digest)
    actual = hashlib.scrypt(
        password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), maxmem=_MAXMEM
    )
    return hmac.compare_digest(actual, expected)


# What an unknown user name is checked against, so that it costs one scrypt like a known one (and
# the answer's time does not tell a guesser which names exist). Made from a password nobody kept.
DUMMY_HASH = (
    "scrypt$16384$8$1$H8qSMvbCtfpNBmpg1TdObA==$"
    "mxv/JJX3AUeSOZVm4yAPqOsbRtQPAS8YnxHiWbmWNrWTgj1YBOT6Z9aM0LiYWrNmOmcvXnAfD1rlj9ZCKAPCuw=="
)
