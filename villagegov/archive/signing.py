"""The village's signing key (Ed25519, via `cryptography`): make one, sign, check, and its public file.

How the key lives (docs/ARCHITECTURE.md, "Archive keys"): the village's key pair is made once, by the
first export or on the clerk's request, and kept in the village's own database (table
`archive_village_key`; the private half never enters the audit log, the public half and its
fingerprint do), so the app's backups carry it and a restore brings it back. The clerk hands the
public half to the township once, as `<village>-公钥.json` with the printed registration form bearing
its fingerprint; the township registers it (comparing the fingerprint with the stamped form) and from
then on imports only packages signed by the key registered for that village.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from villagegov.archive import rules
from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_

KEY_FORMAT = "villagegov-village-key"
ALGORITHM = "Ed25519"


@dataclass(frozen=True)
class PublicKey:
    """A village's public key with whose it is, as the key file and the package's village-key.json say."""

    village: str
    township: str
    county: str
    public_key: bytes  # 32 raw bytes
    created_at: str

    @property
    def fingerprint(self) -> str:
        return rules.fingerprint(self.public_key)

    def to_json(self) -> str:
        data = {
            "format": KEY_FORMAT,
            "version": 1,
            "algorithm": ALGORITHM,
            "county": self.county,
            "township": self.township,
            "village": self.village,
            "public_key": base64.b64encode(self.public_key).decode("ascii"),
            "fingerprint": self.fingerprint,
            "created_at": self.created_at,
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def new_private_key() -> tuple[bytes, bytes]:
    """(private key as PKCS#8 PEM, raw public key)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return pem, raw


def sign(private_pem: bytes, message: bytes) -> bytes:
    key = serialization.load_pem_private_key(private_pem, password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key.sign(message)


def signature_text(signature: bytes) -> str:
    return base64.b64encode(signature).decode("ascii") + "\n"


def check_signature(public_key: bytes, message: bytes, signature_text: str) -> bool:
    try:
        signature = base64.b64decode(signature_text.strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def parse_public_key(text: str) -> PublicKey:
    """Read a key file (or a package's village-key.json); refuses anything else, saying why."""
    try:
        data: Any = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
            raise ValueError("format")
        if data.get("version") != 1 or data.get("algorithm") != ALGORITHM:
            raise ValueError("version")
        raw = base64.b64decode(str(data["public_key"]), validate=True)
        if len(raw) != 32:
            raise ValueError("length")
        key = PublicKey(
            str(data["village"]), str(data["township"]), str(data["county"]), raw, str(data["created_at"])
        )
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise ValidationError(N_("This is not a village's archive key file.")) from exc
    if data.get("fingerprint") and rules.normalise_fingerprint(str(data["fingerprint"])) != key.fingerprint:
        raise ValidationError(N_("The key file's fingerprint does not belong to its key."))
    return key
