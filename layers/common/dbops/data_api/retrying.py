"""When a failed Data API call may be sent again, and how long to wait: the policy, with no I/O of its own.

botocore's retries are off for rds-data (they re-send 5xx errors, which can run an INSERT or a commit twice),
so this is the whole policy. A call is repeated only when repeating it cannot apply a change twice:

- the service says the statement never ran: the cluster is resuming from zero capacity
  (DatabaseResumingException, or the older BadRequestException "Communications link failure"), throttling,
  or the request never left (connection refused or timed out while connecting): any call;
- the outcome is unknown (DatabaseUnavailableException, a 5xx, a statement timeout, a read timeout):
  only calls that change nothing (reads, BeginTransaction, RollbackTransaction). A write outside a
  transaction then fails as "outcome unknown"; inside one, the transaction is rolled back and may be re-run.

Waits grow exponentially with full jitter, and stop when the budget (below the Lambda's remaining time; a
resume takes up to about 15 s) would be exceeded.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

NOT_RUN_CODES = frozenset(
    {
        "DatabaseResumingException",
        "ThrottlingException",
        "TooManyRequestsException",
        "Throttling",
        "RequestLimitExceeded",
    }
)
UNKNOWN_OUTCOME_CODES = frozenset(
    {
        "DatabaseUnavailableException",
        "InternalServerErrorException",
        "ServiceUnavailableError",
        "StatementTimeoutException",
    }
)
# Transport failures, by botocore exception class name: before the request left, or after (outcome unknown).
NOT_SENT_TRANSPORT = frozenset({"EndpointConnectionError", "ConnectTimeoutError"})
UNKNOWN_TRANSPORT = frozenset({"ReadTimeoutError", "ConnectionClosedError", "ProxyConnectionError"})
_RESUMING_TEXT = "Communications link failure"


class Verdict(enum.Enum):
    """What to do about one failed call."""

    RETRY = "retry"
    FAIL = "fail"
    OUTCOME_UNKNOWN = "outcome_unknown"


def classify(code: str, message: str, *, repeatable: bool) -> Verdict:
    """Whether a call that failed with Data API error ``code`` may be sent again.

    ``repeatable``: running the call twice changes nothing (a read, BeginTransaction, RollbackTransaction).
    """
    if code in NOT_RUN_CODES or (code == "BadRequestException" and _RESUMING_TEXT in message):
        return Verdict.RETRY
    if code in UNKNOWN_OUTCOME_CODES:
        return Verdict.RETRY if repeatable else Verdict.OUTCOME_UNKNOWN
    return Verdict.FAIL


def classify_transport(error_name: str, *, repeatable: bool) -> Verdict:
    """Whether a call that failed in transport (botocore exception class ``error_name``) may be sent again."""
    if error_name in NOT_SENT_TRANSPORT:
        return Verdict.RETRY
    if error_name in UNKNOWN_TRANSPORT:
        return Verdict.RETRY if repeatable else Verdict.OUTCOME_UNKNOWN
    return Verdict.FAIL


def is_resuming(code: str, message: str) -> bool:
    """Whether the error says the cluster is resuming from zero capacity."""
    return code == "DatabaseResumingException" or (code == "BadRequestException" and _RESUMING_TEXT in message)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter within a time budget."""

    budget_seconds: float = 25.0
    base_seconds: float = 0.5
    cap_seconds: float = 5.0
    max_attempts: int = 12
    # Time kept back from the Lambda's remaining time for the response and logging.
    reserve_seconds: float = 3.0

    def delays(self, rng: random.Random | None = None) -> Iterator[float]:
        """The waits before each retry (the first call is not delayed), at most ``max_attempts - 1``."""
        rng = rng or random.Random()  # noqa: S311 - jitter, not a secret
        for attempt in range(self.max_attempts - 1):
            yield rng.uniform(self.base_seconds / 2, min(self.cap_seconds, self.base_seconds * 2**attempt))

    def budget(self, remaining_seconds: float | None) -> float:
        """The seconds the retries may use, given the Lambda's remaining time (None outside Lambda)."""
        if remaining_seconds is None:
            return self.budget_seconds
        return max(0.0, min(self.budget_seconds, remaining_seconds - self.reserve_seconds))


NO_RETRIES = RetryPolicy(max_attempts=1)
