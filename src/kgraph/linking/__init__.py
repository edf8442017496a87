"""Link discovery against partners' SPARQL endpoints (`kgraph link`).

client   pages through a partner endpoint with SPARQLWrapper, politely (timeout, retries with
         backoff, a rate limit, a User-Agent naming kgraph), and says when a result is partial
kinds    what is looked for per kind (organisatie, plaats, persoon): the partner query, ours
local    our own candidates, read from the built store
matching candidates by shared identifiers first, then by normalised labels and kind
discover one run: the partner's rows, ours, the candidates; --query files checked first
review   the review file a person decides on (CSV), and `accept`: the accepted rows into
         data/links/<partner>.ttl; nothing is published unreviewed
"""
