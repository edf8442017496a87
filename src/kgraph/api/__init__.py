"""The named queries of queries/*.rq as a REST API (issue 15), without HTTP: typed parameters
(parameters), running a page of a query through the endpoint's executor (run), rows as objects
and CSV (rows), and the OpenAPI 3.1 document generated from the .rq headers (openapi)."""
