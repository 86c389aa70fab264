"""The Secrets Manager rotation contract: createSecret, setSecret, testSecret, finishSecret.

Every step checks the state it would create before creating it, so Secrets Manager may replay any step, or
the whole sequence with the same token, after a failure at any point: the rotation converges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from dbops import settings
from dbops.aws.secrets import CURRENT, PENDING, RotationSecrets, SecretNotFoundError, SecretState
from dbops.errors import DatabaseAccessError, RotationError, RotationRefusedError
from dbops.observability import logger, metrics
from dbops.rotation.budget import TimeBudget
from dbops.rotation.event import RotationEvent, Step, parse_event
from dbops.rotation.secret import DatabaseSecret
from dbops.rotation.settings import RotationSettings, Strategy
from dbops.rotation.strategies import AlternatingUsers, Context, RotationStrategy, SingleUser

if TYPE_CHECKING:
    from collections.abc import Callable


def handle(event: object, *, remaining_ms: int, secrets: RotationSecrets | None = None) -> dict[str, str]:
    """Run one rotation step for a Secrets Manager event; errors raise so Secrets Manager retries."""
    try:
        parsed = parse_event(event)
        config = settings.load(RotationSettings)
        rotation = Rotation(secrets or RotationSecrets(), config, TimeBudget(remaining_ms, config.safety_margin_ms))
        return rotation.run(parsed)
    except RotationError as error:
        logger.error("rotation step failed", failure=error.failure, error=str(error))
        with single_metric(
            name="RotationFailed", unit=MetricUnit.Count, value=1, namespace=metrics.namespace
        ) as metric:
            metric.add_dimension(name="Failure", value=error.failure)
        raise


@dataclass
class Rotation:
    """One invocation's rotation step, with the secret store, settings and time budget it works with."""

    secrets: RotationSecrets
    settings: RotationSettings
    budget: TimeBudget

    def run(self, event: RotationEvent) -> dict[str, str]:
        """Check the secret and the token, then run the event's step."""
        state = self._state(event)
        logger.append_keys(step=event.step.value, secret=state.arn, token=event.token)
        stages = state.versions[event.token]
        if CURRENT in stages:
            if PENDING in stages:
                # A finishSecret that moved AWSCURRENT but died before clearing AWSPENDING.
                self.secrets.clear_pending(state.arn, event.token)
            logger.info("version is already AWSCURRENT: nothing to do")
            metrics.add_metric(name="RotationStepSucceeded", unit=MetricUnit.Count, value=1)
            return self._outcome(event, state, "already current")
        steps: dict[Step, Callable[[RotationEvent, SecretState], str]] = {
            Step.CREATE: self.create_secret,
            Step.SET: self.set_secret,
            Step.TEST: self.test_secret,
            Step.FINISH: self.finish_secret,
        }
        outcome = steps[event.step](event, state)
        logger.info("rotation step done", outcome=outcome)
        metrics.add_metric(name="RotationStepSucceeded", unit=MetricUnit.Count, value=1)
        return self._outcome(event, state, outcome)

    def create_secret(self, event: RotationEvent, state: SecretState) -> str:
        """Store a new password as AWSPENDING under the token, unless the token already holds one."""
        current = self._read(state.arn, stage=CURRENT)
        try:
            self.secrets.value(state.arn, stage=PENDING, version_id=event.token)
        except SecretNotFoundError:
            pass
        else:
            return "pending secret exists"
        strategy = self._strategy(current)
        password = self.secrets.random_password(self.settings.password_length, self.settings.excluded_characters)
        pending = current.with_login(strategy.pending_username(current), password)
        self.secrets.put_pending(state.arn, event.token, pending.to_json(), rotation_token=event.rotation_token)
        logger.info("pending secret created", strategy=strategy.name, user=pending.username)
        return "pending secret created"

    def set_secret(self, event: RotationEvent, state: SecretState) -> str:
        """Make the database accept the pending password (nothing to do when it already does)."""
        current = self._read(state.arn, stage=CURRENT)
        pending = self._read(state.arn, stage=PENDING, version_id=event.token)
        strategy = self._strategy(current)
        strategy.check_pending(current, pending)
        context = self._context(event, state)
        if context.logs_in(pending):
            return "pending password already set"
        strategy.set_password(context, current, pending)
        return "pending password set"

    def test_secret(self, event: RotationEvent, state: SecretState) -> str:
        """Log in with the pending secret: the expected user, over TLS when required, able to query."""
        current = self._read(state.arn, stage=CURRENT)
        pending = self._read(state.arn, stage=PENDING, version_id=event.token)
        self._strategy(current).check_pending(current, pending)
        session = self._context(event, state).open(pending)
        try:
            info = session.info()
            if info.user_name != pending.username:
                raise DatabaseAccessError(
                    f"the pending secret logged in as {info.user_name}, not {pending.username}: check for an "
                    "anonymous or proxy account matching it",
                    failure="authentication",
                )
            if pending.ssl and not info.tls_cipher:
                raise DatabaseAccessError("the pending secret's session is not encrypted", failure="tls")
            session.check_query()
        finally:
            session.close()
        return "pending secret works"

    def finish_secret(self, event: RotationEvent, state: SecretState) -> str:
        """Move AWSCURRENT to the token (AWSPREVIOUS follows the old version), then clear AWSPENDING."""
        current_version = state.version_with(CURRENT)
        if current_version is None:
            raise RotationRefusedError(f"secret {state.arn} has no AWSCURRENT version: restore one first")
        self.secrets.move_current(state.arn, to_version=event.token, from_version=current_version)
        self.secrets.clear_pending(state.arn, event.token)
        metrics.add_metric(name="RotationSucceeded", unit=MetricUnit.Count, value=1)
        return "rotation finished"

    def _state(self, event: RotationEvent) -> SecretState:
        try:
            state = self.secrets.describe(event.secret_id)
        except SecretNotFoundError:
            raise RotationRefusedError(f"secret {event.secret_id} does not exist") from None
        if not state.rotation_enabled:
            raise RotationRefusedError(f"secret {state.arn} does not have rotation enabled: enable rotation first")
        if event.token not in state.versions:
            raise RotationRefusedError(
                f"secret {state.arn} has no version {event.token}: the token must name a version Secrets "
                "Manager staged for this rotation"
            )
        stages = state.versions[event.token]
        if CURRENT not in stages and PENDING not in stages:
            raise RotationRefusedError(
                f"version {event.token} of secret {state.arn} is not AWSPENDING: it is not being rotated"
            )
        return state

    def _read(self, arn: str, *, stage: str, version_id: str | None = None) -> DatabaseSecret:
        label = f"the {stage} secret"
        try:
            text = self.secrets.value(arn, stage=stage, version_id=version_id)
        except SecretNotFoundError:
            raise RotationRefusedError(f"{label} of {arn} has no value: run createSecret first") from None
        return DatabaseSecret.parse(text, label=label)

    def _strategy(self, current: DatabaseSecret) -> RotationStrategy:
        chosen = self.settings.strategy
        if chosen is Strategy.AUTO:
            chosen = Strategy.ALTERNATING_USERS if current.masterarn else Strategy.SINGLE_USER
        return AlternatingUsers() if chosen is Strategy.ALTERNATING_USERS else SingleUser()

    def _context(self, event: RotationEvent, state: SecretState) -> Context:
        return Context(self.secrets, self.settings, self.budget, state.arn, event.token)

    @staticmethod
    def _outcome(event: RotationEvent, state: SecretState, outcome: str) -> dict[str, str]:
        return {"step": event.step.value, "secret": state.arn, "outcome": outcome}
