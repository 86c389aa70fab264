"""data_api's wiring: IAM-only HTTP API, rds-data scoped to the cluster, the secret only, the schedule's input."""

from __future__ import annotations

import json

from tools.template import load_template

TEMPLATE = load_template()
RESOURCES = TEMPLATE["Resources"]
FUNCTION = RESOURCES["DataApiFunction"]["Properties"]


def _statements() -> dict[str, dict[str, object]]:
    return {statement["Sid"]: statement for policy in FUNCTION["Policies"] for statement in policy["Statement"]}


def test_http_api_requires_iam_auth_on_every_route() -> None:
    auth = RESOURCES["DataApiApi"]["Properties"]["Auth"]

    assert auth == {"EnableIamAuthorizer": True, "DefaultAuthorizer": "AWS_IAM"}
    assert {(event["Properties"]["Method"], event["Properties"]["Path"]) for event in FUNCTION["Events"].values()} == {
        ("GET", "/data-api/queries"),
        ("POST", "/data-api/queries/{name}"),
    }


def test_rds_data_actions_are_scoped_to_the_cluster_parameter() -> None:
    statement = _statements()["RunStatementsAndTransactionsOnTheClusterOnly"]

    assert sorted(statement["Action"]) == [  # type: ignore[call-overload]
        "rds-data:BatchExecuteStatement",
        "rds-data:BeginTransaction",
        "rds-data:CommitTransaction",
        "rds-data:ExecuteStatement",
        "rds-data:RollbackTransaction",
    ]
    assert statement["Resource"] == {"Ref": "DataApiClusterArn"}


def test_the_only_secret_it_reads_is_the_database_login() -> None:
    readers = [
        statement for statement in _statements().values() if "secretsmanager:GetSecretValue" in str(statement["Action"])
    ]

    assert [statement["Resource"] for statement in readers] == [{"Ref": "DataApiSecretArn"}]


def test_function_and_its_parts_are_optional_so_the_default_deploy_creates_none() -> None:
    data_api = [logical_id for logical_id in RESOURCES if logical_id.startswith("DataApi")]

    assert {RESOURCES[logical_id]["Condition"] for logical_id in data_api} <= {
        "DataApiEnabled",
        "DataApiHasMaintenance",
    }
    assert TEMPLATE["Parameters"]["DataApiClusterArn"]["Default"] == ""


def test_schedule_sends_the_maintenance_job_and_failures_to_the_encrypted_queue() -> None:
    schedule = RESOURCES["DataApiMaintenanceSchedule"]["Properties"]
    target = schedule["Target"]

    assert json.loads(target["Input"]) == {"job": "maintenance"}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["DataApiDeadLetterQueue", "Arn"]}}
    assert RESOURCES["DataApiDeadLetterQueue"]["Properties"]["KmsMasterKeyId"] == {"Ref": "DataKey"}
    assert FUNCTION["DeadLetterQueue"]["TargetArn"] == {"Fn::GetAtt": ["DataApiDeadLetterQueue", "Arn"]}


def test_function_timeout_outlasts_the_retry_budget_and_one_statement() -> None:
    budget = int(FUNCTION["Environment"]["Variables"]["DATA_API_RETRY_BUDGET_SECONDS"])

    assert FUNCTION["Timeout"] >= 45 + budget  # the Data API's statement limit plus the retries
