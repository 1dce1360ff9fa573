"""Reading SPARQL text: the one lexer (`lexer`) and what is read over its tokens (`reading`).

The lowest layer that knows SPARQL: the store (`store.sparql_text`) and the query path
(`querying`) both read queries through it.
"""
