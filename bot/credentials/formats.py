"""Reading a credential file safely: JSON(-LD), JWS JSON (JAdES), compact JWS (VC-JWT), baked PNG and
SVG badges, legacy EDCI XML.

Every input is untrusted. Files over `MAX_BYTES` are refused before parsing; JSON may not repeat a
key, use NaN or nest deeper than `MAX_DEPTH`; XML is parsed with defusedxml with DTDs refused (so no
entity can be declared, let alone expanded); compressed PNG text is inflated with a cap. Anything
that cannot be read raises `CredentialError` with a one-sentence reason.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import struct
import zlib
from typing import Any

from bot.credentials.model import MAX_BYTES, CredentialError, Parsed

MAX_DEPTH = 64
"""Deepest nesting of JSON objects and arrays (or XML elements) accepted."""
MAX_PNG_CHUNKS = 10_000
MAX_INFLATED = MAX_BYTES
"""Largest text a compressed PNG chunk may inflate to."""

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORDS = (b"openbadges", b"openbadgecredential")
SVG_TAGS = ("{http://openbadges.org}assertion", "{https://purl.imsglobal.org/ob/v3p0}credential")
XMLDSIG = "{http://www.w3.org/2000/09/xmldsig#}Signature"

_B64URL = r"[A-Za-z0-9_-]+"
_COMPACT_JWS = re.compile(rf"^{_B64URL}\.{_B64URL}\.[A-Za-z0-9_-]*$")
_ONE_SEGMENT = re.compile(rf"^{_B64URL}$")
_URL = re.compile(r"^https?://\S+$")


def read(data: bytes) -> Parsed:
    """The credential in `data` (the bytes of an uploaded file)."""
    if len(data) > MAX_BYTES:
        raise CredentialError("cred.error.too_big", size=f"{len(data):,}", limit=f"{MAX_BYTES:,}")
    if not data.strip():
        raise CredentialError("cred.error.empty")
    if data.startswith(PNG_MAGIC):
        return _from_text(_png_text(data), "png")
    text = _decode(data)
    stripped = text.strip()
    if stripped.startswith("<"):
        return _from_xml(stripped)
    return _from_text(stripped, "json")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise CredentialError("cred.error.unknown_format") from None


def _from_text(text: str, container: str) -> Parsed:
    """A credential given as text: JSON, a compact JWS, or (in a baked image) a link."""
    text = text.strip()
    if text.startswith(("{", "[")):
        value = loads(text)
        link = _hosted_link(value) if container != "json" else None
        if link:
            return Parsed(model="ob-link", container=container, data={}, link=link)
        return _from_json(value, container)
    if _COMPACT_JWS.match(text):
        parsed = _from_compact_jws(text)
        if container != "json":
            parsed.container = f"{container}-jwt"
        return parsed
    if _ONE_SEGMENT.match(text) and _looks_like_jose_header(text):
        raise CredentialError("cred.error.jws_incomplete")
    if container != "json" and _URL.match(text):
        return Parsed(model="ob-link", container=container, data={}, link=text)
    raise CredentialError("cred.error.unknown_format")


# ---------------------------------------------------------------------------------------------
# JSON


def loads(text: str | bytes) -> Any:
    """Strict JSON: no repeated keys, no NaN/Infinity, nesting at most `MAX_DEPTH`."""
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except RecursionError:
        raise CredentialError("cred.error.too_deep", limit=MAX_DEPTH) from None
    except (ValueError, UnicodeDecodeError):
        raise CredentialError("cred.error.bad_json") from None
    _check_depth(value)
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise CredentialError("cred.error.duplicate_key")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise CredentialError("cred.error.bad_json")


def _check_depth(value: Any) -> None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise CredentialError("cred.error.too_deep", limit=MAX_DEPTH)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def _from_json(value: Any, container: str) -> Parsed:
    if not isinstance(value, dict):
        raise CredentialError("cred.error.unknown_format")
    if "payload" in value and ("signatures" in value or "signature" in value):
        return _from_jws_json(value)
    return Parsed(model=classify(value), container=container, data=value, envelope={"json": value})


def classify(cred: dict[str, Any]) -> str:
    """What a credential object is: edc, ob3, vc, ob2 or ob1 (CredentialError if none)."""
    types = _strings(cred.get("type")) + _strings(cred.get("@type"))
    contexts = " ".join(_strings(cred.get("@context")))
    if "EuropeanDigitalCredential" in types or "data.europa.eu/snb" in contexts:
        return "edc"
    if {"OpenBadgeCredential", "AchievementCredential"} & set(
        types
    ) or "imsglobal.org/spec/ob/v3p0" in contexts:
        return "ob3"
    if "VerifiableCredential" in types:
        return "vc"
    if "w3id.org/openbadges" in contexts or "Assertion" in types:
        return "ob2"
    if {"recipient", "badge", "verify"} <= set(cred):
        return "ob1"
    raise CredentialError("cred.error.unknown_format")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


# ---------------------------------------------------------------------------------------------
# JWS: JSON serialisation (JAdES) and compact (VC-JWT)


def b64url(segment: str) -> bytes:
    """Decode base64url without padding (CredentialError if it is not base64url)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", segment):
        raise CredentialError("cred.error.bad_jws")
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise CredentialError("cred.error.bad_jws") from None


