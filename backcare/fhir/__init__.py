"""FHIR R4 for backcare: export of a patient's record and the clinic's booking as FHIR resources,
our own checks of what fhir.resources does not check, loading a Bundle back into plain data, and
importing a STarT Back or PSFS QuestionnaireResponse filled in another system.

Resources are built as plain JSON (dicts in FHIR's JSON shape) and checked by fhir.resources'
`R4B` models in the tests and on import: validating and serialising a Bundle of 1,100
Observations through those models takes about half a second here, building the dicts a few
milliseconds. docs/api.md (section "FHIR R4") lists the resources, profiles and codes.
"""
