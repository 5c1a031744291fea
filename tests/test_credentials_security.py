"""Hostile and broken files: fields outside the signature, caps, malformed input, XML entity attacks,
keys taken from the file, contexts outside the pinned set."""

from __future__ import annotations

import base64
import copy
import json
import struct
import zlib
from datetime import UTC, datetime
from typing import Any

import pytest
from credential_factory import (
    b64url,
    compact_jws,
    ed25519_did_key,
    knowledge_from,
    public_jwk,
    sample,
    sign_data_integrity,
)

from bot.credentials import formats, verify
from bot.credentials.keys import PinError, Pins
from bot.credentials.model import MAX_BYTES, CredentialError, Report
from bot.credentials.present import to_json, to_markdown
from bot.credentials.report import check_file
from bot.engine.paths import PROJECT_ROOT

NOW = datetime(2026, 12, 1, tzinfo=UTC)
DCC = "dcc_ob3_vc2_eddsa-rdfc-2022_didkey_basic.json"


@pytest.fixture(scope="module")
def knowledge() -> Any:
    return knowledge_from(PROJECT_ROOT)


def check(data: bytes | dict[str, Any] | str, knowledge: Any, pins: Pins | None = None) -> Report:
    if isinstance(data, dict):
        data = json.dumps(data)
    if isinstance(data, str):
        data = data.encode()
    return check_file(data, knowledge, "en", pins=pins or Pins(), now=NOW)


def refused(data: bytes | str, knowledge: Any) -> str:
    with pytest.raises(CredentialError) as caught:
        check(data, knowledge)
    return caught.value.message.key


# -- fields the signature does not cover ----------------------------------------------------------


def test_undefined_fields_added_to_a_signed_file_are_flagged_never_certified(knowledge: Any) -> None:
    doc = json.loads(sample(DCC))
    doc["credentialSubject"]["achievement"]["ECTS"] = 30  # an (Edubadges) extension no context defines here
    doc["credentialSubject"]["eqfLevelX"] = "7"
    doc["topLevelX"] = "added after signing"
    report = check(doc, knowledge)
    assert [s.status for s in report.signatures] == ["valid"]  # RDF canonicalisation drops them …
    assert set(report.uncovered) == {  # … so they are reported, by path
        "credentialSubject.achievement.ECTS",
        "credentialSubject.eqfLevelX",
        "topLevelX",
    }
    assert any(w.key == "cred.warn.uncovered" and w.values["count"] == 3 for w in report.warnings)
    workload = next(f for f in report.elements if f.id == "workload")
    (value,) = workload.values
    assert not value.covered and "(not covered by the signature)" in value.shown
    assert workload.status == "present" and any(n.key == "cred.note.unsigned_values" for n in workload.notes)
    cmf = {f.id: f for f in report.requirements}
    assert "EQF level, credits (required" in cmf["transcript"].reason  # unsigned ECTS are not a fact
    shown = to_json(report, knowledge.strings)
    assert shown["not_covered_by_signature"] == report.uncovered
    assert {"text": value.shown, "path": "credentialSubject.achievement.ECTS", "signed": False} in next(
        e["values"] for e in shown["elements"] if e["id"] == "workload"
    )
    assert "Not covered by the signature" in to_markdown(report, knowledge.strings)


def test_an_untouched_signed_file_has_no_uncovered_field(knowledge: Any) -> None:
    report = check(sample(DCC), knowledge)
    assert report.uncovered == [] and not any(w.key == "cred.warn.uncovered" for w in report.warnings)


