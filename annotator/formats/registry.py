"""Which importer reads which file, and the checks every import goes through.

An importer turns the bytes of one file into an :class:`Extracted` document:
a title, the text that will be stored (claims' offsets are code points into
it), and a metadata dict. Paged formats put the code-point offset where each
page starts in ``metadata["pages"]`` (``pages[0] == 0``; page *i* covers
``text[pages[i]:pages[i + 1]]``).

Every file goes through :func:`extract_file`, which

- refuses anything but a regular file (a FIFO or a device would block or never
  end) and files over :data:`MAX_FILE_BYTES` (refused, never truncated),
- reads at most that many bytes, so a file growing meanwhile cannot exhaust memory,
- finds the importer by the file's suffix; unknown types are reported, not guessed,
- refuses extracted text longer than :data:`MAX_TEXT_CHARS` code points,
- records ``original_filename``, ``original_path``, ``original_sha256`` (of the
  file's bytes), ``original_size``, ``importer`` and ``importer_version``.

Adding an importer
------------------

Subclass :class:`Importer` (``name``, ``version``, ``suffixes``, ``label`` and
``extract(data, path, options)``), raise :class:`ImportProblem` with a reason a
user can act on for anything it cannot read, and register it::

    from annotator.formats.registry import Importer, Extracted, default_registry

    class RtfImporter(Importer):
        name, version, suffixes, label = "rtf", "1", (".rtf",), "Rich Text"

        def extract(self, data, path, options):
            text = ...                       # never fetch, never run anything
            return Extracted(title=path.stem, text=text, metadata={})

    default_registry().register(RtfImporter())

Bump ``version`` whenever the same file would give different text: it is
stored with each document so a re-import can tell why the text changed.
Parsers of complex binary formats belong in a child process with time and
memory limits (see :mod:`annotator.formats.pdf`).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from annotator.formats.problems import ImportProblem

#: Largest file any importer reads; larger files are refused, not truncated.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Most code points of text one document may hold after extraction (a PDF or a
#: DOCX can hold far more text than its size suggests); more is refused.
MAX_TEXT_CHARS = 64 * 1024 * 1024


class ImportCancelled(Exception):
    """The user cancelled the import while this file was being read."""


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How to read files; every field's default is what the app does unasked.

    ``encoding``: decode text (``.txt``, ``.md``, ``.html`` without a declared
    charset) with this codec instead of detecting one (see
    :func:`annotator.formats.text.encoding_candidates`).
    ``reflow``: for plain text, ``None`` reflows text detected as extracted
    from a PDF, ``True`` always, ``False`` never (the text is stored as read).
    ``pdf_timeout``/``pdf_memory``: wall-time seconds and bytes of address
    space the PDF parsing process may use; ``None`` for the defaults.
    ``cancel``: polled during long extractions; returning true stops them
    (:class:`ImportCancelled`).
    """

    encoding: str | None = None
    reflow: bool | None = None
    pdf_timeout: float | None = None
    pdf_memory: int | None = None
    cancel: Callable[[], bool] | None = None

    def cancelled(self) -> bool:
        return bool(self.cancel and self.cancel())


@dataclass(frozen=True, slots=True)
class Extracted:
    """A document read from a file, before it is stored."""

    title: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    #: Where the document comes from (a canonical URL, say) and when it was
    #: published, when the file says so; the document's own fields default to them.
    source: str = ""
    published: str = ""

    @property
    def pages(self) -> list[int] | None:
        pages = self.metadata.get("pages")
        return list(pages) if pages is not None else None


class Importer:
    """Reads one kind of file. Subclasses set the class attributes and ``extract``."""

    name: str = ""
    version: str = "1"
    suffixes: tuple[str, ...] = ()
    label: str = ""

    def extract(self, data: bytes, path: Path, options: ImportOptions) -> Extracted:
        raise NotImplementedError


