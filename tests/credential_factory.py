"""Credentials signed on the spot with throw-away keys, for tests and the benchmark.

The shared samples prove that cmf-bot verifies what other implementations signed; these helpers make
the files the samples do not cover (a key embedded in a JWT, a 2 MB sealed EDC, a huge graph). Keys
are generated per call and never leave the process.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import json
from typing import Any

from bot.credentials.contexts import DocumentLoader
from bot.credentials.verify import canonicalize


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def ed25519_did_key() -> tuple[Any, str]:
    """A new Ed25519 key and its did:key verification method (`did:key:z…#z…`)."""
    import base58
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    identifier = "z" + base58.b58encode(b"\xed\x01" + raw).decode("ascii")
    return key, f"did:key:{identifier}#{identifier}"


def sign_data_integrity(
    doc: dict[str, Any], key: Any, vm: str, suite: str = "eddsa-rdfc-2022"
) -> dict[str, Any]:
    """`doc` with a DataIntegrityProof (eddsa-rdfc-2022 or eddsa-jcs-2022) made with `key`."""
    import base58
    import rfc8785

    unsecured = copy.deepcopy(doc)
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": suite,
        "created": "2026-01-01T00:00:00Z",
        "verificationMethod": vm,
        "proofPurpose": "assertionMethod",
    }
    config = {**proof, "@context": doc["@context"]}
    if suite == "eddsa-jcs-2022":
        data = (
            hashlib.sha256(rfc8785.dumps(config)).digest() + hashlib.sha256(rfc8785.dumps(unsecured)).digest()
        )
    else:
        loader, far = DocumentLoader(), 1e12
        data = (
            hashlib.sha256(canonicalize(config, loader, far).encode()).digest()
            + hashlib.sha256(canonicalize(unsecured, loader, far).encode()).digest()
        )
    proof["proofValue"] = "z" + base58.b58encode(key.sign(data)).decode("ascii")
    return {**unsecured, "proof": proof}


def compact_jws(claims: dict[str, Any], key: Any, header: dict[str, Any]) -> str:
    """A compact JWS over `claims` signed with a cryptography private key (ES256 or EdDSA)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())).encode(
        "ascii"
    )
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        signature = key.sign(signing_input)
    return signing_input.decode("ascii") + "." + b64url(signature)


def public_jwk(key: Any) -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric import ec
    from joserfc.jwk import ECKey, OKPKey

    cls = ECKey if isinstance(key, ec.EllipticCurvePrivateKey) else OKPKey
    return cls.import_key(key.public_key()).as_dict(private=False)


def seal_certificate(organisation: str, identifier: str) -> tuple[Any, Any]:
    """A new RSA key and a self-signed e-seal-like certificate (valid 2025-2030) for it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "EE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(x509.ObjectIdentifier("2.5.4.97"), identifier),
            x509.NameAttribute(NameOID.COMMON_NAME, organisation),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def jades(payload: str, key: Any, cert: Any, signed_at: str = "2026-01-12T07:12:23Z") -> dict[str, Any]:
    """A JAdES baseline-B-like JWS JSON serialisation (b64=false, x5c, sigT) over `payload`."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.serialization import Encoding

    der = cert.public_bytes(Encoding.DER)
    header = {
        "alg": "RS256",
        "cty": "octet-stream",
        "typ": "jose+json",
        "x5c": [base64.b64encode(der).decode("ascii")],
        "x5t#S256": b64url(hashlib.sha256(der).digest()),
        "b64": False,
        "sigT": signed_at,
        "crit": ["b64", "sigT"],
    }
    protected = b64url(json.dumps(header).encode())
    signature = key.sign(
        protected.encode("ascii") + b"." + payload.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256()
    )
    return {"payload": payload, "signatures": [{"protected": protected, "signature": b64url(signature)}]}


# ---------------------------------------------------------------------------------------------
# The shipped knowledge and the sample files


SAMPLES = __import__("pathlib").Path(__file__).resolve().parent / "fixtures" / "credentials"


def knowledge_from(root: Any) -> Any:
    """The credential check's knowledge from a knowledge root (validated like `cmf-bot kb load`)."""
    from bot.credentials.knowledge import CredentialKnowledge
    from bot.engine.answers import UiStrings
    from bot.engine.loader import load_knowledge

    kb = load_knowledge(root)
    return CredentialKnowledge.from_kb(kb, UiStrings(kb.strings, None).get, root)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def sample_pins() -> Any:
    from bot.credentials.keys import Pins

    return Pins.load(SAMPLES / "pins.json")
