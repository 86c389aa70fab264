"""Local setup for data_api: the example shop in MariaDB, its login in a moto secret, and a local Data API.

moto's rds-data returns canned rows, so the function's rds-data calls go to tools.data_api_server instead
(AWS_ENDPOINT_URL_RDS_DATA; boto3 prefers it to AWS_ENDPOINT_URL for that service), which runs them on the
local MariaDB. The server runs in a thread of the local runner's process for as long as that process lives.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING

from tools.data_api_server import LocalDataApi, Login, start
from tools.local_setup.proxy_queries import SEED, create_app_user, load_schema

if TYPE_CHECKING:
    from tools.local_stack import LocalStack

DATABASE = "dbops_data_api_shop"
APP_USER = "dbops_data_api"
SECRET_NAME = "dbops-local/data-api"
CLUSTER_ARN = "arn:aws:rds:us-east-1:123456789012:cluster:dbops-local"


def prepare(stack: LocalStack) -> dict[str, str]:
    """Load the shop, store its login in a moto secret, start the local Data API, return the variables."""
    with stack.mariadb.admin_connection() as connection:
        load_schema(connection, DATABASE)
        with connection.cursor() as cursor:
            for statement in SEED:
                cursor.execute(statement)
        password = create_app_user(connection, DATABASE, APP_USER)
    secretsmanager = stack.client("secretsmanager")
    login = json.dumps({"username": APP_USER, "password": password})
    try:
        secret_arn: str = secretsmanager.create_secret(Name=SECRET_NAME, SecretString=login)["ARN"]
    except secretsmanager.exceptions.ResourceExistsException:
        secret_arn = secretsmanager.put_secret_value(SecretId=SECRET_NAME, SecretString=login)["ARN"]
    server = start(LocalDataApi(stack.mariadb, functools.partial(_read_secret, stack), clusters={CLUSTER_ARN: True}))
    return {
        "AWS_ENDPOINT_URL_RDS_DATA": server.endpoint_url,
        "DATA_API_CLUSTER_ARN": CLUSTER_ARN,
        "DATA_API_SECRET_ARN": secret_arn,
        "DATA_API_DATABASE": DATABASE,
    }


def _read_secret(stack: LocalStack, arn: str) -> Login:
    """Read a login from the local stack's Secrets Manager, as the Data API reads the caller's secret."""
    secret = json.loads(stack.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"])
    return Login(username=secret["username"], password=secret["password"])
