"""The local stack resolves a function's variables only when moto can create everything they name."""

from __future__ import annotations

from tools.template import referenced_names


def test_referenced_names_finds_refs_getatts_and_sub_variables_when_nested():
    expression = {
        "Fn::Join": [
            "",
            [{"Ref": "Bucket"}, {"Fn::GetAtt": ["Table", "StreamArn"]}, {"Fn::GetAtt": "Key.Arn"}],
        ]
    }

    assert referenced_names(expression) == {"Bucket", "Table", "Key"}


def test_referenced_names_reads_sub_strings_but_not_their_local_variables_or_literals():
    expression = {"Fn::Sub": ["${Proxy.Endpoint}:${Port}/${AWS::Region}/${!Literal}", {"Port": {"Ref": "DbPort"}}]}

    assert referenced_names(expression) == {"Proxy", "AWS::Region", "DbPort"}


def test_referenced_names_is_empty_when_the_value_is_plain():
    assert referenced_names("plain") == set()
