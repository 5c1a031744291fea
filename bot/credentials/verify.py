"""Offline signature checks: Data Integrity proofs, compact JWS (VC-JWT) and JAdES e-seals.

- Data Integrity: `eddsa-rdfc-2022` and `Ed25519Signature2020` (RDF canonicalisation, URDNA2015 =
  RDFC-1.0, passed explicitly to PyLD) and `eddsa-jcs-2022` (JSON canonicalisation, RFC 8785), with
  an Ed25519 key from a did:key or an operator pin. JSON-LD contexts come only from the bundled,
  hash-pinned set; canonicalisation is capped in size, blank nodes and time.
- Compact JWS (VC-JWT): the key embedded in the header (`jwk`, `x5c`) or pinned by `kid`.
- JAdES (JWS JSON, `b64: false`): the maths of the signature with the key of the first `x5c`
  certificate. Whether that certificate is on an EU trust list is *not* checked (never fetched).
- Legacy EDCI XML (XAdES): not verified; python-xmlsec needs system libraries that `pip install`
  alone does not provide, and signxml cannot apply the XPath transform these files use.

The heavy libraries (pyld, cryptography, joserfc) are imported inside the functions, so importing
this module costs nothing until a file is actually checked.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

from bot.credentials.keys import Pins, did_key_ed25519, multibase_decode
from bot.credentials.model import Parsed, Signature, SigStatus, Text, text

MAX_CANON_BYTES = 256 * 1024
"""Largest JSON document (serialised) that is RDF-canonicalised; larger ones are not checked."""
MAX_CANON_VALUES = 2_500
"""Most JSON values (keys and list items) in a document that is RDF-canonicalised: PyLD's expansion
and RDF conversion cannot be interrupted, so their work is bounded before they start (real badges
hold a few hundred; 2,500 take about 0.2 s)."""
MAX_QUADS = 10_000
MAX_BLANK_NODES = 2_000
CANON_SECONDS = 0.5
"""Time budget for the RDF canonicalisation of one file (checked between blank-node hashes)."""

DI_SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020")
JWS_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
"""Asymmetric algorithms only: an HMAC "signature" with a key taken from the file proves nothing."""
JADES_HEADERS = ("sigT", "adoTst", "sigD", "sigX5ts", "srCms", "srAts", "sigPl", "sigPId", "etsiU", "x5t#o")


class _Limit(Exception):
    """Canonicalisation went over a cap; `key` names the reason string."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass
class Verification:
    """What the signature checks found."""

    signatures: list[Signature] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)
    """Paths of fields the signature does not cover (RDF-canonicalised proofs only)."""
    warnings: list[Text] = field(default_factory=list)
    certificate: dict[str, Any] | None = None
    """The seal certificate of a JAdES signature (subject, organisation, identifier, validity)."""


def verify(parsed: Parsed, pins: Pins, *, budget: float = CANON_SECONDS) -> Verification:
    """Check every signature of `parsed` that can be checked offline."""
    env = parsed.envelope
    if "jws_json" in env:
        return _verify_jws_json(parsed)
    if "compact" in env:
        return _verify_compact(parsed, pins)
    if parsed.model == "edci":
        if env.get("xml_signature"):
            return Verification([Signature("XAdES", "not_checked", text("cred.reason.xmldsig"))])
        return Verification()
    if parsed.model == "ob-link":
        return Verification([Signature("hosted", "not_checked", text("cred.reason.hosted", url=parsed.link))])
    if parsed.model in ("ob2", "ob1"):  # a signed OB 2.0 badge arrives as a JWS and is handled above
        verification = parsed.data.get("verification") or parsed.data.get("verify") or {}
        if isinstance(verification, dict) and verification.get("type", "hosted") in ("hosted", "HostedBadge"):
            url = parsed.data.get("id") or verification.get("url") or "?"
            return Verification([Signature("hosted", "not_checked", text("cred.reason.hosted", url=url))])
        return Verification()
    if "proof" in parsed.data:
        return _verify_data_integrity(parsed.data, pins, budget)
    return Verification()


