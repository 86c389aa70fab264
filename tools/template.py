"""template.yaml as data: the functions it declares and what they need, read rather than retyped."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "template.yaml"
FUNCTION_TYPE = "AWS::Serverless::Function"
PSEUDO_PARAMETERS = {
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
}


@dataclass(frozen=True)
class FunctionSpec:
    """One AWS::Serverless::Function with its Globals applied."""

    logical_id: str
    name: str
    code_dir: Path
    handler: str
    timeout: float
    environment: dict[str, Any]

    @property
    def handler_module(self) -> str:
        """The module part of Handler (``handler`` in ``handler.lambda_handler``)."""
        return self.handler.rsplit(".", 1)[0]

    @property
    def handler_function(self) -> str:
        """The callable part of Handler (``lambda_handler`` in ``handler.lambda_handler``)."""
        return self.handler.rsplit(".", 1)[1]


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """Parse the template, keeping CloudFormation's short-form tags (``!Ref``) as their long forms."""
    template: dict[str, Any] = cfn_yaml.loads(path.read_text(), str(path))
    return template


def functions(template: dict[str, Any]) -> list[FunctionSpec]:
    """Every function the template declares, sorted by name, Globals.Function merged in."""
    globals_ = template.get("Globals", {}).get("Function", {})
    specs = []
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") != FUNCTION_TYPE:
            continue
        properties = resource.get("Properties", {})
        code_uri = str(properties["CodeUri"]).rstrip("/")
        environment = {
            **globals_.get("Environment", {}).get("Variables", {}),
            **properties.get("Environment", {}).get("Variables", {}),
        }
        specs.append(
            FunctionSpec(
                logical_id=logical_id,
                name=Path(code_uri).name,
                code_dir=ROOT / code_uri,
                handler=properties.get("Handler", globals_.get("Handler")),
                timeout=float(properties.get("Timeout", globals_.get("Timeout", 3))),
                environment=environment,
            )
        )
    return sorted(specs, key=lambda spec: spec.name)


def referenced_names(expression: Any) -> set[str]:
    """The parameters, resources and pseudo parameters an intrinsic-function expression refers to."""
    if isinstance(expression, list):
        return set().union(*(referenced_names(item) for item in expression))
    if not isinstance(expression, dict):
        return set()
    names: set[str] = set()
    for key, value in expression.items():
        if key == "Ref":
            names.add(str(value))
        elif key == "Fn::GetAtt":
            names.add(str(value[0]) if isinstance(value, list) else str(value).split(".", 1)[0])
        elif key == "Fn::Sub":
            text, variables = (value[0], value[1]) if isinstance(value, list) else (value, {})
            names |= {
                name.split(".", 1)[0]
                for name in re.findall(r"\$\{([^!}][^}]*)\}", str(text))
                if name.split(".", 1)[0] not in variables
            }
            names |= referenced_names(variables)
        else:
            names |= referenced_names(value)
    return names


def expanded(template: dict[str, Any]) -> dict[str, Any]:
    """The template as CloudFormation deploys it: SAM's transform applied (roles, policies, events expanded).

    Local code paths become placeholder S3 locations, as `sam validate` does; AWS managed policy names are
    resolved through moto's IAM, which knows them, so nothing reaches AWS.
    """
    from moto import mock_aws
    from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
    from samtranslator.translator.transform import transform

    document = json.loads(json.dumps(template))
    for resource in document.get("Resources", {}).values():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri", "DefinitionUri"):
            if isinstance(properties.get(key), str):
                properties[key] = "s3://placeholder-bucket/placeholder-key"
    with mock_aws():
        loader = ManagedPolicyLoader(boto3.client("iam", region_name="us-east-1"))
        expanded_template: dict[str, Any] = transform(document, {}, loader)
    return expanded_template
