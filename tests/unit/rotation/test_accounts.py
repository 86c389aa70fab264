"""Grant cloning, redaction and failure classification: pure logic of dbops.mysql.accounts."""

from __future__ import annotations

import ssl

import pymysql
import pytest

from dbops.mysql.accounts import classify, clone_grant, redact


@pytest.mark.parametrize(
    ("grant", "expected"),
    [
        (
            "GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD '*94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29'",
            "GRANT USAGE ON *.* TO `app_clone`@`%`",
        ),
        (
            "GRANT SELECT, INSERT ON `app`.* TO `app`@`%` WITH GRANT OPTION",
            "GRANT SELECT, INSERT ON `app`.* TO `app_clone`@`%` WITH GRANT OPTION",
        ),
        (
            "GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED VIA ed25519 USING 'abc' REQUIRE SSL",
            "GRANT USAGE ON *.* TO `app_clone`@`%` REQUIRE SSL",
        ),
        ("GRANT SELECT ON `db`.* TO 'app'@'%'", "GRANT SELECT ON `db`.* TO 'app_clone'@'%'"),
        ("GRANT `reader`@`%` TO `app`@`%`", "GRANT `reader`@`%` TO `app_clone`@`%`"),
    ],
)
def test_clone_grant_rewrites_only_the_grantee_when_the_grant_is(grant: str, expected: str) -> None:
    assert clone_grant(grant, user="app", host="%", clone="app_clone") == expected


def test_clone_grant_keeps_the_host_when_the_user_is_not_defined_for_every_host() -> None:
    grant = "GRANT SELECT ON `db`.* TO `app`@`10.0.%`"

    assert (
        clone_grant(grant, user="app", host="10.0.%", clone="app_clone")
        == "GRANT SELECT ON `db`.* TO `app_clone`@`10.0.%`"
    )


def test_clone_grant_refuses_when_the_grantee_is_not_the_user() -> None:
    with pytest.raises(ValueError, match="grantee"):
        clone_grant("GRANT SELECT ON *.* TO `other`@`%`", user="app", host="%", clone="app_clone")


def test_redact_removes_the_password_and_echoed_sql_when_an_error_quotes_them() -> None:
    message = "You have an error in your SQL syntax; near 'S3cr3t'x' at line 1; password S3cr3t'x and S3cr3t\\'x"

    redacted = redact(message, ["S3cr3t'x"])

    assert "S3cr3t" not in redacted
    assert "near [redacted] at line" in redacted


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (pymysql.err.OperationalError(1045, "Access denied"), "authentication"),
        (pymysql.err.OperationalError(2003, "Can't connect"), "network"),
        (pymysql.err.OperationalError(2013, "Lost connection"), "network"),
        (pymysql.err.OperationalError(1227, "Access denied; you need the CREATE USER privilege"), "privilege"),
        (pymysql.err.ProgrammingError(1064, "syntax"), "other"),
        (TimeoutError("timed out"), "network"),
    ],
)
def test_classify_names_the_failure_when_the_error_is(error: BaseException, failure: str) -> None:
    assert classify(error) == failure


def test_classify_says_tls_when_the_cause_is_a_certificate_error() -> None:
    error = pymysql.err.OperationalError(2003, "Can't connect")
    error.__context__ = ssl.SSLCertVerificationError("certificate verify failed")

    assert classify(error) == "tls"