# ---------------------------------------------------------------------------------------------
# Data Integrity proofs


def _verify_data_integrity(doc: dict[str, Any], pins: Pins, budget: float) -> Verification:
    from bot.credentials.contexts import DocumentLoader

    result = Verification()
    proofs = doc["proof"] if isinstance(doc["proof"], list) else [doc["proof"]]
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    deadline = time.perf_counter() + budget
    loader = DocumentLoader()
    doc_hashes: dict[str, bytes] = {}
    rdf_used = False
    issuer = _issuer_id(doc)
    for proof in proofs:
        if not isinstance(proof, dict):
            result.signatures.append(Signature("proof", "invalid", text("cred.reason.malformed_proof")))
            continue
        suite = str(
            proof.get("cryptosuite") if proof.get("type") == "DataIntegrityProof" else proof.get("type")
        )
        vm = str(proof.get("verificationMethod") or "")
        signer = vm.split("#", 1)[0] or None
        if suite not in DI_SUITES:
            result.signatures.append(
                Signature(suite, "not_checked", text("cred.reason.unsupported", method=suite), signer=signer)
            )
            continue
        key, key_label, reason = _di_key(vm, pins)
        if key is None:
            result.signatures.append(Signature(suite, "not_checked", reason, signer=signer))
            continue
        try:
            signature = multibase_decode(str(proof.get("proofValue") or ""))
        except ValueError:
            signature = b""
        if len(signature) != 64 or proof.get("proofPurpose") != "assertionMethod":
            result.signatures.append(
                Signature(suite, "invalid", text("cred.reason.malformed_proof"), key_label, signer)
            )
            continue
        config = {k: v for k, v in proof.items() if k != "proofValue"}
        config.setdefault("@context", doc.get("@context"))
        try:
            if suite == "eddsa-jcs-2022":
                data = _jcs_hash(config) + _jcs_hash(unsecured)
            else:
                rdf_used = True
                if "rdf" not in doc_hashes:
                    doc_hashes["rdf"] = _rdf_hash(unsecured, loader, deadline)
                data = _rdf_hash(config, loader, deadline) + doc_hashes["rdf"]
        except _Limit as limit:
            result.signatures.append(Signature(suite, "not_checked", text(limit.key), key_label, signer))
            continue
        except Exception:  # pyld raises JsonLdError; rfc8785 raises on numbers JSON cannot hold
            if loader.refused:
                reason = text("cred.reason.context", url=loader.refused[0])
                result.signatures.append(Signature(suite, "not_checked", reason, key_label, signer))
            else:
                reason = text(
                    "cred.reason.bad_jsonld" if suite != "eddsa-jcs-2022" else "cred.reason.bad_json"
                )
                result.signatures.append(Signature(suite, "invalid", reason, key_label, signer))
            continue
        status: SigStatus = "valid" if _ed25519_ok(key, signature, data) else "invalid"
        result.signatures.append(
            Signature(suite, status, None, key_label, signer, str(proof.get("created") or ""))
        )
        if status == "valid" and signer and issuer and signer != issuer:
            result.warnings.append(
                text("cred.warn.signer_not_issuer", signer=_short(signer), issuer=_short(issuer))
            )
    if rdf_used and any(s.status == "valid" for s in result.signatures):
        result.uncovered = uncovered_fields(unsecured, deadline)
    return result


def _di_key(vm: str, pins: Pins) -> tuple[Any, Text | None, Text | None]:
    """(Ed25519 key, where it came from, why there is none)."""
    pinned = pins.get(vm)
    if pinned is not None:
        key = _ed25519_from(pinned)
        if key is None:
            return None, None, text("cred.reason.key_type")
        return key, text("cred.key.pinned", id=_short(vm)), None
    if vm.startswith("did:key:"):
        try:
            return did_key_ed25519(vm), text("cred.key.did_key"), None
        except ValueError:
            return None, None, text("cred.reason.key_type")
    if vm.startswith("did:web:"):
        return None, None, text("cred.reason.did_web", id=_short(vm))
    if vm.startswith(("https://", "http://")):
        return None, None, text("cred.reason.https_key", url=_short(vm))
    return None, None, text("cred.reason.unknown_key", id=_short(vm) or "?")


