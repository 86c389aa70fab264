"""Named, parameterised queries from an operator-owned catalogue: no I/O here, the caller runs the SQL.

``catalogue`` (entries), ``parameters`` (types), ``statements`` (SQL rendering), ``pagination`` (cursors),
``requests`` (HTTP and direct-invoke request parsing), ``responses`` (result shapes, errors to HTTP) and
``encoding`` (lossless JSON) are shared with the Data API function; ``service`` runs a request on an executor.
"""
