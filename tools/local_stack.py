"""The local stack: moto's server and a real MariaDB, with the resources template.yaml declares.

No Docker and no AWS account. moto's CloudFormation creates the template's stores (the resources of the types
moto models, below) from the template itself, and resolves each function's environment variables, so what
runs locally is what the template wires. A function whose variables name something moto cannot create (an
RDS Proxy endpoint, say) gets it from its ``tools/local_setup/<name>.py``, which may also seed data.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

import boto3
from moto.server import ThreadedMotoServer

from tools import mariadb as mariadb_server
from tools.template import PSEUDO_PARAMETERS, FunctionSpec, referenced_names

REGION = "us-east-1"
STACK_NAME = "dbops-local"
# The resource types moto's CloudFormation models and the suite uses; the rest are wiring moto cannot run.
LOCAL_RESOURCE_TYPES = {
    "AWS::DynamoDB::Table",
    "AWS::KMS::Alias",
    "AWS::KMS::Key",
    "AWS::S3::Bucket",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::SSM::Parameter",
}
# Values for template parameters that have no default (none of them reach AWS locally).
LOCAL_PARAMETERS: dict[str, str] = {"StageName": "local"}


@dataclass
class LocalStack:
    """A running moto server and MariaDB, and the CloudFormation stack moto made from the template."""

    endpoint_url: str
    mariadb: mariadb_server.MariaDB
    workdir: Path
    outputs: dict[str, str] = field(default_factory=dict)

    def base_environment(self) -> dict[str, str]:
        """What every local invocation gets: fake credentials, moto's endpoint, one region."""
        return {
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            "POWERTOOLS_TRACE_DISABLED": "true",
        }

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` pointed at the local moto server."""
        return boto3.client(
            service,  # type: ignore[call-overload]
            region_name=REGION,
            endpoint_url=self.endpoint_url,
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )


class LocalSetup(Protocol):
    """What ``tools/local_setup/<name>.py`` provides: seed data, return the variables moto cannot resolve."""

    def prepare(self, stack: LocalStack) -> dict[str, str]: ...


@contextmanager
def running(template: dict[str, Any], specs: list[FunctionSpec], workdir: Path) -> Iterator[LocalStack]:
    """Start moto's server and MariaDB, create the template's stores, stop everything on exit."""
    with ExitStack() as cleanup:
        port = mariadb_server.free_port()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        cleanup.callback(server.stop)
        mariadb = mariadb_server.from_environment() or cleanup.enter_context(
            mariadb_server.throwaway(workdir / "mariadb")
        )
        stack = LocalStack(endpoint_url=f"http://127.0.0.1:{port}", mariadb=mariadb, workdir=workdir)
        stack.outputs = _create_stack(stack, template, specs)
        yield stack


def function_environment(stack: LocalStack, template: dict[str, Any], spec: FunctionSpec) -> dict[str, str]:
    """The environment ``spec`` runs with locally: the template's variables resolved by moto, plus local setup."""
    environment: dict[str, str] = {}
    overrides = local_setup(spec.name).prepare(stack) if has_local_setup(spec.name) else {}
    missing = []
    for variable, expression in spec.environment.items():
        if variable in overrides:
            continue
        output = _output_name(spec, variable)
        if output in stack.outputs:
            environment[variable] = stack.outputs[output]
        elif not isinstance(expression, dict | list):
            environment[variable] = str(expression)
        else:
            missing.append(variable)
    if missing:
        raise RuntimeError(
            f"{spec.logical_id}'s variables {', '.join(missing)} name resources the local stack cannot create: "
            f"give them values in tools/local_setup/{spec.name}.py"
        )
    # The stack's own variables win over the template's (its Globals declare AWS_ENDPOINT_URL empty, for AWS).
    environment.update(stack.base_environment())
    environment.update(overrides)
    return environment


def has_local_setup(name: str) -> bool:
    """Whether ``tools/local_setup/<name>.py`` exists."""
    return (Path(__file__).parent / "local_setup" / f"{name}.py").is_file()


def local_setup(name: str) -> LocalSetup:
    """The function's local setup module."""
    return cast("LocalSetup", importlib.import_module(f"tools.local_setup.{name}"))


def _create_stack(stack: LocalStack, template: dict[str, Any], specs: list[FunctionSpec]) -> dict[str, str]:
    resources = {
        logical_id: _for_moto(resource)
        for logical_id, resource in template.get("Resources", {}).items()
        if resource.get("Type") in LOCAL_RESOURCE_TYPES
    }
    parameters = template.get("Parameters", {})
    known = set(resources) | set(parameters) | PSEUDO_PARAMETERS
    outputs = {
        _output_name(spec, variable): {"Value": expression}
        for spec in specs
        for variable, expression in spec.environment.items()
        if isinstance(expression, dict | list) and referenced_names(expression) <= known
    }
    local_template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": parameters,
        "Conditions": template.get("Conditions", {}),
        "Resources": resources,
        "Outputs": outputs,
    }
    cloudformation = stack.client("cloudformation")
    cloudformation.create_stack(
        StackName=STACK_NAME,
        TemplateBody=json.dumps(local_template),
        Parameters=[
            {"ParameterKey": name, "ParameterValue": value}
            for name, value in LOCAL_PARAMETERS.items()
            if name in parameters
        ],
    )
    described = cloudformation.describe_stacks(StackName=STACK_NAME)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in described.get("Outputs", [])}


def _for_moto(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource as moto's CloudFormation can store it."""
    properties = resource.get("Properties", {})
    if resource["Type"] == "AWS::KMS::Key" and isinstance(properties.get("KeyPolicy"), dict):
        # moto keeps a KeyPolicy object as is and DescribeKey then fails on it; CloudFormation accepts the
        # policy as JSON text too, and moto does not enforce key policies, so their intrinsics may stay unresolved.
        return {**resource, "Properties": {**properties, "KeyPolicy": json.dumps(properties["KeyPolicy"])}}
    return resource


def _output_name(spec: FunctionSpec, variable: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", f"{spec.logical_id}{variable.title()}")
