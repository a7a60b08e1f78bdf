"""The bundled sample corpus a new user sees first."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.paths import seeds_dir
from annotator.services.project import ProjectService
from annotator.services.transfer import AS_READ, ImportReport, import_files


def import_sample_corpus(service: ProjectService, folder: Path | None = None) -> ImportReport:
    """Import the seeds with the titles, sources and dates from their manifest."""
    folder = folder or seeds_dir()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    entries = {entry["file"]: entry for entry in manifest["documents"]}

    def details(path: Path) -> dict:
        entry = entries[path.name]
        return {"title": entry["title"], "source": entry["source"],
                "published": entry["published"],
                "metadata": {"sample_corpus": True, "notes": entry.get("notes", "")}}

    # The seeds are stored byte for byte (seed 000 is PDF-extracted text that
    # would otherwise be reflowed): the sample claims and tests quote them as is.
    return import_files(service, [folder / name for name in entries], overrides=details,
                        options=AS_READ)
