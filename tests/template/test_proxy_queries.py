"""proxy_queries' wiring: IAM-only HTTP API, TLS- and IAM-only proxy, rds-db:connect scoped, optional parts."""

from __future__ import annotations

import json

from tools.template import load_template

TEMPLATE = load_template()
RESOURCES = TEMPLATE["Resources"]


def test_http_api_requires_iam_auth_on_every_route() -> None:
    auth = RESOURCES["ProxyQueriesApi"]["Properties"]["Auth"]

    assert auth == {"EnableIamAuthorizer": True, "DefaultAuthorizer": "AWS_IAM"}
    events = RESOURCES["ProxyQueriesFunction"]["Properties"]["Events"]
    assert {(event["Properties"]["Method"], event["Properties"]["Path"]) for event in events.values()} == {
        ("GET", "/queries"),
        ("POST", "/queries/{name}"),
    }


def test_proxy_requires_tls_and_iam_and_reads_the_database_secret() -> None:
    properties = RESOURCES["ProxyQueriesProxy"]["Properties"]

    assert properties["RequireTLS"] is True
    assert properties["EngineFamily"] == "MYSQL"
    assert properties["Auth"] == [
        {"AuthScheme": "SECRETS", "SecretArn": {"Ref": "ProxyQueriesDatabaseSecretArn"}, "IAMAuth": "REQUIRED"}
    ]


def test_rds_db_connect_is_scoped_to_the_proxy_and_the_user() -> None:
    statements = RESOURCES["ProxyQueriesFunction"]["Properties"]["Policies"][0]["Statement"]
    connect = next(statement for statement in statements if statement.get("Action") == "rds-db:connect")

    resource = connect["Resource"]["Fn::Sub"][0]
    assert resource.endswith(":dbuser:${ProxyId}/${ProxyQueriesDatabaseUser}")
    assert "*" not in json.dumps(connect)


def test_proxy_parts_are_optional_so_the_default_deploy_creates_none() -> None:
    for logical_id in ("ProxyQueriesProxy", "ProxyQueriesProxyRole", "ProxyQueriesProxyTargetGroup"):
        assert "Condition" in RESOURCES[logical_id], logical_id
    assert "Condition" in RESOURCES["ProxyQueriesReadEndpoint"]
    for name in ("SubnetIds", "SecurityGroupIds", "ProxyQueriesDatabaseSecretArn", "ProxyQueriesDBInstanceIdentifier"):
        assert TEMPLATE["Parameters"][name]["Default"] == ""


def test_function_alarms_watch_errors_and_throttles() -> None:
    watched = {
        resource["Properties"]["MetricName"]
        for resource in RESOURCES.values()
        if resource["Type"] == "AWS::CloudWatch::Alarm"
        and resource["Properties"]["Dimensions"][0]["Value"] == {"Ref": "ProxyQueriesFunction"}
    }

    assert watched == {"Errors", "Throttles"}


def test_function_timeouts_leave_room_for_the_database_timeouts() -> None:
    function = RESOURCES["ProxyQueriesFunction"]["Properties"]

    # A read's worst case: connect (5 s) and read (10 s), then once more after a lost connection.
    assert function["Timeout"] > 2 * (5 + 10)


def test_http_api_access_logs_go_to_an_encrypted_log_group_without_bodies() -> None:
    settings = RESOURCES["ProxyQueriesApi"]["Properties"]["AccessLogSettings"]

    assert settings["DestinationArn"] == {"Fn::GetAtt": ["ProxyQueriesApiAccessLogGroup", "Arn"]}
    assert "KmsKeyId" in RESOURCES["ProxyQueriesApiAccessLogGroup"]["Properties"]
    assert "body" not in settings["Format"].lower()


def test_function_alarms_notify_the_alarm_topic() -> None:
    for logical_id in ("ProxyQueriesErrorsAlarm", "ProxyQueriesThrottlesAlarm"):
        assert RESOURCES[logical_id]["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}]
