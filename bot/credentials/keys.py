"""Public keys a signature may be checked with: did:key (decoded from the identifier itself) and keys
an operator pinned out of band. Nothing is ever fetched: a key only at an https:// or did:web
address is "not resolvable offline" unless it is pinned.

Pin file (JSON; `--pins FILE` or `CMF_BOT_CREDENTIAL_PINS`): an object whose keys are verification
method ids or JWS `kid`s, each mapped to ``{"ed25519_hex": "…"}``, ``{"jwk": {…}}`` or
``{"jwk_file": "path relative to the pin file"}`` (a JWK, or a verification method holding
``publicKeyJwk``). Keys starting with ``_`` are comments.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PINS_ENV = "CMF_BOT_CREDENTIAL_PINS"
ED25519_PUB = b"\xed\x01"
"""Multicodec prefix of an Ed25519 public key (varint 0xed)."""


class PinError(ValueError):
    """The pin file cannot be used; the message says why."""


def multibase_decode(value: str) -> bytes:
    """Decode a base58btc multibase string (`z…`); ValueError otherwise."""
    import base58

    if not value.startswith("z") or len(value) < 2:
        raise ValueError("not base58btc multibase")
    return base58.b58decode(value[1:])


def did_key_ed25519(verification_method: str) -> Any:
    """The Ed25519 public key named by a `did:key:z6Mk…#z6Mk…` verification method.

    ValueError when it is not an Ed25519 did:key, or when the fragment names another key.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    did, _, fragment = verification_method.partition("#")
    identifier = did.removeprefix("did:key:")
    if identifier == did or (fragment and fragment != identifier):
        raise ValueError("not a did:key verification method")
    raw = multibase_decode(identifier)
    if not raw.startswith(ED25519_PUB) or len(raw) != 34:
        raise ValueError("not an Ed25519 did:key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


@dataclass
class Pins:
    """Operator-pinned public keys by id (cryptography key objects or JWK dicts)."""

    keys: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def get(self, key_id: str | None) -> Any:
        return self.keys.get(key_id) if key_id else None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Pins:
        """Read a pin file; PinError with a one-line reason when it cannot be used."""
        path = Path(path).expanduser()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise PinError(f"cannot read the pin file {path}: {exc.strerror or exc}") from None
        except ValueError:
            raise PinError(f"the pin file {path} is not valid JSON") from None
        if not isinstance(data, dict):
            raise PinError(f"the pin file {path} must hold a JSON object")
        keys: dict[str, Any] = {}
        for key_id, spec in data.items():
            if str(key_id).startswith("_"):
                continue
            keys[str(key_id)] = _pinned_key(path.parent, str(key_id), spec)
        return cls(keys, str(path))

    @classmethod
    def from_env(cls) -> Pins:
        """The pins named by `CMF_BOT_CREDENTIAL_PINS`, else none."""
        chosen = os.environ.get(PINS_ENV, "").strip()
        return cls.load(chosen) if chosen else cls()


def _pinned_key(base: Path, key_id: str, spec: Any) -> Any:
    if not isinstance(spec, dict):
        raise PinError(f"pin {key_id!r}: expected an object")
    if "ed25519_hex" in spec:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            return Ed25519PublicKey.from_public_bytes(bytes.fromhex(str(spec["ed25519_hex"])))
        except ValueError:
            raise PinError(f"pin {key_id!r}: ed25519_hex is not a 32-byte hex key") from None
    if "jwk" in spec:
        jwk = spec["jwk"]
    elif "jwk_file" in spec:
        file = base / str(spec["jwk_file"])
        try:
            jwk = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise PinError(f"pin {key_id!r}: cannot read the JWK file {file}") from None
        jwk = jwk.get("publicKeyJwk", jwk) if isinstance(jwk, dict) else jwk
    else:
        raise PinError(f"pin {key_id!r}: give ed25519_hex, jwk or jwk_file")
    if not isinstance(jwk, dict) or "kty" not in jwk or "d" in jwk:
        raise PinError(f"pin {key_id!r}: not a public JWK")
    return dict(jwk)