def _ed25519_from(key: Any) -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if isinstance(key, Ed25519PublicKey):
        return key
    if isinstance(key, dict) and key.get("kty") == "OKP" and key.get("crv") == "Ed25519":
        from bot.credentials.formats import b64url

        return Ed25519PublicKey.from_public_bytes(b64url(str(key.get("x", ""))))
    return None


def _ed25519_ok(key: Any, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def _jcs_hash(value: Any) -> bytes:
    import rfc8785

    return hashlib.sha256(rfc8785.dumps(value)).digest()


def _rdf_hash(doc: Any, loader: Any, deadline: float) -> bytes:
    return hashlib.sha256(canonicalize(doc, loader, deadline).encode("utf-8")).digest()


def canonicalize(doc: Any, loader: Any, deadline: float) -> str:
    """RDFC-1.0 (URDNA2015) N-Quads of a JSON-LD document, within the caps (`_Limit` otherwise)."""
    import json

    if len(json.dumps(doc, ensure_ascii=False)) > MAX_CANON_BYTES or _values(doc) > MAX_CANON_VALUES:
        raise _Limit("cred.reason.too_big")
    if time.perf_counter() > deadline:
        raise _Limit("cred.reason.timeout")
    from pyld import jsonld  # 0.2 s to import: only once a document is within the caps

    dataset = jsonld.to_rdf(doc, {"documentLoader": loader, "produceGeneralizedRdf": False})
    quads = sum(len(triples) for triples in dataset.values())
    if quads > MAX_QUADS:
        raise _Limit("cred.reason.too_big")
    return _CappedURDNA2015(deadline).main(dataset, {"format": "application/n-quads"})


def _values(doc: Any) -> int:
    """How many keys and list items a JSON document holds (iteratively: no recursion limit)."""
    count, stack = 0, [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            count += len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            count += len(item)
            stack.extend(item)
    return count


def _capped_canon_class() -> Any:
    from pyld.canon import URDNA2015

    class Capped(URDNA2015):  # type: ignore[misc]
        """URDNA2015 that stops at a deadline and a blank-node cap (PyLD itself has no work limit)."""

        def __init__(self, deadline: float) -> None:
            super().__init__()
            self.deadline = deadline

        def _tick(self) -> None:
            if time.perf_counter() > self.deadline:
                raise _Limit("cred.reason.timeout")

        def main(self, dataset: Any, options: Any) -> Any:
            nodes = {
                c["value"]
                for triples in dataset.values()
                for quad in triples
                for k, c in quad.items()
                if k != "predicate" and c.get("type") == "blank node"
            }
            if len(nodes) > MAX_BLANK_NODES:
                raise _Limit("cred.reason.too_big")
            return super().main(dataset, options)

        def hash_first_degree_quads(self, id_: str) -> Any:
            self._tick()
            return super().hash_first_degree_quads(id_)

        def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
            self._tick()
            return super().hash_n_degree_quads(id_, issuer)

    return Capped


def _CappedURDNA2015(deadline: float) -> Any:
    """A URDNA2015 canonicaliser with the caps (the class is built on first use: pyld loads lazily)."""
    return _capped_canon_class()(deadline)


def uncovered_fields(doc: dict[str, Any], deadline: float) -> list[str]:
    """JSON paths of the keys that no JSON-LD context defines.

    RDF canonicalisation drops them, so an RDF-canonicalised proof stays valid when they are added
    or changed: they must never be shown as certified. ("*" when the check itself could not run.)
    """
    from pyld import jsonld

    from bot.credentials.contexts import DocumentLoader

    dropped: set[str] = set()
    if time.perf_counter() > deadline + 1.0:
        return ["*"]
    try:
        jsonld.expand(
            doc, {"documentLoader": DocumentLoader()}, on_property_dropped=lambda p: dropped.add(str(p))
        )
    except Exception:  # the proof already verified, so this cannot normally fail
        return ["*"]
    paths: list[str] = []
    _walk_keys(doc, "", dropped, paths)
    return paths


def _walk_keys(value: Any, path: str, dropped: set[str], out: list[str]) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            here = f"{path}.{key}" if path else key
            if key in dropped and not key.startswith("@"):
                out.append(here)
            else:
                _walk_keys(child, here, dropped, out)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _walk_keys(child, f"{path}[{index}]", dropped, out)


def _issuer_id(doc: dict[str, Any]) -> str | None:
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# JWS: compact (VC-JWT) and JSON (JAdES)


def _registry(extra_headers: tuple[str, ...] = ()) -> Any:
    from joserfc.jws import JWSRegistry
    from joserfc.registry import HeaderParameter

    class Registry(JWSRegistry):  # type: ignore[misc]
        """joserfc's registry with limits that fit credentials (EDC payloads and x5c headers are big)."""

        max_header_length = 256 * 1024
        max_payload_length = 4 * 1024 * 1024
        max_signature_length = 2048

    headers = {name: HeaderParameter(name, lambda _value: None) for name in extra_headers}
    return Registry(
        header_registry=headers, algorithms=[*JWS_ALGORITHMS, "Ed25519"], strict_check_header=False
    )


def _joserfc_key(key: Any) -> Any:
    """A joserfc key from a JWK dict or a cryptography public key (never a symmetric key)."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from joserfc.jwk import ECKey, OKPKey, RSAKey, import_key

    if isinstance(key, dict):
        if key.get("kty") not in ("RSA", "EC", "OKP") or "d" in key:
            raise ValueError("not an asymmetric public JWK")
        return import_key({k: v for k, v in key.items() if k not in ("alg", "use", "key_ops")})
    if isinstance(key, rsa.RSAPublicKey):
        return RSAKey.import_key(key)
    if isinstance(key, ec.EllipticCurvePublicKey):
        return ECKey.import_key(key)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return OKPKey.import_key(key)
    raise ValueError("unsupported key type")


def _certificate(b64_der: str) -> Any:
    from cryptography import x509

    return x509.load_der_x509_certificate(base64.b64decode(b64_der, validate=True))


def certificate_info(cert: Any) -> dict[str, Any]:
    """What the report shows about a seal certificate."""
    from cryptography.x509 import ObjectIdentifier
    from cryptography.x509.oid import NameOID

    def attr(name: Any, oid: Any) -> str:
        values = name.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    org_id_oid = ObjectIdentifier("2.5.4.97")  # organizationIdentifier (eIDAS seals: VATES-…, NTREE-…)
    subject = cert.subject
    return {
        "organisation": attr(subject, NameOID.ORGANIZATION_NAME) or attr(subject, NameOID.COMMON_NAME),
        "common_name": attr(subject, NameOID.COMMON_NAME),
        "identifier": attr(subject, org_id_oid),
        "country": attr(subject, NameOID.COUNTRY_NAME),
        "issuer": attr(cert.issuer, NameOID.COMMON_NAME) or attr(cert.issuer, NameOID.ORGANIZATION_NAME),
        "not_before": cert.not_valid_before_utc.date().isoformat(),
        "not_after": cert.not_valid_after_utc.date().isoformat(),
    }


def _verify_compact(parsed: Parsed, pins: Pins) -> Verification:
    from joserfc import jws
    from joserfc.errors import JoseError

    env = parsed.envelope
    header = env["header"]
    alg = str(header.get("alg"))
    method = f"JWS {alg}"
    if alg not in JWS_ALGORITHMS and alg != "Ed25519":
        return Verification(
            [Signature(method, "not_checked", text("cred.reason.unsupported", method=method))]
        )
    result = Verification()
    key_label: Text | None
    kid = header.get("kid") if isinstance(header.get("kid"), str) else None
    try:
        if pins.get(kid) is not None:
            key, key_label = _joserfc_key(pins.get(kid)), text("cred.key.pinned", id=_short(str(kid)))
        elif isinstance(header.get("jwk"), dict):
            key, key_label = _joserfc_key(header["jwk"]), text("cred.key.jwk")
            result.warnings.append(text("cred.warn.embedded_key"))
        elif isinstance(header.get("x5c"), list) and header["x5c"]:
            cert = _certificate(str(header["x5c"][0]))
            result.certificate = certificate_info(cert)
            key = _joserfc_key(cert.public_key())
            key_label = text("cred.key.x5c", subject=result.certificate["organisation"])
        else:
            reason = text("cred.reason.unknown_key", id=_short(kid or "?"))
            result.signatures.append(Signature(method, "not_checked", reason))
            return result
    except (ValueError, TypeError, JoseError):
        result.signatures.append(Signature(method, "not_checked", text("cred.reason.key_type")))
        return result
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            jws.deserialize_compact(env["compact"], key, algorithms=[alg], registry=_registry())
        status: SigStatus = "valid"
    except (JoseError, ValueError):
        status = "invalid"
    result.signatures.append(Signature(method, status, None, key_label))
    return result


def _verify_jws_json(parsed: Parsed) -> Verification:
    from cryptography.hazmat.primitives.serialization import Encoding
    from joserfc import jws
    from joserfc.errors import JoseError

    env = parsed.envelope
    result = Verification()
    value = env["jws_json"]
    members = value.get("signatures", [value])
    for member, header in zip(members, env["headers"], strict=True):
        alg = str(header.get("alg"))
        method = f"JAdES {alg}" if parsed.container == "jades" else f"JWS {alg}"
        chain = header.get("x5c") or (member.get("header") or {}).get("x5c")
        if alg not in JWS_ALGORITHMS or not isinstance(chain, list) or not chain:
            reason = text("cred.reason.unsupported", method=method) if alg not in JWS_ALGORITHMS else None
            result.signatures.append(
                Signature(method, "not_checked", reason or text("cred.reason.unknown_key", id="x5c"))
            )
            continue
        try:
            cert = _certificate(str(chain[0]))
            key = _joserfc_key(cert.public_key())
        except (ValueError, TypeError, JoseError):
            result.signatures.append(Signature(method, "not_checked", text("cred.reason.key_type")))
            continue
        info = certificate_info(cert)
        result.certificate = info
        key_label = text("cred.key.x5c", subject=info["organisation"])
        thumb = header.get("x5t#S256")
        der = cert.public_bytes(Encoding.DER)
        if isinstance(thumb, str) and thumb != _b64url(hashlib.sha256(der).digest()):
            result.signatures.append(Signature(method, "invalid", text("cred.reason.thumbprint"), key_label))
            continue
        single: jws.FlattenedJSONSerialization = {
            "payload": value["payload"],
            "signature": member["signature"],
        }
        if "protected" in member:
            single["protected"] = member["protected"]
        if "header" in member:
            single["header"] = member["header"]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                jws.deserialize_json(single, key, algorithms=[alg], registry=_registry(JADES_HEADERS))
            status: SigStatus = "valid"
        except (JoseError, ValueError):
            status = "invalid"
        signed_at = header.get("sigT") if isinstance(header.get("sigT"), str) else None
        result.signatures.append(Signature(method, status, None, key_label, info["organisation"], signed_at))
    return result


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def same_identifier(a: str, b: str) -> bool:
    """eIDAS identifiers match ignoring the scheme prefix (`NTREE-17207834` ~ `17207834`)."""
    x, y = (re.sub(r"[^0-9A-Z]", "", s.upper()) for s in (a, b))
    if not x or not y:
        return False
    return x == y or x.endswith(y) or y.endswith(x)