class Registry:
    def __init__(self, importers: Iterable[Importer] = ()) -> None:
        self._by_suffix: dict[str, Importer] = {}
        self._importers: list[Importer] = []
        for importer in importers:
            self.register(importer)

    def register(self, importer: Importer) -> None:
        """Add ``importer``; it takes over its suffixes from any earlier one."""
        if not importer.name or not importer.suffixes:
            raise ValueError("an importer needs a name and at least one suffix")
        self._importers = [i for i in self._importers if i.name != importer.name]
        self._importers.append(importer)
        for suffix in importer.suffixes:
            self._by_suffix[suffix.lower()] = importer

    @property
    def importers(self) -> list[Importer]:
        return list(self._importers)

    def suffixes(self) -> tuple[str, ...]:
        return tuple(sorted(self._by_suffix))

    def file_filter(self) -> str:
        """A Qt file-dialog filter, e.g. ``Documents (*.docx *.htm …);;PDF (*.pdf);;…``."""
        every = " ".join(f"*{suffix}" for suffix in self.suffixes())
        parts = [f"Documents ({every})"]
        parts += [f"{i.label or i.name} ({' '.join('*' + s for s in i.suffixes)})"
                  for i in self._importers]
        return ";;".join(parts)

    def importer_for(self, path: str | Path) -> Importer | None:
        return self._by_suffix.get(Path(path).suffix.lower())

    def unsupported_reason(self, path: str | Path) -> str:
        suffix = Path(path).suffix
        return (f"unsupported file type {suffix or '(none)'!r}; "
                f"supported: {', '.join(self.suffixes())}")

    def extract_file(self, path: str | Path, options: ImportOptions | None = None) -> Extracted:
        """Read ``path`` with its importer, or raise :class:`ImportProblem` (or
        :class:`ImportCancelled`)."""
        path = Path(path)
        options = options or ImportOptions()
        importer = self.importer_for(path)
        if importer is None:
            raise ImportProblem(path, self.unsupported_reason(path))
        data = read_bounded(path)
        digest = hashlib.sha256(data).hexdigest()
        extracted = importer.extract(data, path, options)
        if len(extracted.text) > MAX_TEXT_CHARS:
            raise ImportProblem(path, f"holds {len(extracted.text):,} characters of text, more "
                                      f"than the {MAX_TEXT_CHARS:,} a document may have")
        if not extracted.text.strip():
            raise ImportProblem(path, "holds no text")
        metadata = {
            **extracted.metadata,
            "original_filename": path.name,
            "original_path": _absolute(path),
            "original_sha256": digest,
            "original_size": len(data),
            "importer": importer.name,
            "importer_version": importer.version,
        }
        return replace(extracted, title=(extracted.title or path.stem).strip()[:200],
                       metadata=metadata)


def _absolute(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())


_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
               | getattr(os, "O_CLOEXEC", 0))


def read_bounded(path: Path, limit: int | None = None) -> bytes:
    """The bytes of regular file ``path``, refused with a reason if it is larger
    than ``limit`` (default :data:`MAX_FILE_BYTES`) or cannot be read."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ImportProblem(path, "cannot be read: it is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise ImportProblem(path, "cannot be read: it is not a regular file "
                                      "(a device, pipe or socket)")
        if info.st_size > limit:
            raise ImportProblem(path, too_large(info.st_size, limit))
        # Without blocking, and checked again once open: a file swapped for a pipe
        # since the check above must not hang the import.
        with open(os.open(path, _OPEN_FLAGS), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ImportProblem(path, "cannot be read: it is not a regular file "
                                          "(a device, pipe or socket)")
            data = handle.read(limit + 1)
    except OSError as error:
        raise ImportProblem(path, f"cannot be read: {error.strerror or error}") from None
    if len(data) > limit:
        raise ImportProblem(path, f"grew larger than the {limit / 2**20:g} MiB a document "
                                  f"may be while it was read")
    return data


def too_large(size: int, limit: int) -> str:
    return (f"is {size / 2**20:.1f} MiB, larger than the {limit / 2**20:g} MiB "
            f"a document may be")


_DEFAULT: Registry | None = None


def default_registry() -> Registry:
    """The app's importers: text, Markdown, HTML, PDF, DOCX."""
    global _DEFAULT
    if _DEFAULT is None:
        from annotator.formats.pdf import PdfImporter
        from annotator.formats.text import MarkdownImporter, TextImporter
        from annotator.formats.webpage import HtmlImporter
        from annotator.formats.word import DocxImporter

        _DEFAULT = Registry([TextImporter(), MarkdownImporter(), HtmlImporter(),
                             PdfImporter(), DocxImporter()])
    return _DEFAULT


def extract_file(path: str | Path, options: ImportOptions | None = None) -> Extracted:
    """:meth:`Registry.extract_file` with :func:`default_registry`."""
    return default_registry().extract_file(path, options)
