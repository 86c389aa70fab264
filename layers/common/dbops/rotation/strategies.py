"""The two ways a password rotates: a user changes its own, or two users alternate under a master login."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from dbops.aws.secrets import CURRENT, PREVIOUS, SecretNotFoundError
from dbops.errors import DatabaseAccessError, MasterSecretError, PendingSecretMismatchError, SecretFormatError
from dbops.mysql import accounts
from dbops.observability import logger
from dbops.rotation.secret import DatabaseSecret, alternate_user

if TYPE_CHECKING:
    from dbops.aws.secrets import RotationSecrets
    from dbops.mysql.accounts import Session
    from dbops.rotation.budget import TimeBudget
    from dbops.rotation.settings import RotationSettings

# How many recent versions single-user setSecret tries when neither AWSCURRENT nor AWSPREVIOUS logs in
# (the database may hold the password of a rotation that failed after its setSecret).
RECENT_VERSIONS_TO_TRY = 10


@dataclass
class Context:
    """What a strategy works with: the secret's store, settings, the time budget and the secret's ARN."""

    secrets: RotationSecrets
    settings: RotationSettings
    budget: TimeBudget
    arn: str
    token: str

    def open(self, secret: DatabaseSecret, credentials: DatabaseSecret | None = None) -> Session:
        """Log in to ``secret``'s server, as ``credentials`` when given, else as ``secret``."""
        login = credentials or secret
        timeout = self.budget.timeout(self.settings.connect_timeout, action=f"logging in as {login.username}")
        return accounts.open_session(
            secret.endpoint,
            login.credentials,
            tls=secret.ssl,
            ca_bundle=self.settings.ca_bundle,
            timeout=timeout,
        )

    def logs_in(self, secret: DatabaseSecret) -> bool:
        """Whether ``secret`` logs in; False only when the server refuses the credentials."""
        try:
            self.open(secret).close()
        except DatabaseAccessError as error:
            if error.failure == "authentication":
                return False
            raise
        return True


class RotationStrategy(Protocol):
    """One way of rotating: who the pending secret names and how its password reaches the database."""

    name: str

    def pending_username(self, current: DatabaseSecret) -> str:
        """The user the new version of the secret logs in as."""
        ...

    def check_pending(self, current: DatabaseSecret, pending: DatabaseSecret) -> None:
        """Raise PendingSecretMismatchError unless ``pending`` fits the expected user and server."""
        ...

    def set_password(self, context: Context, current: DatabaseSecret, pending: DatabaseSecret) -> None:
        """Make the database accept ``pending``'s login."""
        ...


def _check_same_server(current: DatabaseSecret, pending: DatabaseSecret) -> None:
    if not current.same_server(pending):
        raise PendingSecretMismatchError(
            "the AWSPENDING secret points at another host, port or engine than the AWSCURRENT secret: "
            "refusing to send a password there; remove the AWSPENDING label from that version, rotate again"
        )
    if current.ssl and not pending.ssl:
        raise PendingSecretMismatchError(
            "the AWSPENDING secret turns TLS off while the AWSCURRENT secret requires it: refusing a downgrade"
        )


