"""Database logins for connections through RDS Proxy: an IAM auth token, or the credentials in a secret.

Both hand out ``Credentials`` for the next connection and can be told the last ones were refused
(``invalidate``), so a rotated password or an expired token is fetched afresh once before giving up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.parameters import SecretsProvider
from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError, TransformParameterError

from dbops.aws import clients
from dbops.errors import ConfigurationError, DatabaseUnavailableError
from dbops.mysql.connection import Credentials, Endpoint

if TYPE_CHECKING:
    from mypy_boto3_rds import RDSClient
    from mypy_boto3_secretsmanager import SecretsManagerClient

# RDS accepts an auth token for 15 minutes after it is made; make a new one well before that.
TOKEN_LIFETIME = 15 * 60
TOKEN_REFRESH_MARGIN = 5 * 60


class IamAuthToken:
    """IAM database authentication: a token from ``generate_db_auth_token``, reused until near its expiry."""

    def __init__(
        self,
        endpoint: Endpoint,
        user: str,
        *,
        client: RDSClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._endpoint = endpoint
        self._user = user
        self._client = client or clients.rds()
        self._clock = clock
        self._token: str | None = None
        self._made_at = 0.0

    def credentials(self) -> Credentials:
        """The user and a token valid for at least the refresh margin (signed locally: no network call)."""
        now = self._clock()
        if self._token is None or now - self._made_at >= TOKEN_LIFETIME - TOKEN_REFRESH_MARGIN:
            self._token = self._client.generate_db_auth_token(
                DBHostname=self._endpoint.host, Port=self._endpoint.port, DBUsername=self._user
            )
            self._made_at = now
        return Credentials(self._user, self._token)

    def invalidate(self) -> None:
        """Forget the token: the next connection gets a new one."""
        self._token = None


class SecretLogin:
    """The username and password in a Secrets Manager secret, cached by Powertools for ``max_age`` seconds."""

    def __init__(self, secret_id: str, *, max_age: int = 300, client: SecretsManagerClient | None = None) -> None:
        self._secret_id = secret_id
        self._max_age = max_age
        self._provider = SecretsProvider(boto3_client=client or clients.secretsmanager())
        self._force = False

    def credentials(self) -> Credentials:
        """The secret's ``username`` and ``password``; raises if the secret cannot be read or lacks them."""
        try:
            value: Any = self._provider.get(
                self._secret_id, max_age=self._max_age, transform="json", force_fetch=self._force
            )
        except TransformParameterError as error:
            raise ConfigurationError("the database secret is not JSON with 'username' and 'password'") from error
        except GetParameterError as error:
            raise DatabaseUnavailableError("the database login cannot be read now: retry shortly") from error
        self._force = False
        if not isinstance(value, dict) or not all(isinstance(value.get(key), str) for key in ("username", "password")):
            raise ConfigurationError("the database secret is not JSON with 'username' and 'password'")
        return Credentials(value["username"], value["password"])

    def invalidate(self) -> None:
        """Read the secret afresh next time (it may have been rotated)."""
        self._force = True
