"""The bundled sample corpus a new user sees first."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.formats.registry import ImportOptions
from annotator.paths import seeds_dir
from annotator.services.project import ProjectService
from annotator.services.transfer import AS_READ, ImportReport, import_files

#: How a first launch imports the seeds: the way the user's own files are
#: imported (seed 000, PDF-extracted text, is reflowed into paragraphs).
AS_USER_FILES = ImportOptions()


def import_sample_corpus(service: ProjectService, folder: Path | None = None, *,
                         options: ImportOptions = AS_READ) -> ImportReport:
    """Import the seeds with the titles, sources and dates from their manifest.

    By default the seeds are stored byte for byte (:data:`AS_READ`: the tests
    quote them as is); the app's first launch passes :data:`AS_USER_FILES`."""
    folder = folder or seeds_dir()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    entries = {entry["file"]: entry for entry in manifest["documents"]}

    def details(path: Path) -> dict:
        entry = entries[path.name]
        return {"title": entry["title"], "source": entry["source"],
                "published": entry["published"],
                "metadata": {"sample_corpus": True, "notes": entry.get("notes", "")}}

    return import_files(service, [folder / name for name in entries], overrides=details,
                        options=options)
