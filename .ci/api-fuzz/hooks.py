"""Schemathesis hooks for talentchain's API: what the OpenAPI document says
in words because JSON Schema cannot, taught to the fuzzer. Nothing here
hides a server error or an undocumented status; each hook keeps a check
from judging a request by less than the document states.

- `from` <= `to`: each is a year from 1000 to 3000, and together they must
  make a range (a `from` after `to` answers 400 naming `from`, as both
  parameters' descriptions say). A positive case, one meant to be valid,
  is not generated with `from` after `to`.
- `/api/sql`'s `q`: the schema says a non-blank string; whether it is a
  query the engine can plan over the tables (SQL grammar, table and column
  names) no schema can say, and such a query answers 400 `bad_query` (the
  route's 400 says so). A positive case rejected with exactly that is not a
  failure; rejected for anything else (a `bad_parameter`), it still is.
"""

import schemathesis


def _year(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@schemathesis.hook
def filter_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return True
    query = case.query or {}
    first, last = _year(query.get("from")), _year(query.get("to"))
    return first is None or last is None or first <= last


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if failure.code != "ST202" or case.operation.path != "/api/sql" or response.status_code != 400:
        return True
    try:
        error = response.json().get("error")
    except Exception:
        return True
    return error != "bad_query"