def test_the_same_edit_breaks_proofs_over_the_raw_json(knowledge: Any) -> None:
    jcs = json.loads(sample("w3c-vc-di-eddsa_eddsa-jcs-2022_signed.json"))
    jcs["topLevelX"] = "added after signing"
    assert [s.status for s in check(jcs, knowledge).signatures] == ["invalid"]
    key, _vm = ed25519_did_key()
    claims = json.loads(sample("mynextid_ob3-microcredential_unsigned.json"))
    token = compact_jws(claims, key, {"alg": "EdDSA", "kid": "k1"})
    header, _payload, signature = token.split(".")
    claims["topLevelX"] = "added"
    changed = f"{header}.{b64url(json.dumps(claims).encode())}.{signature}"
    pins = Pins({"k1": public_jwk(key)})
    assert [s.status for s in check(token, knowledge, pins).signatures] == ["valid"]
    assert [s.status for s in check(changed, knowledge, pins).signatures] == ["invalid"]


def test_a_credential_signed_here_verifies_and_its_copy_does_not(knowledge: Any) -> None:
    key, vm = ed25519_did_key()
    doc = json.loads(sample("mynextid_ob3-microcredential_unsigned.json"))
    doc["@context"] = [c for c in doc["@context"] if "extensions" not in c]
    doc["issuer"] = {"id": vm.split("#")[0], "type": ["Profile"], "name": "Test University"}
    for suite in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
        signed = sign_data_integrity(doc, key, vm, suite)
        assert [s.status for s in check(signed, knowledge).signatures] == ["valid"], suite
        other = copy.deepcopy(signed)
        other["credentialSubject"]["achievement"]["name"] += "!"
        assert [s.status for s in check(other, knowledge).signatures] == ["invalid"], suite


# -- keys and contexts ----------------------------------------------------------------------------


def test_a_context_outside_the_pinned_set_is_never_fetched(knowledge: Any) -> None:
    doc = json.loads(sample(DCC))
    doc["@context"].append("https://evil.example/context.json")  # the tests cannot resolve this host anyway
    (signature,) = check(doc, knowledge).signatures
    assert signature.status == "not_checked"
    assert signature.reason and signature.reason.key == "cred.reason.context"
    assert signature.reason.values["url"] == "https://evil.example/context.json"


def test_a_bundled_context_whose_file_changed_is_refused(
    monkeypatch: pytest.MonkeyPatch, knowledge: Any
) -> None:
    from bot.credentials import contexts

    url = "https://www.w3.org/ns/credentials/v2"
    real = contexts.index()
    monkeypatch.setattr(contexts, "index", lambda: {**real, url: {**real[url], "sha256": "0" * 64}})
    contexts._load.cache_clear()
    try:
        (signature,) = check(sample(DCC), knowledge).signatures
    finally:
        contexts._load.cache_clear()
    assert (
        signature.status == "not_checked"
        and signature.reason
        and signature.reason.key == "cred.reason.context"
    )


def test_a_key_embedded_in_a_jwt_proves_the_maths_only(knowledge: Any) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    claims = json.loads(sample("mynextid_ob3-microcredential_unsigned.json"))
    token = compact_jws(claims, key, {"alg": "ES256", "typ": "vc+jwt", "jwk": public_jwk(key)})
    report = check(token, knowledge)
    assert [s.status for s in report.signatures] == ["valid"]
    assert report.signatures[0].key and report.signatures[0].key.key == "cred.key.jwk"
    assert "cred.warn.embedded_key" in [w.key for w in report.warnings]


