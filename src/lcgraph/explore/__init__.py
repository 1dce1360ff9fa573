"""The guided query builder at /explore (issue 16): its configuration and its named queries.

`config` turns the ontology into Sparnatural's SHACL configuration; `saved` turns a query
built there into a named-query file (`queries/*.rq`) with a `#+` header.
"""
