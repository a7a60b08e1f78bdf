"""The pure domain: documents, claims, labels, offsets. No Qt, no SQL."""
