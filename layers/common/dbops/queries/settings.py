"""The proxy_queries function's settings, read from its environment at the first invocation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Self

from dbops import settings
from dbops.errors import ConfigurationError

HOST_PATTERN = r"[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?"
# A secret's ARN or name (the name pattern of Secrets Manager); not a credential.
SECRET_ID_PATTERN = (
    r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+|[A-Za-z0-9/_+=.@-]{1,512}"  # noqa: S105
)

type AuthMode = Literal["iam", "secret"]


@dataclass(frozen=True)
class QueriesSettings:
    """Where the proxy is, how to log in, which catalogue to serve, and the socket timeouts."""

    proxy_endpoint: str
    database: str
    auth_mode: AuthMode
    port: int = 3306
    read_endpoint: str | None = None
    user: str | None = None
    secret_id: str | None = None
    ca_bundle: str | None = None
    catalogue_path: str | None = None
    connect_timeout: int = 5
    read_timeout: int = 10
    secret_max_age: int = 300

    @classmethod
    def from_environ(cls) -> Self:
        """Read DB_PROXY_ENDPOINT, DB_NAME, DB_AUTH_MODE and the rest; fail naming the first bad variable."""
        auth_mode = settings.text("DB_AUTH_MODE", pattern=r"iam|secret", example="iam", default="iam")
        user = settings.optional_text("DB_USER", pattern=r"[A-Za-z0-9_.@-]{1,80}", example="app_user")
        secret_id = settings.optional_text(
            "DB_SECRET_ARN",
            pattern=SECRET_ID_PATTERN,
            example="arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
        )
        if auth_mode == "iam" and user is None:
            raise ConfigurationError("environment variable DB_USER is missing: IAM authentication needs the user name")
        if auth_mode == "secret" and secret_id is None:
            raise ConfigurationError(
                "environment variable DB_SECRET_ARN is missing: DB_AUTH_MODE=secret reads the login from that secret"
            )
        return cls(
            proxy_endpoint=settings.text(
                "DB_PROXY_ENDPOINT", pattern=HOST_PATTERN, example="app.proxy-x.rds.amazonaws.com"
            ),
            read_endpoint=settings.optional_text(
                "DB_PROXY_READ_ENDPOINT", pattern=HOST_PATTERN, example="app-ro.endpoint.proxy-x.rds.amazonaws.com"
            ),
            port=settings.integer("DB_PORT", default=3306, minimum=1, maximum=65535),
            database=settings.text("DB_NAME", pattern=r"[A-Za-z0-9_$]{1,64}", example="app"),
            auth_mode="iam" if auth_mode == "iam" else "secret",
            user=user,
            secret_id=secret_id,
            ca_bundle=settings.optional_text("DB_CA_BUNDLE", pattern=r"/?[\w./-]+\.(pem|crt)", example="/opt/ca.pem"),
            catalogue_path=settings.optional_text(
                "QUERY_CATALOGUE", pattern=r"/?[\w./-]+\.(ya?ml|json)", example="/var/task/catalogue.yaml"
            ),
            connect_timeout=settings.integer("DB_CONNECT_TIMEOUT", default=5, minimum=1, maximum=30),
            read_timeout=settings.integer("DB_READ_TIMEOUT", default=10, minimum=1, maximum=60),
            secret_max_age=settings.integer("DB_SECRET_MAX_AGE", default=300, minimum=0, maximum=3600),
        )