def test_only_a_vc11_jwt_reads_the_jwt_claims_iss_and_nbf_as_issuer_and_issue_date(knowledge: Any) -> None:
    """VC 1.1 as a JWT wraps the credential in `vc` and lets `iss`/`nbf` stand for its issuer and
    issuance date; a VC 2.0 JWT (`vc+jwt`) is the credential itself, so a report must not show an
    issuer or issue date that the credential does not state."""
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    subject = {"id": "did:example:learner"}
    registered = {"iss": "https://jwt-issuer.example", "nbf": 1767225600}  # 2026-01-01T00:00:00Z

    def shown(report: Report) -> dict[str, list[str]]:
        by_id = {f.id: f for f in report.elements}
        return {e: [v.shown for v in by_id[e].values] for e in ("awarding-body", "date-of-issue")}

    v2 = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}
    token = compact_jws(
        {**v2, "credentialSubject": subject, **registered}, key, {"alg": "ES256", "typ": "vc+jwt"}
    )
    assert shown(check(token, knowledge)) == {"awarding-body": [], "date-of-issue": []}

    v11 = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"]}
    token = compact_jws({"vc": {**v11, "credentialSubject": subject}, **registered}, key, {"alg": "ES256"})
    found = shown(check(token, knowledge))
    assert found["awarding-body"] == ["https://jwt-issuer.example"]
    assert len(found["date-of-issue"]) == 1 and "2026" in found["date-of-issue"][0]


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_unsigned_or_symmetric_tokens_are_never_valid(alg: str, knowledge: Any) -> None:
    claims = json.loads(sample("mynextid_ob3-microcredential_unsigned.json"))
    secret = b"0123456789abcdef0123456789abcdef"
    header = {"alg": alg, "jwk": {"kty": "oct", "k": b64url(secret)}}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    import hashlib
    import hmac

    signature = (
        b64url(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()) if alg != "none" else ""
    )
    report = check(f"{signing_input}.{signature}", knowledge)
    assert [s.status for s in report.signatures] == ["not_checked"]
    assert not report.verified


def test_did_web_and_unknown_keys_are_not_resolvable_offline(knowledge: Any) -> None:
    doc = json.loads(sample(DCC))
    doc["proof"]["verificationMethod"] = "did:web:issuer.example#key-1"
    (signature,) = check(doc, knowledge).signatures
    assert (
        signature.status == "not_checked"
        and signature.reason
        and signature.reason.key == "cred.reason.did_web"
    )


def test_pin_files_are_checked(tmp_path: Any) -> None:
    bad = tmp_path / "pins.json"
    for content, expected in (
        ("not json", "not valid JSON"),
        ("[]", "must hold a JSON object"),
        ('{"k": {"ed25519_hex": "zz"}}', "32-byte hex"),
        ('{"k": {"jwk": {"kty": "EC", "d": "secret"}}}', "not a public JWK"),
        ('{"k": {}}', "give ed25519_hex, jwk or jwk_file"),
    ):
        bad.write_text(content)
        with pytest.raises(PinError, match=expected):
            Pins.load(bad)
    with pytest.raises(PinError, match="cannot read"):
        Pins.load(tmp_path / "missing.json")


# -- caps -----------------------------------------------------------------------------------------


def test_size_cap(knowledge: Any) -> None:
    assert refused(b"{" + b" " * MAX_BYTES + b"}", knowledge) == "cred.error.too_big"
    assert refused(b"", knowledge) == "cred.error.empty"


def test_canonicalisation_is_capped_in_time_and_size(knowledge: Any) -> None:
    parsed = formats.read(sample(DCC))
    (signature,) = verify.verify(parsed, Pins(), budget=0.0).signatures
    assert (
        signature.status == "not_checked"
        and signature.reason
        and signature.reason.key == "cred.reason.timeout"
    )
    doc = json.loads(sample(DCC))
    doc["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": f"n{i}", "targetUrl": f"https://a.example/{i}"}
        for i in range(verify.MAX_BLANK_NODES + 1)
    ]
    (signature,) = check(doc, knowledge).signatures
    assert (
        signature.status == "not_checked"
        and signature.reason
        and signature.reason.key == "cred.reason.too_big"
    )
    doc["credentialSubject"]["achievement"]["description"] = "x" * verify.MAX_CANON_BYTES
    (signature,) = check(doc, knowledge).signatures
    assert signature.reason and signature.reason.key == "cred.reason.too_big"


