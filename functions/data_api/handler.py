"""data_api: the named-query catalogue through the RDS Data API (HTTP API, direct invoke) and a scheduled
maintenance job."""

# No `from __future__ import annotations` here: Powertools' validation reads the route functions' annotations
# at run time (Annotated[..., Query(...)]) and cannot resolve them from strings.
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from dbops.data_api import jobs, runtime
from dbops.errors import DbopsError
from dbops.observability import logger, metrics, tracer
from dbops.queries import requests, responses

app = APIGatewayHttpResolver(enable_validation=True)


@app.get("/data-api/queries")
@tracer.capture_method
def list_queries() -> dict[str, Any]:
    return {"queries": runtime.catalogue().describe()}


@app.post("/data-api/queries/<name>")
@tracer.capture_method
def run_query(
    name: str,
    cursor: Annotated[str | None, Query(max_length=requests.MAX_CURSOR_LENGTH)] = None,
    limit: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    request = requests.from_http(name, app.current_event.decoded_body, cursor=cursor, limit=limit)
    return dict(runtime.runtime().run(request, app.lambda_context))


@app.exception_handler(DbopsError)  # type: ignore[untyped-decorator]
def refuse(error: DbopsError) -> Response[dict[str, Any]]:
    return responses.http_response(responses.http_error(error))


@app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
def refuse_malformed(error: RequestValidationError) -> Response[dict[str, Any]]:
    return responses.http_response(responses.validation_error(error.errors()))


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if requests.is_http(event):
        return app.resolve(event, context)
    if jobs.is_job(event):
        return runtime.runtime().maintain(jobs.from_schedule(event), context)
    return dict(runtime.runtime().run(requests.from_invoke(event), context))
