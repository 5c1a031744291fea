"""Every sample credential with its expected outcome, and a tampered copy of every signed one.

Expected outcomes come from the samples' README (tests/fixtures/credentials/README.md): names say
VALID, TAMPERED, BAD-SIGNATURE, EXPIRED, REVOKED-status, DIDWEB, BROKEN.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from credential_factory import SAMPLES, knowledge_from, sample, sample_pins

from bot.credentials.keys import Pins
from bot.credentials.model import CredentialError, Report
from bot.credentials.present import to_json, to_markdown
from bot.credentials.report import check_file
from bot.engine.paths import PROJECT_ROOT

NOW = datetime(2026, 12, 1, tzinfo=UTC)

# file -> (model, container, signature statuses in order, reason of a not-checked signature)
EXPECTED: dict[str, tuple[str, str, list[str], str | None]] = {
    "w3c-vc-di-eddsa_eddsa-rdfc-2022_signed.json": ("vc", "json", ["valid"], None),
    "w3c-vc-di-eddsa_Ed25519Signature2020_signed.json": ("vc", "json", ["valid"], None),
    "w3c-vc-di-eddsa_eddsa-jcs-2022_signed.json": ("vc", "json", ["valid"], None),
    "ob3-1edtech-impl-guide-eddsa-rdfc-2022.json": ("ob3", "json", ["valid"], None),  # with the pin
    "dcc_ob3_vc2_eddsa-rdfc-2022_didkey_basic.json": ("ob3", "json", ["valid"], None),
    "dcc_ob3_vc2_eddsa-rdfc-2022_didkey_alignments.json": ("ob3", "json", ["valid"], None),
    "dcc_ob3_vc2_eddsa-rdfc-2022_didkey_withSchema.json": ("ob3", "json", ["valid"], None),
    "dcc_ob3_vc2_Ed25519Signature2020_didkey.json": ("ob3", "json", ["valid"], None),
    "dcc_ob3_vc2_Ed25519Signature2020_didkey_TAMPERED.json": ("ob3", "json", ["invalid"], None),
    "dcc_ob3_vc2_both-proofs_didkey.json": ("ob3", "json", ["valid", "valid"], None),
    "dcc_ob3_vc2_eddsa-rdfc-2022_didkey_REVOKED-status.json": ("ob3", "json", ["valid"], None),
    "dcc_ob3_vc2_eddsa-rdfc-2022_DIDWEB.json": ("ob3", "json", ["not_checked"], "did_web"),
    "dcc_ob3_vc11_eddsa-rdfc-2022_didkey.json": ("ob3", "json", ["valid"], None),
    "dcc_ob3_vc11_Ed25519Signature2020_didkey_EXPIRED.json": ("ob3", "json", ["valid"], None),
    "w3c-vc-jose_credential-minimal_ES256.jwt": ("vc", "jwt", ["valid"], None),  # with the pin
    "w3c-vc-jose_credential_EdDSA_BAD-SIGNATURE.jwt": ("vc", "jwt", ["invalid"], None),
    "elm3_Sample-MC-Annex1_JAdES-signed.jsonld": ("edc", "jades", ["valid"], None),
    "elm3_Sample-MC-Annex1_unsigned.jsonld": ("edc", "json", [], None),
    "mynextid_edc-microcredential_JAdES-signed.jsonld": ("edc", "jades", ["valid"], None),
    "mynextid_ob3-microcredential_unsigned.json": ("ob3", "json", [], None),
    "edci1_credential-QSeal_XAdES.xml": ("edci", "xml", ["not_checked"], "xmldsig"),
    "ob2_baked_heart_iTXt_hosted.png": ("ob2", "png", ["not_checked"], "hosted"),
    "ob1_valid-baked_tEXt_url.png": ("ob-link", "png", ["not_checked"], "hosted"),
    "ob1_baked.svg": ("ob-link", "svg", ["not_checked"], "hosted"),
}
BROKEN = {"mynextid_ob3-microcredential_BROKEN-header-only.jwt": "cred.error.jws_incomplete"}
SIGNED_VALID = [name for name, (_, _, found, _) in EXPECTED.items() if found and set(found) == {"valid"}]


@pytest.fixture(scope="module")
def knowledge() -> Any:
    return knowledge_from(PROJECT_ROOT)


def check(data: bytes, knowledge: Any, *, pins: Pins | None = None, lang: str = "en") -> Report:
    return check_file(data, knowledge, lang, pins=sample_pins() if pins is None else pins, now=NOW)


def test_every_sample_file_has_an_expectation() -> None:
    files = {p.name for p in SAMPLES.iterdir() if p.is_file() and p.name not in ("README.md", "pins.json")}
    assert files == set(EXPECTED) | set(BROKEN)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_outcome(name: str, knowledge: Any) -> None:
    model, container, statuses, reason = EXPECTED[name]
    report = check(sample(name), knowledge)
    assert (report.model, report.container) == (model, container)
    assert [s.status for s in report.signatures] == statuses
    if reason:
        first = report.signatures[0].reason
        assert first is not None and first.key == f"cred.reason.{reason}"
    assert len(report.elements) == 11 and len(report.requirements) == 5
    text = to_markdown(report, knowledge.strings)
    assert "Whether the person showing you this file is the learner" in text  # always said
    json.dumps(to_json(report, knowledge.strings))  # serialisable


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_samples_get_one_sentence(name: str, knowledge: Any) -> None:
    with pytest.raises(CredentialError) as caught:
        check(sample(name), knowledge)
    assert caught.value.message.key == BROKEN[name]


def test_keys_only_at_a_web_address_verify_only_when_pinned(knowledge: Any) -> None:
    guide = check(sample("ob3-1edtech-impl-guide-eddsa-rdfc-2022.json"), knowledge, pins=Pins())
    assert guide.signatures[0].status == "not_checked"
    assert guide.signatures[0].reason and guide.signatures[0].reason.key == "cred.reason.https_key"
    jwt = check(sample("w3c-vc-jose_credential-minimal_ES256.jwt"), knowledge, pins=Pins())
    assert jwt.signatures[0].status == "not_checked"
    assert jwt.signatures[0].reason and jwt.signatures[0].reason.key == "cred.reason.unknown_key"


def test_expired_revocable_and_foreign_signer_are_said(knowledge: Any) -> None:
    expired = check(sample("dcc_ob3_vc11_Ed25519Signature2020_didkey_EXPIRED.json"), knowledge)
    assert [w.key for w in expired.warnings] == ["cred.warn.expired"]
    revoked = check(sample("dcc_ob3_vc2_eddsa-rdfc-2022_didkey_REVOKED-status.json"), knowledge)
    (status,) = [t for t in revoked.not_checked if t.key == "cred.never.status"]
    assert status.values["url"].endswith("/status/e5WK8CbZ1GjycuPombrj")  # named, never fetched
    vector = check(sample("w3c-vc-di-eddsa_eddsa-rdfc-2022_signed.json"), knowledge)
    assert [w.key for w in vector.warnings] == ["cred.warn.signer_not_issuer"]
    assert vector.warnings[0].values["issuer"] == "https://vc.example/issuers/5678"


def test_edc_seals_name_the_mandate_and_the_certificate(knowledge: Any) -> None:
    ec = check(sample("elm3_Sample-MC-Annex1_JAdES-signed.jsonld"), knowledge)
    keys = [w.key for w in ec.warnings]
    assert keys == ["cred.warn.mandate", "cred.warn.cert_expired_after"]  # valid when sealed, expired now
    assert ec.warnings[0].values == {"signer": "ORGANIZACION TEST", "issuer": "University of Zed"}
    assert any(t.key == "cred.never.trust_list" for t in ec.not_checked)
    mynext = check(sample("mynextid_edc-microcredential_JAdES-signed.jsonld"), knowledge)
    assert [w.key for w in mynext.warnings] == ["cred.warn.mandate"]  # NTREE-17207834 ~ 17207834: same body


def test_edc_elements_workload_and_privacy(knowledge: Any) -> None:
    report = check(sample("mynextid_edc-microcredential_JAdES-signed.jsonld"), knowledge)
    by_id = {f.id: f for f in report.elements}
    workload = by_id["workload"]
    assert workload.status == "inconsistent"
    assert any(n.key == "cred.workload.mismatch" for n in workload.notes)
    text = to_markdown(report, knowledge.strings)
    assert "45 h but 5 ECTS: inconsistent, 5 ECTS ≈ 125–150 h" in text
    assert by_id["learner"].status == "present" and "Joe Done" in text
    assert "12345" not in text and "national ID number: in the file (not shown)" in text
    assert by_id["quality-assurance"].status == "missing"
    cmf = {f.id: f for f in report.requirements}
    assert cmf["study-hours"].status == "not_met" and "45" in cmf["study-hours"].reason
    assert cmf["id-verification"].status == "met"  # "Supervised with ID Verification"
    assert cmf["level"].status == "met"
    assert cmf["assessment"].status == "unknown"


def test_a_duration_in_months_is_not_hours(knowledge: Any) -> None:
    report = check(sample("elm3_Sample-MC-Annex1_JAdES-signed.jsonld"), knowledge)
    workload = next(f for f in report.elements if f.id == "workload")
    assert workload.status == "inconsistent"
    assert [n.values["raw"] for n in workload.notes if n.key == "cred.workload.calendar"] == ["P60M"]
    assert "P60M = 60 months" in to_markdown(report, knowledge.strings)
    assert "1999-10-01" not in to_markdown(report, knowledge.strings)  # date of birth never shown
    cmf = {f.id: f for f in report.requirements}
    assert cmf["id-verification"].status == "not_met"  # "Unsupervised without ID Verification"


def test_every_language_reads_the_same_file(knowledge: Any) -> None:
    data = sample("mynextid_edc-microcredential_JAdES-signed.jsonld")
    titles = {}
    for lang in ("en", "fr", "es", "it", "de"):
        report = check(data, knowledge, lang=lang)
        text = to_markdown(report, knowledge.strings)
        assert "cred." not in text, lang  # no untranslated key
        titles[lang] = text.splitlines()[0]
    assert len(set(titles.values())) == 5


# -- tampered copies made here ------------------------------------------------------------------


def _tamper(name: str, data: bytes) -> bytes:
    """One letter changed in what the credential says about its subject."""
    if name.endswith(".jwt"):
        header, payload, signature = data.decode().strip().split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
        claims["credentialSubject"]["id"] += "x"
        changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{header}.{changed}.{signature}".encode()
    doc = json.loads(data)
    if "payload" in doc:  # JAdES: the learner's name inside the sealed payload
        for old, new in (("Ana Andromeda", "Ana Andromedb"), ("Joe Done", "Joe Dona")):
            doc["payload"] = doc["payload"].replace(old, new)
        return json.dumps(doc).encode()
    subject = doc["credentialSubject"]
    if isinstance(subject.get("id"), str):
        subject["id"] += "x"
    elif "achievement" in subject:
        subject["achievement"]["name"] += "x"
    else:
        subject["alumniOf"] += "x"
    return json.dumps(doc).encode()


@pytest.mark.parametrize("name", SIGNED_VALID)
def test_a_tampered_copy_of_every_signed_sample_fails(name: str, knowledge: Any) -> None:
    original = sample(name)
    changed = _tamper(name, original)
    assert changed != original
    report = check(changed, knowledge)
    assert report.signatures and all(s.status == "invalid" for s in report.signatures), name
    assert report.outcome == "invalid" and not report.verified
    assert any(w.key == "cred.warn.claims_only" for w in report.warnings)
