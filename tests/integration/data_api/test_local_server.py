"""The local Data API's wire shapes, checked against a response Aurora MySQL's Data API returned."""

from __future__ import annotations

from tests.integration.data_api.conftest import CLUSTER_ARN, LocalCluster

# The column metadata of a real Aurora MySQL response for
# `cats (id INT UNSIGNED AUTO_INCREMENT, name VARCHAR(100), created TIMESTAMP NOT NULL)`, as published with
# data-api-client's test fixtures.
AURORA_METADATA = [
    {"name": "id", "label": "id", "type": 4, "typeName": "INT UNSIGNED", "isAutoIncrement": True, "isSigned": False,
     "nullable": 0, "precision": 10, "scale": 0, "schemaName": "", "tableName": "cats", "isCaseSensitive": False,
     "isCurrency": False, "arrayBaseColumnType": 0},
    {"name": "name", "label": "name", "type": 12, "typeName": "VARCHAR", "isAutoIncrement": False, "isSigned": False,
     "nullable": 1, "precision": 100, "scale": 0, "schemaName": "", "tableName": "cats", "isCaseSensitive": False,
     "isCurrency": False, "arrayBaseColumnType": 0},
    {"name": "created", "label": "created", "type": 93, "typeName": "TIMESTAMP", "isAutoIncrement": False,
     "isSigned": False, "nullable": 0, "precision": 19, "scale": 0, "schemaName": "", "tableName": "cats",
     "isCaseSensitive": False, "isCurrency": False, "arrayBaseColumnType": 0},
]  # fmt: skip


def test_records_and_metadata_have_auroras_shape_when_a_table_is_read(cluster: LocalCluster) -> None:
    cluster.rows(
        "CREATE TABLE cats (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100), "
        "created TIMESTAMP NOT NULL DEFAULT '2019-11-12 22:00:11')"
    )
    client = cluster.client()
    client.execute_statement(
        resourceArn=CLUSTER_ARN, secretArn=cluster.secret_arn, database=cluster.database,
        sql="INSERT INTO cats (name) VALUES (:name)", parameters=[{"name": "name", "value": {"isNull": True}}],
    )  # fmt: skip

    response = client.execute_statement(
        resourceArn=CLUSTER_ARN,
        secretArn=cluster.secret_arn,
        database=cluster.database,
        sql="SELECT id, name, created FROM cats",
        includeResultMetadata=True,
    )

    assert response["records"] == [[{"longValue": 1}, {"isNull": True}, {"stringValue": "2019-11-12 22:00:11"}]]
    assert response["columnMetadata"] == AURORA_METADATA
    assert response["numberOfRecordsUpdated"] == 0


def test_insert_returns_its_generated_key_as_aurora_does(cluster: LocalCluster) -> None:
    client = cluster.client()

    response = client.execute_statement(
        resourceArn=CLUSTER_ARN,
        secretArn=cluster.secret_arn,
        database=cluster.database,
        sql="INSERT INTO everything (label) VALUES ('x')",
    )

    assert response["numberOfRecordsUpdated"] == 1
    assert response["generatedFields"] == [{"longValue": 1}]