class SingleUser:
    """The user changes its own password, logging in with the current (else the previous) password."""

    name = "single_user"

    def pending_username(self, current: DatabaseSecret) -> str:
        """The same user."""
        return current.username

    def check_pending(self, current: DatabaseSecret, pending: DatabaseSecret) -> None:
        """Same server, same user."""
        _check_same_server(current, pending)
        if pending.username != current.username:
            raise PendingSecretMismatchError(
                "the AWSPENDING secret names another user than the AWSCURRENT secret: single-user rotation "
                "changes one user's password; remove the AWSPENDING label from that version and rotate again"
            )

    def set_password(self, context: Context, current: DatabaseSecret, pending: DatabaseSecret) -> None:
        """Log in with the first password the database accepts, then change it to the pending one."""
        session = self._log_in(context, current)
        try:
            version = session.version()
            retain = context.settings.retain_current_password and version.supports_dual_passwords
            session.change_own_password(version, pending.password, retain_current=retain)
            logger.info("password changed", user=pending.username, server=str(version), retained_old=retain)
        finally:
            session.close()

    def _log_in(self, context: Context, current: DatabaseSecret) -> Session:
        tried = 0
        for label, candidate in self._candidates(context, current):
            tried += 1
            try:
                session = context.open(candidate)
            except DatabaseAccessError as error:
                if error.failure != "authentication":
                    raise
                logger.info("login refused", version=label, user=candidate.username)
                continue
            logger.info("logged in", version=label, user=candidate.username)
            return session
        raise DatabaseAccessError(
            f"unable to log in as {current.username} with the AWSCURRENT, AWSPREVIOUS or any of "
            f"{tried - 1} other recent versions of the secret: set a known password on the database, store it"
            " as AWSCURRENT, and rotate again",
            failure="authentication",
        )

    def _candidates(self, context: Context, current: DatabaseSecret) -> list[tuple[str, DatabaseSecret]]:
        candidates = [(CURRENT, current)]
        try:
            previous = DatabaseSecret.parse(
                context.secrets.value(context.arn, stage=PREVIOUS), label="the AWSPREVIOUS secret"
            )
            candidates.append((PREVIOUS, previous))
        except (SecretNotFoundError, SecretFormatError):
            pass
        for version_id in context.secrets.recent_versions(context.arn, limit=RECENT_VERSIONS_TO_TRY):
            if version_id == context.token:
                continue
            try:
                older = DatabaseSecret.parse(
                    context.secrets.value(context.arn, version_id=version_id),
                    label="an earlier secret version",
                )
            except (SecretNotFoundError, SecretFormatError):
                continue
            candidates.append((version_id, older))
        unique: list[tuple[str, DatabaseSecret]] = []
        for label, candidate in candidates:
            if (
                candidate.same_server(current)
                and candidate.username == current.username
                and all(candidate.password != seen.password for _, seen in unique)
            ):
                unique.append((label, candidate))
        return unique


class AlternatingUsers:
    """Two users, ``app`` and ``app_clone``, take turns: the master login sets the idle one's password."""

    name = "alternating_users"

    def pending_username(self, current: DatabaseSecret) -> str:
        """The other user of the pair."""
        return alternate_user(current.username)

    def check_pending(self, current: DatabaseSecret, pending: DatabaseSecret) -> None:
        """Same server, the other user of the pair."""
        _check_same_server(current, pending)
        if pending.username != alternate_user(current.username):
            raise PendingSecretMismatchError(
                "the AWSPENDING secret names neither user of the alternating pair: remove the "
                "AWSPENDING label from that version and rotate again"
            )

    def set_password(self, context: Context, current: DatabaseSecret, pending: DatabaseSecret) -> None:
        """As master: create the idle user like the active one (hosts and grants), then set its password last.

        The password is the last change, so "the pending secret logs in" means every grant is in place.
        """
        master = self._master(context, current)
        session = context.open(current, credentials=master)
        try:
            version = session.version()
            hosts = session.user_hosts(current.username)
            if not hosts:
                raise DatabaseAccessError(
                    f"user {current.username} does not exist on the server: the AWSCURRENT secret is stale",
                    failure="authentication",
                )
            existing = set(session.user_hosts(pending.username))
            for host in hosts:
                if host not in existing:
                    # A placeholder nobody knows, replaced below: never a known or empty password.
                    session.create_user(pending.username, host, secrets.token_urlsafe(24) + "aA1!")
                for grant in session.grants(current.username, host):
                    try:
                        cloned = accounts.clone_grant(grant, user=current.username, host=host, clone=pending.username)
                    except ValueError as error:
                        raise DatabaseAccessError(
                            f"cannot copy a grant to the clone: {error}", failure="other"
                        ) from None
                    session.grant(cloned)
            session.set_user_passwords(version, pending.username, hosts, pending.password)
            logger.info("alternate user ready", user=pending.username, hosts=hosts, server=str(version))
        finally:
            session.close()

    def _master(self, context: Context, current: DatabaseSecret) -> DatabaseSecret:
        if not current.masterarn:
            raise MasterSecretError(
                "alternating-users rotation needs the master secret: add 'masterarn' (the master "
                "secret's ARN) to the secret, or set ROTATION_STRATEGY=single_user"
            )
        try:
            text = context.secrets.value(current.masterarn, stage=CURRENT)
        except SecretNotFoundError:
            raise MasterSecretError(
                f"the master secret {current.masterarn} named by 'masterarn' does not exist or has no value"
            ) from None
        return DatabaseSecret.parse(text, label="the master secret")