def _json_segment(segment: str) -> dict[str, Any]:
    value = loads(b64url(segment))
    if not isinstance(value, dict):
        raise CredentialError("cred.error.bad_jws")
    return value


def _hosted_link(value: Any) -> str | None:
    """The URL of a baked Open Badges 1.x pointer (`{"verify": {"url": …}}`) that holds nothing else."""
    if not isinstance(value, dict) or set(value) - {"verify", "verification", "@context", "type", "id"}:
        return None
    for key in ("verify", "verification"):
        url = value.get(key, {}).get("url") if isinstance(value.get(key), dict) else None
        if isinstance(url, str) and _URL.match(url):
            return url
    return None


def _looks_like_jose_header(segment: str) -> bool:
    try:
        header = _json_segment(segment)
    except CredentialError:
        return False
    return "alg" in header


def _from_jws_json(value: dict[str, Any]) -> Parsed:
    if "signatures" in value:
        members = value["signatures"]
        if not isinstance(members, list) or not members or not all(isinstance(m, dict) for m in members):
            raise CredentialError("cred.error.bad_jws")
    else:
        members = [{k: value[k] for k in ("protected", "header", "signature") if k in value}]
    headers = []
    for member in members:
        protected = member.get("protected")
        if not isinstance(protected, str) or not isinstance(member.get("signature"), str):
            raise CredentialError("cred.error.bad_jws")
        headers.append(_json_segment(protected))
    payload = value["payload"]
    if not isinstance(payload, str):
        raise CredentialError("cred.error.bad_jws")
    unencoded = headers[0].get("b64") is False
    raw = payload.encode("utf-8") if unencoded else b64url(payload)
    cred = loads(raw)
    if not isinstance(cred, dict):
        raise CredentialError("cred.error.unknown_format")
    jades = any("sigT" in h or "x5c" in h for h in headers)
    return Parsed(
        model=classify(cred),
        container="jades" if jades else "jws",
        data=cred,
        envelope={"jws_json": value, "headers": headers, "payload": raw},
    )


def _from_compact_jws(token: str) -> Parsed:
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = _json_segment(header_b64)
    if "alg" not in header:
        raise CredentialError("cred.error.bad_jws")
    claims = _json_segment(payload_b64)
    wrapped = claims.get("vc")
    cred = dict(wrapped if isinstance(wrapped, dict) else claims)
    if isinstance(wrapped, dict):  # VC 1.1 as a JWT: registered claims stand for credential fields
        if "iss" in claims and "issuer" not in cred:
            cred["issuer"] = claims["iss"]
        if isinstance(claims.get("nbf"), int | float) and "issuanceDate" not in cred:
            cred["issuanceDate"] = _epoch(claims["nbf"])
    if isinstance(claims.get("exp"), int | float) and not {"expirationDate", "validUntil"} & set(cred):
        cred["validUntil"] = _epoch(claims["exp"])
    return Parsed(
        model=classify(cred),
        container="jwt",
        data=cred,
        envelope={"compact": token, "header": header, "claims": claims, "signature": signature_b64},
    )


