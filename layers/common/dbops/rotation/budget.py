"""The invocation's time budget: every database call gets a timeout that ends before Lambda's deadline."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dbops.errors import RotationTimeBudgetError

if TYPE_CHECKING:
    from collections.abc import Callable

# Below this a connection attempt cannot succeed anyway: fail with a cause rather than "Task timed out".
MINIMUM_CALL_SECONDS = 0.5


@dataclass
class TimeBudget:
    """Seconds left before the invocation's deadline less a safety margin."""

    remaining_ms: int
    safety_margin_ms: int
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    _started: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._started = self.clock()

    def seconds_left(self) -> float:
        """Seconds left to spend."""
        spent = self.clock() - self._started
        return (self.remaining_ms - self.safety_margin_ms) / 1000 - spent

    def timeout(self, cap: float, *, action: str) -> float:
        """A timeout for the next call: at most ``cap``, never past the budget.

        Raises RotationTimeBudgetError when too little time is left to start ``action``.
        """
        left = self.seconds_left()
        if left < MINIMUM_CALL_SECONDS:
            raise RotationTimeBudgetError(
                f"no time left for {action}: {max(left, 0):.1f}s remain before the function's timeout; "
                "raise the function's Timeout or check the database's reachability"
            )
        return min(float(cap), left)
