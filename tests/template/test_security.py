"""The template's security contract: checkov clean, least privilege, encryption everywhere, nothing public.

These tests read the template as CloudFormation deploys it (SAM's transform applied), so the roles SAM writes
for each function are checked too, not only the policies typed in template.yaml.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from tools.template import ROOT, expanded, load_template

CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"

# Actions whose API accepts no narrower resource than "*" (the Service Authorization Reference lists no
# resource type for them). Anything else on "*" fails the test.
ACTIONS_WITHOUT_RESOURCE_TYPES = {
    "secretsmanager:GetRandomPassword",
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
    "ec2:DescribeSecurityGroups",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
    "cloudwatch:PutMetricData",
    "rds:DescribeDBInstances",
    "rds:DescribeDBClusters",
    "rds:DescribeDBSnapshots",
    "rds:DescribeDBClusterSnapshots",
    "dynamodb:ListStreams",
}

# The managed policies SAM attaches to the roles it writes. Their wildcards are AWS's own minimum for a
# function's logs (CreateLogGroup on "*"), X-Ray and VPC network interfaces. Anything broader (the DynamoDB
# or SQS execution roles, which read every stream or queue in the account) needs an explicit role instead.
ACCEPTED_MANAGED_POLICIES = {
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
}


@pytest.fixture(scope="module")
def deployed(aws_region_for_module: None) -> dict[str, Any]:
    return expanded(load_template())


@pytest.fixture(scope="module")
def aws_region_for_module() -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        yield


def _resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def _statements(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    statements = []
    for logical_id, properties in _resources(template, "AWS::IAM::Role").items():
        for policy in properties.get("Policies", []):
            statements += [(logical_id, statement) for statement in policy["PolicyDocument"]["Statement"]]
    for policy_type in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        for logical_id, properties in _resources(template, policy_type).items():
            statements += [(logical_id, statement) for statement in properties["PolicyDocument"]["Statement"]]
    return statements


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_checkov_reports_no_failed_check() -> None:
    if not CHECKOV.exists():
        pytest.fail(f"checkov is missing at {CHECKOV}: run 'make dev'")

    completed = subprocess.run(
        [
            str(CHECKOV),
            "--quiet",
            "--skip-download",
            "--framework",
            "cloudformation",
            "-f",
            "template.yaml",
            "-o",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(completed.stdout) if completed.stdout.strip().startswith(("{", "[")) else {}
    failed = [
        f"{check['check_id']} {check['resource']}: {check['check_name']}"
        for check in report.get("results", {}).get("failed_checks", [])
    ]

    assert completed.returncode == 0, "\n".join(failed) or completed.stdout + completed.stderr
    assert failed == []


def test_no_iam_statement_allows_every_action_of_a_service(deployed: dict[str, Any]) -> None:
    wildcards = [
        (owner, action)
        for owner, statement in _statements(deployed)
        if statement.get("Effect") == "Allow"
        for action in _as_list(statement.get("Action", []))
        if action == "*" or str(action).endswith(":*")
    ]

    assert wildcards == []


def test_resource_wildcards_only_for_actions_that_take_no_resource(deployed: dict[str, Any]) -> None:
    too_broad = [
        (owner, action)
        for owner, statement in _statements(deployed)
        if statement.get("Effect") == "Allow" and "*" in _as_list(statement.get("Resource", []))
        for action in _as_list(statement.get("Action", []))
        if action not in ACTIONS_WITHOUT_RESOURCE_TYPES
    ]

    assert too_broad == []


def test_roles_carry_no_managed_policy_broader_than_sams_basic_ones(deployed: dict[str, Any]) -> None:
    attached = {
        (logical_id, json.dumps(arn))
        for logical_id, role in _resources(deployed, "AWS::IAM::Role").items()
        for arn in role.get("ManagedPolicyArns", [])
    }

    assert {(owner, arn) for owner, arn in attached if json.loads(arn) not in ACCEPTED_MANAGED_POLICIES} == set()


def test_every_bucket_is_kms_encrypted_versioned_and_private(deployed: dict[str, Any]) -> None:
    for logical_id, bucket in _resources(deployed, "AWS::S3::Bucket").items():
        rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]

        assert rule["SSEAlgorithm"] == "aws:kms", logical_id
        assert "KMSMasterKeyID" in rule, logical_id
        assert bucket["VersioningConfiguration"]["Status"] == "Enabled", logical_id
        assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}, logical_id


def test_every_bucket_refuses_requests_without_tls(deployed: dict[str, Any]) -> None:
    buckets = set(_resources(deployed, "AWS::S3::Bucket"))
    tls_only = {
        properties["Bucket"]["Ref"]
        for properties in _resources(deployed, "AWS::S3::BucketPolicy").values()
        for statement in properties["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Deny"
        and statement.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") in ("false", False)
    }

    assert buckets <= tls_only


def test_every_topic_queue_and_log_group_is_encrypted_with_a_kms_key(deployed: dict[str, Any]) -> None:
    unencrypted = [
        logical_id
        for resource_type, key in (
            ("AWS::SNS::Topic", "KmsMasterKeyId"),
            ("AWS::SQS::Queue", "KmsMasterKeyId"),
            ("AWS::Logs::LogGroup", "KmsKeyId"),
        )
        for logical_id, properties in _resources(deployed, resource_type).items()
        if key not in properties
    ]

    assert unencrypted == []


def test_every_function_has_a_log_group_with_retention(deployed: dict[str, Any]) -> None:
    log_groups = _resources(deployed, "AWS::Logs::LogGroup")
    by_name = {json.dumps(properties.get("LogGroupName")): properties for properties in log_groups.values()}
    by_ref = {json.dumps({"Ref": logical_id}): properties for logical_id, properties in log_groups.items()}

    for logical_id, function in _resources(deployed, "AWS::Lambda::Function").items():
        configured = json.dumps(function.get("LoggingConfig", {}).get("LogGroup"))
        log_group = by_name.get(configured) or by_ref.get(configured)

        assert log_group is not None, f"{logical_id} writes to a log group the stack does not own"
        assert "RetentionInDays" in log_group, logical_id


def test_every_function_has_an_error_and_a_throttle_alarm(deployed: dict[str, Any]) -> None:
    alarmed = {
        (properties["MetricName"], dimension["Value"]["Ref"])
        for properties in _resources(deployed, "AWS::CloudWatch::Alarm").values()
        if properties.get("Namespace") == "AWS/Lambda"
        for dimension in properties.get("Dimensions", [])
        if dimension["Name"] == "FunctionName" and isinstance(dimension["Value"], dict)
    }

    for logical_id in _resources(deployed, "AWS::Lambda::Function"):
        assert ("Errors", logical_id) in alarmed, logical_id
        assert ("Throttles", logical_id) in alarmed, logical_id
