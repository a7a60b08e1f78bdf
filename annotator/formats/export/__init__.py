"""Dataset exports beyond the canonical JSONL and CSV (:mod:`annotator.formats.claims`).

Every writer here takes the canonical claim records (dicts with the fields of
:data:`annotator.formats.claims.CLAIM_FIELDS`) as an iterator and writes them
to an open text handle, one record at a time, so memory stays flat however
large the project is. Formats whose structure groups claims by document
(Label Studio tasks, doccano lines) take ``(document, claims)`` groups, one
document at a time. :mod:`annotator.services.exports` picks the records
(scope), opens the files (atomically: a temporary file renamed over the
target) and dispatches to these writers.

- :mod:`.w3c` -- W3C Web Annotation JSON-LD, a JSON array of ``Annotation``\\ s
- :mod:`.label_studio` -- Label Studio tasks JSON and a matching labeling config
- :mod:`.doccano` -- doccano sequence-labelling JSONL
- :mod:`.parquet` -- Apache Parquet with the CSV's columns (needs ``pyarrow``)
- :mod:`.package` -- the dataset package: a folder or zip with a data card
- :mod:`.streams` -- the canonical records as JSON Lines and CSV
- :mod:`.files` -- atomic writing of binary files and folders
- :mod:`.safety` -- what every export checks: quotes against the text, no local paths
"""
