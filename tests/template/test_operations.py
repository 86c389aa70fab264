"""The template's operations contract: every alarm reaches the one alarm topic, every queue of failures is
watched, the stream's lag is watched, and the dashboard is valid JSON showing every function."""

from __future__ import annotations

import json
import re
from typing import Any

from tools.template import functions, load_template

TEMPLATE = load_template()
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]


def _of_type(resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in RESOURCES.items()
        if resource["Type"] == resource_type
    }


def test_every_alarm_notifies_the_alarm_topic():
    for logical_id, alarm in _of_type("AWS::CloudWatch::Alarm").items():
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}], logical_id


def test_every_queue_of_failures_has_a_depth_alarm():
    watched = {
        dimension["Value"]["Fn::GetAtt"][0]
        for alarm in _of_type("AWS::CloudWatch::Alarm").values()
        if alarm.get("Namespace") == "AWS/SQS"
        for dimension in alarm["Dimensions"]
        if dimension["Name"] == "QueueName"
    }

    assert set(_of_type("AWS::SQS::Queue")) <= watched


def test_the_stream_function_has_an_iterator_age_alarm():
    iterator_age = [
        alarm
        for alarm in _of_type("AWS::CloudWatch::Alarm").values()
        if alarm.get("MetricName") == "IteratorAge"
        and alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "TtlArchiveFunction"}}]
    ]

    assert len(iterator_age) == 1


def test_the_dashboard_is_valid_json_and_shows_every_function():
    body_template, variables = RESOURCES["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    body = re.sub(r"\$\{[^}]+\}", "placeholder", body_template)

    dashboard = json.loads(body)

    assert len(dashboard["widgets"]) >= 4
    for spec in functions(TEMPLATE):
        shown = f"${{{spec.logical_id}}}" in body_template or spec.logical_id in json.dumps(variables)
        assert shown, spec.logical_id