# -- malformed input and attacks ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ("{not json", "cred.error.bad_json"),
        ('{"a": 1, "a": 2}', "cred.error.duplicate_key"),
        ('{"a": NaN}', "cred.error.bad_json"),
        ("[" * 100_000 + "]" * 100_000, "cred.error.too_deep"),
        ("[" * 100 + "]" * 100, "cred.error.too_deep"),
        ("[1, 2, 3]", "cred.error.unknown_format"),
        ('{"hello": "world"}', "cred.error.unknown_format"),
        ("just some words", "cred.error.unknown_format"),
        ("aGVsbG8.d29ybGQ.c2ln", "cred.error.bad_json"),
        ("\x00\x01\x02binary", "cred.error.unknown_format"),
        ("<html><body>hi</body></html>", "cred.error.unknown_format"),
        ("<europassCredential><title>", "cred.error.bad_xml"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "cred.error.svg_no_badge"),
    ],
)
def test_malformed_input_gets_one_sentence(content: str, key: str, knowledge: Any) -> None:
    assert refused(content, knowledge) == key


def test_invalid_utf8_is_refused(knowledge: Any) -> None:
    assert refused(b"\xff\xfe\xfa{}", knowledge) == "cred.error.unknown_format"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<europassCredential><title>&lol3;</title></europassCredential>"""
XXE = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<europassCredential><title>&xxe;</title></europassCredential>"""
SVG_ENTITY = """<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "{}">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">
<openbadges:assertion verify="https://a.example/x">&a;</openbadges:assertion></svg>"""
PLAIN_DOCTYPE = """<?xml version="1.0"?><!DOCTYPE europassCredential><europassCredential/>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE, SVG_ENTITY, PLAIN_DOCTYPE])
def test_xml_entity_attacks_are_refused(xml: str, knowledge: Any) -> None:
    assert refused(xml, knowledge) == "cred.error.xml_entities"


def _png(*chunks: tuple[bytes, bytes]) -> bytes:
    out = formats.PNG_MAGIC
    for kind, body in chunks:
        out += struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return out


def test_png_cases(knowledge: Any) -> None:
    ihdr = (b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    assert refused(_png(ihdr, (b"IEND", b"")), knowledge) == "cred.error.png_no_badge"
    assert refused(sample("ob2_baked_heart_iTXt_hosted.png")[:60], knowledge) == "cred.error.bad_png"
    bomb = zlib.compress(b"{" + b" " * (MAX_BYTES * 4) + b"}", 9)  # a few kB that inflate to 8 MB
    assert len(bomb) < 100_000
    itxt = b"openbadges\x00" + b"\x01\x00" + b"\x00" + b"\x00" + bomb
    assert refused(_png(ihdr, (b"iTXt", itxt), (b"IEND", b"")), knowledge) == "cred.error.too_big"
    # an OB 3.0 credential baked as a compressed iTXt chunk under its own keyword
    badge = zlib.compress(sample("mynextid_ob3-microcredential_unsigned.json"))
    baked = _png(ihdr, (b"iTXt", b"openbadgecredential\x00\x01\x00\x00\x00" + badge), (b"IEND", b""))
    report = check(baked, knowledge)
    assert (report.model, report.container, report.outcome) == ("ob3", "png", "unsigned")


def test_a_jwt_baked_in_an_svg_is_read(knowledge: Any) -> None:
    token = sample("w3c-vc-jose_credential-minimal_ES256.jwt").decode().strip()
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
        f"<openbadges:credential><![CDATA[{token}]]></openbadges:credential></svg>"
    )
    from credential_factory import sample_pins

    report = check_file(svg.encode(), knowledge, "en", pins=sample_pins(), now=NOW)
    assert (report.container, [s.status for s in report.signatures]) == ("svg-jwt", ["valid"])


def test_a_jws_with_a_bad_base64_part_is_malformed(knowledge: Any) -> None:
    header = base64.urlsafe_b64encode(b'{"alg":"ES256"}').rstrip(b"=").decode()
    assert refused(f"{header}.!!!.abc", knowledge) in ("cred.error.unknown_format", "cred.error.bad_jws")
    assert refused(f"{header}.{header}x.abc", knowledge) in ("cred.error.bad_json", "cred.error.bad_jws")