def _epoch(seconds: float) -> str:
    from datetime import UTC, datetime

    try:
        return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        raise CredentialError("cred.error.bad_jws") from None


# ---------------------------------------------------------------------------------------------
# Baked PNG


def _png_text(data: bytes) -> str:
    """The text of the first `openbadges` / `openbadgecredential` chunk (tEXt, iTXt or zTXt)."""
    pos, chunks = len(PNG_MAGIC), 0
    while pos + 8 <= len(data):
        chunks += 1
        if chunks > MAX_PNG_CHUNKS:
            raise CredentialError("cred.error.bad_png")
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            raise CredentialError("cred.error.bad_png")
        pos += 12 + length
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            keyword, sep, rest = body.partition(b"\x00")
            if sep and keyword in PNG_KEYWORDS:
                return _png_chunk_text(kind, rest)
        if kind == b"IEND":
            break
    raise CredentialError("cred.error.png_no_badge")


def _png_chunk_text(kind: bytes, rest: bytes) -> str:
    if kind == b"tEXt":
        return rest.decode("latin-1")
    if kind == b"zTXt":
        return _inflate(rest[1:]).decode("latin-1")
    # iTXt: compression flag, method, language tag \0, translated keyword \0, text
    if len(rest) < 2:
        raise CredentialError("cred.error.bad_png")
    compressed = rest[0] == 1
    parts = rest[2:].split(b"\x00", 2)
    if len(parts) != 3:
        raise CredentialError("cred.error.bad_png")
    body = _inflate(parts[2]) if compressed else parts[2]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise CredentialError("cred.error.bad_png") from None


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_INFLATED + 1)
    except zlib.error:
        raise CredentialError("cred.error.bad_png") from None
    if len(out) > MAX_INFLATED or inflater.unconsumed_tail:
        raise CredentialError("cred.error.too_big", size=f"> {MAX_INFLATED:,}", limit=f"{MAX_INFLATED:,}")
    return out


# ---------------------------------------------------------------------------------------------
# XML: baked SVG and legacy EDCI


def parse_xml(text: str) -> Any:
    """An ElementTree root, refusing any DTD (hence any entity) and external reference."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise CredentialError("cred.error.xml_entities") from None
    except (ParseError, ValueError):
        raise CredentialError("cred.error.bad_xml") from None
    _check_xml_depth(root)
    return root


def _check_xml_depth(root: Any) -> None:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise CredentialError("cred.error.too_deep", limit=MAX_DEPTH)
        stack.extend((child, depth + 1) for child in element)


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _from_xml(text: str) -> Parsed:
    root = parse_xml(text)
    name = _local(root.tag)
    if name == "svg":
        for tag in SVG_TAGS:
            found = root.find(f".//{tag}")
            if found is None:
                continue
            inner = (found.text or "").strip()
            if inner:
                return _from_text(inner, "svg")
            link = (found.get("verify") or "").strip()
            if _URL.match(link):
                return Parsed(model="ob-link", container="svg", data={}, link=link)
        raise CredentialError("cred.error.svg_no_badge")
    if name == "europassCredential":
        signed = root.find(f".//{XMLDSIG}") is not None
        data = xml_to_dict(root)
        if not isinstance(data, dict):
            raise CredentialError("cred.error.unknown_format")
        return Parsed(model="edci", container="xml", data=data, envelope={"xml_signature": signed})
    raise CredentialError("cred.error.unknown_format")


def xml_to_dict(element: Any) -> Any:
    """Nested dicts from XML: repeated tags become lists; `<text language="xx">` children become a
    language map; the signature itself is left out."""
    children = [c for c in element if c.tag != XMLDSIG]
    if not children:
        return (element.text or "").strip()
    out: dict[str, Any] = {}
    for child in children:
        tag = _local(child.tag)
        if tag == "text" and child.get("language"):
            out.setdefault(child.get("language"), (child.text or "").strip())
            continue
        value = xml_to_dict(child)
        if tag in out:
            if not isinstance(out[tag], list):
                out[tag] = [out[tag]]
            out[tag].append(value)
        else:
            out[tag] = value
    return out
