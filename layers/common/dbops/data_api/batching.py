"""BatchExecuteStatement's parameter sets split into calls under the Data API's 4 MiB request cap.

The cap is on the request's bytes, so sets are measured as botocore sends them (JSON, blobs in base64), not
only counted: a thousand small rows fit in one call, a hundred large blobs may need several.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from dbops.errors import DataApiError

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from mypy_boto3_rds_data.type_defs import SqlParameterTypeDef

REQUEST_LIMIT_BYTES = 4 * 1024 * 1024
# Kept free of parameter sets in every request: headers are not counted by the cap, but leave room anyway.
REQUEST_MARGIN_BYTES = 16 * 1024
# A call's sets also run within the Data API's 45 s statement limit: bound their number too.
MAX_SETS_PER_CALL = 1_000


def request_size(request: object) -> int:
    """The bytes of a request as botocore's rest-json serialiser sends it (blobs as base64)."""
    return len(json.dumps(request, separators=(",", ":"), default=_blob_length_stand_in).encode())


def chunks(
    parameter_sets: Sequence[list[SqlParameterTypeDef]],
    *,
    base_size: int,
    limit: int = REQUEST_LIMIT_BYTES,
    max_sets: int = MAX_SETS_PER_CALL,
) -> Iterator[list[list[SqlParameterTypeDef]]]:
    """Consecutive runs of parameter sets whose request (``base_size`` bytes without sets) fits ``limit``.

    Raises DataApiError when one parameter set alone is too large for a request.
    """
    budget = limit - REQUEST_MARGIN_BYTES - base_size - len(',"parameterSets":[]')
    current: list[list[SqlParameterTypeDef]] = []
    used = 0
    for index, parameter_set in enumerate(parameter_sets):
        size = request_size(parameter_set) + 1  # the separating comma
        if size > budget:
            raise DataApiError(
                f"parameter set {index} is {size} bytes: a Data API request is at most {limit} bytes, "
                "so store values that large another way (S3, say)"
            )
        if current and (used + size > budget or len(current) >= max_sets):
            yield current
            current, used = [], 0
        current.append(parameter_set)
        used += size
    if current:
        yield current


def _blob_length_stand_in(value: object) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        # base64 makes 4 characters of every 3 bytes (rounded up): a stand-in string of that length.
        return "x" * (4 * ((len(value) + 2) // 3))
    raise TypeError(f"a {type(value).__name__} cannot be in a Data API request")
