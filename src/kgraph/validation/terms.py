"""SHACL's terms as plain module constants (rdflib's namespace attribute lookup is slow in hot
loops), and the shape predicates kgraph's own evaluators understand."""

from rdflib.namespace import RDF, RDFS, SH

# Predicates of a shape that kgraph.validation.evaluator understands; any other sh: predicate is Unsupported.
KNOWN = {SH[n] for n in (
    "targetClass", "targetSubjectsOf", "targetObjectsOf", "target", "property", "path", "severity",
    "message", "name", "description", "order", "group", "class", "datatype", "nodeKind", "pattern",
    "in", "languageIn", "uniqueLang", "minInclusive", "maxInclusive", "minCount", "maxCount",
    "lessThanOrEquals", "or", "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "sparql",
)} | {RDF.type, RDFS.label, RDFS.comment}


BlankNode = SH["BlankNode"]
BlankNodeOrIRI = SH["BlankNodeOrIRI"]
BlankNodeOrLiteral = SH["BlankNodeOrLiteral"]
IRI = SH["IRI"]
IRIOrLiteral = SH["IRIOrLiteral"]
Literal = SH["Literal"]
NodeShape = SH["NodeShape"]
Violation = SH["Violation"]
class_ = SH["class"]
datatype = SH["datatype"]
declare = SH["declare"]
in_ = SH["in"]
languageIn = SH["languageIn"]
lessThanOrEquals = SH["lessThanOrEquals"]
maxCount = SH["maxCount"]
maxInclusive = SH["maxInclusive"]
message = SH["message"]
minCount = SH["minCount"]
minInclusive = SH["minInclusive"]
namespace = SH["namespace"]
nodeKind = SH["nodeKind"]
or_ = SH["or"]
path = SH["path"]
pattern = SH["pattern"]
prefix = SH["prefix"]
prefixes = SH["prefixes"]
property = SH["property"]
qualifiedMaxCount = SH["qualifiedMaxCount"]
qualifiedMinCount = SH["qualifiedMinCount"]
qualifiedValueShape = SH["qualifiedValueShape"]
select = SH["select"]
severity = SH["severity"]
sparql = SH["sparql"]
target = SH["target"]
targetClass = SH["targetClass"]
targetObjectsOf = SH["targetObjectsOf"]
targetSubjectsOf = SH["targetSubjectsOf"]
uniqueLang = SH["uniqueLang"]
