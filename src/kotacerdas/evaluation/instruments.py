"""The evaluation instruments and scoring schemes of the national smart city evaluation, read
from YAML files.

Kominfo's "Gerakan Menuju Kota Cerdas" evaluation scores a region on a fixed set of items
grouped into dimensions (baseline, output, outcome, impact, quick win and, for some regions in
2023, collaboration). The set of items changes from year to year, so it is versioned: an
*instrument* (``kominfo-2022``, ``kominfo-2023``) lists its dimensions and their items. A
*scheme* (``kominfo-2022-gmsc``...) names the instrument version it uses and gives each
dimension a weight; the ministry used different weights for different groups of regions in the
same year.

Both are data, not code. The packaged files in ``instruments/`` hold the ministry's published
instruments; a region adds a new year's rules, or its own, as another YAML file in a directory
named by ``KOTACERDAS_INSTRUMENT_DIR`` or given to ``kotacerdas index --instruments DIR``. Every
file is checked as it is loaded and a problem is reported with the file's name, so a mistake in
a region's file never turns into a wrong index. The format is in docs/evaluation.md.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

PACKAGED_DIR = Path(__file__).resolve().parent / "instruments"
INSTRUMENT_DIR_VARIABLE = "KOTACERDAS_INSTRUMENT_DIR"
FILE_SUFFIXES = (".yaml", ".yml")

# Dimension keys are CSV column names in ``kotacerdas index score``, hence the plain spelling.
DIMENSION_KEY = re.compile(r"[a-z][a-z0-9_]*")
RESERVED_COLUMNS = ("region", "final")
# Item codes appear in CSV cells: no spaces or commas, which would make them easy to mistype.
ITEM_CODE = re.compile(r"[^\s,]+")


class InstrumentFileError(ValueError):
    """An instrument or scheme file that cannot be used; the message names the file."""


class UnknownSchemeError(LookupError):
    """A scheme id that no loaded file defines; the message lists the known ones."""


@dataclass(frozen=True)
class Item:
    """One scored question of an instrument, e.g. ``C.03.2`` "Nilai indeks SPBE"."""

    code: str
    label: str
    dimension: str
    element: str | None = None  # the group the reports list it under, e.g. "perencanaan"


@dataclass(frozen=True)
class Dimension:
    """A group of items whose plain mean is one dimension score, e.g. ``outcome``."""

    key: str
    label: str
    items: tuple[Item, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)


@dataclass(frozen=True, eq=False)
class Instrument:
    """One version of the evaluation's questionnaire: its dimensions and their items."""

    version: str
    title: str
    dimensions: tuple[Dimension, ...]
    source: Path | None = None
    _by_code: dict[str, Item] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_code = {item.code: item for dimension in self.dimensions for item in dimension.items}
        object.__setattr__(self, "_by_code", by_code)

    @property
    def dimension_keys(self) -> tuple[str, ...]:
        return tuple(dimension.key for dimension in self.dimensions)

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item, dimension by dimension, in the order of the instrument file."""
        return tuple(self._by_code.values())

    def dimension(self, key: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(key)

    def item(self, code: str) -> Item | None:
        return self._by_code.get(code)


@dataclass(frozen=True, eq=False)
class Scheme:
    """How one group of regions was scored in one evaluation: an instrument version and a
    weight per dimension. The weights sum to exactly 1, so the index stays on the items' 0-4
    scale."""

    id: str
    label: str
    instrument: Instrument
    weights: Mapping[str, Decimal]  # in the instrument's order of dimensions
    source: Path | None = None

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(self.weights)


@dataclass(frozen=True)
class Catalogue:
    """Every instrument version and scheme that was loaded, by id."""

    instruments: Mapping[str, Instrument]
    schemes: Mapping[str, Scheme]

    def scheme(self, scheme_id: str) -> Scheme:
        """The scheme ``scheme_id``; an unknown id is an error that lists the known ones."""
        try:
            return self.schemes[scheme_id]
        except KeyError:
            known = ", ".join(sorted(self.schemes)) or "none"
            raise UnknownSchemeError(
                f"unknown scheme {scheme_id!r}; known schemes: {known}"
            ) from None


def instrument_dirs(
    extra_dirs: Iterable[str | Path] = (), environ: Mapping[str, str] | None = None
) -> list[Path]:
    """The directories to read, in order: the packaged one, ``KOTACERDAS_INSTRUMENT_DIR`` when
    set, then ``extra_dirs``. A directory named twice is read once."""
    environ = os.environ if environ is None else environ
    named: list[tuple[str, Path]] = [("packaged instruments", PACKAGED_DIR)]
    if environ.get(INSTRUMENT_DIR_VARIABLE, "").strip():
        named.append((INSTRUMENT_DIR_VARIABLE, Path(environ[INSTRUMENT_DIR_VARIABLE].strip())))
    named += [("instrument directory", Path(extra)) for extra in extra_dirs]
    dirs: list[Path] = []
    for what, directory in named:
        if not directory.is_dir():
            raise InstrumentFileError(f"{what} {directory} is not a directory")
        if directory.resolve() not in {known.resolve() for known in dirs}:
            dirs.append(directory)
    return dirs


def load_catalogue(
    extra_dirs: Iterable[str | Path] = (), environ: Mapping[str, str] | None = None
) -> Catalogue:
    """Load and check every instrument and scheme file (``*.yaml``, ``*.yml``) of the packaged
    directory, of ``KOTACERDAS_INSTRUMENT_DIR`` (read from ``environ``, by default the process
    environment) and of ``extra_dirs``.

    Raises InstrumentFileError naming the file and the problem: YAML that does not parse, a
    duplicate key, an empty dimension, an item code used twice in an instrument, a scheme whose
    instrument version does not exist, whose weights name a dimension the instrument lacks or
    leave one out, or whose weights do not sum to exactly 1; and an instrument version or
    scheme id defined in two files.
    """
    paths = [
        path
        for directory in instrument_dirs(extra_dirs, environ)
        for path in sorted(directory.iterdir())
        if path.suffix in FILE_SUFFIXES and path.is_file()
    ]
    # Parsing the files costs tens of milliseconds and every score, gap and dashboard load asks
    # for the catalogue: keep the last few, keyed by each file's path, size and modification
    # time, so an edited or added file is read again.
    key = tuple((str(path), path.stat().st_size, path.stat().st_mtime_ns) for path in paths)
    found = _LOADED.get(key)
    if found is None:
        found = build_catalogue([(path, read_yaml(path)) for path in paths])
        if len(_LOADED) >= _LOADED_MAX:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = found
    return found


_LOADED: dict[tuple[tuple[str, int, int], ...], Catalogue] = {}
_LOADED_MAX = 8


def build_catalogue(documents: Iterable[tuple[Path, Any]]) -> Catalogue:
    """Check parsed instrument files and put them together. Schemes are resolved after every
    file has been read, so a region's scheme may use an instrument version from another file."""
    instruments: dict[str, Instrument] = {}
    pending_schemes: list[tuple[Path, str, Any]] = []
    scheme_files: dict[str, Path] = {}
    for path, document in documents:
        if not isinstance(document, dict):
            raise InstrumentFileError(
                f"{path}: expected a mapping with 'instruments' and/or 'schemes' at the top"
            )
        unknown = set(document) - {"instruments", "schemes"}
        if unknown or not document:
            raise InstrumentFileError(
                f"{path}: the top level may only hold 'instruments' and 'schemes'"
                + (f"; found {', '.join(sorted(map(str, unknown)))}" if unknown else "")
            )
        for version, spec in _mapping(path, document.get("instruments", {}), "instruments"):
            _check_id(path, version, "instrument version")
            if version in instruments:
                raise InstrumentFileError(
                    f"{path}: instrument version {version!r} is already defined in "
                    f"{instruments[version].source}"
                )
            instruments[version] = _instrument(path, version, spec)
        for scheme_id, spec in _mapping(path, document.get("schemes", {}), "schemes"):
            _check_id(path, scheme_id, "scheme id")
            if scheme_id in scheme_files:
                raise InstrumentFileError(
                    f"{path}: scheme {scheme_id!r} is already defined in {scheme_files[scheme_id]}"
                )
            scheme_files[scheme_id] = path
            pending_schemes.append((path, scheme_id, spec))
    schemes = {
        scheme_id: _scheme(path, scheme_id, spec, instruments)
        for path, scheme_id, spec in pending_schemes
    }
    return Catalogue(instruments=instruments, schemes=schemes)


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader with two changes for score data: a repeated key is an error (PyYAML
    would silently keep the last one, so a duplicated item code would vanish), and numbers with
    a fractional part become exact Decimals (``0.10`` must not become a binary float)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                continue  # left for PyYAML to refuse as an unhashable key
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_decimal(self, node: yaml.ScalarNode) -> Decimal:
        text = str(self.construct_scalar(node)).replace("_", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise yaml.constructor.ConstructorError(
                None, None, f"{text!r} is not a finite number", node.start_mark
            )
        return value


_StrictLoader.add_constructor("tag:yaml.org,2002:float", _StrictLoader.construct_decimal)


def read_yaml(path: Path) -> Any:
    """Parse one file with the strict loader; errors name the file and the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstrumentFileError(f"{path}: cannot be read: {exc}") from exc
    try:
        document = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise InstrumentFileError(f"{path}{where}: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise InstrumentFileError(f"{path}: {exc}") from exc
    if document is None:
        raise InstrumentFileError(f"{path}: the file is empty")
    return document


def _mapping(path: Path, value: Any, where: str) -> list[tuple[Any, Any]]:
    if not isinstance(value, dict):
        raise InstrumentFileError(f"{path}: {where} must be a mapping")
    return list(value.items())


def _check_id(path: Path, value: Any, what: str) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise InstrumentFileError(f"{path}: {what} {value!r} must be text without outer spaces")


def _text(path: Path, value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise InstrumentFileError(f"{path}: {where} must be text, got {value!r}")
    return value


def _instrument(path: Path, version: str, spec: Any) -> Instrument:
    where = f"instruments.{version}"
    spec = dict(_mapping(path, spec, where))
    unknown = set(spec) - {"title", "dimensions"}
    if unknown:
        raise InstrumentFileError(
            f"{path}: {where} has unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
            "expected title and dimensions"
        )
    if "dimensions" not in spec:
        raise InstrumentFileError(f"{path}: {where} has no dimensions")
    dimensions = [
        _dimension(path, f"{where}.dimensions", key, dimension_spec)
        for key, dimension_spec in _mapping(path, spec["dimensions"], f"{where}.dimensions")
    ]
    if not dimensions:
        raise InstrumentFileError(f"{path}: {where} has no dimensions")
    first_seen: dict[str, str] = {}
    for dimension in dimensions:
        for item in dimension.items:
            if item.code in first_seen:
                raise InstrumentFileError(
                    f"{path}: item code {item.code!r} appears twice in instrument {version!r} "
                    f"(dimensions {first_seen[item.code]} and {dimension.key})"
                )
            first_seen[item.code] = dimension.key
    title = _text(path, spec.get("title", version), f"{where}.title")
    return Instrument(version=version, title=title, dimensions=tuple(dimensions), source=path)


def _dimension(path: Path, where: str, key: Any, spec: Any) -> Dimension:
    if not isinstance(key, str) or not DIMENSION_KEY.fullmatch(key):
        raise InstrumentFileError(
            f"{path}: dimension {key!r} in {where} must be lower-case letters, digits and _"
        )
    if key in RESERVED_COLUMNS:
        raise InstrumentFileError(
            f"{path}: {key!r} cannot name a dimension; score files use it as a column"
        )
    where = f"{where}.{key}"
    spec = dict(_mapping(path, spec, where))
    unknown = set(spec) - {"label", "items", "elements"}
    if unknown or ("items" in spec) == ("elements" in spec):
        raise InstrumentFileError(
            f"{path}: {where} needs either items (code: label) or elements "
            "(element: {code: label}), and may have a label"
        )
    label = _text(path, spec.get("label", key), f"{where}.label")
    if "items" in spec:
        groups: list[tuple[str | None, Any]] = [(None, spec["items"])]
    else:
        groups = [(str(name), items) for name, items in _mapping(path, spec["elements"], where)]
    items = []
    for element, group in groups:
        group_where = f"{where}.elements.{element}" if element else f"{where}.items"
        entries = _mapping(path, group if group is not None else {}, group_where)
        if not entries:
            part = f"element {element!r} of dimension" if element else "dimension"
            raise InstrumentFileError(f"{path}: {part} {key!r} has no items ({group_where})")
        for code, item_label in entries:
            if not isinstance(code, str) or not ITEM_CODE.fullmatch(code):
                raise InstrumentFileError(
                    f"{path}: item code {code!r} in {group_where} must be text without spaces "
                    "or commas (quote codes that look like numbers)"
                )
            items.append(
                Item(
                    code=code,
                    label=_text(path, item_label, f"{group_where}.{code}"),
                    dimension=key,
                    element=element,
                )
            )
    if not items:
        raise InstrumentFileError(f"{path}: dimension {key!r} has no items ({where})")
    return Dimension(key=key, label=label, items=tuple(items))


def _scheme(path: Path, scheme_id: str, spec: Any, instruments: Mapping[str, Instrument]) -> Scheme:
    where = f"schemes.{scheme_id}"
    spec = dict(_mapping(path, spec, where))
    unknown = set(spec) - {"instrument", "label", "weights"}
    if unknown or "instrument" not in spec or "weights" not in spec:
        raise InstrumentFileError(
            f"{path}: {where} needs instrument and weights (and may have a label)"
        )
    version = spec["instrument"]
    instrument = instruments.get(version) if isinstance(version, str) else None
    if instrument is None:
        known = ", ".join(sorted(instruments)) or "none"
        raise InstrumentFileError(
            f"{path}: scheme {scheme_id!r} names instrument version {version!r}, which does not "
            f"exist; known versions: {known}"
        )
    weights: dict[str, Decimal] = {}
    for dimension, weight in _mapping(path, spec["weights"], f"{where}.weights"):
        if dimension not in instrument.dimension_keys:
            raise InstrumentFileError(
                f"{path}: scheme {scheme_id!r} weights dimension {dimension!r}, which instrument "
                f"{version!r} does not have; it has {', '.join(instrument.dimension_keys)}"
            )
        # YAML reads 1 and 0 as integers; booleans are integers to Python, but never weights.
        if isinstance(weight, bool) or not isinstance(weight, int | Decimal):
            raise InstrumentFileError(
                f"{path}: scheme {scheme_id!r}: the weight of {dimension} must be a number, "
                f"got {weight!r}"
            )
        if not 0 < weight <= 1:
            raise InstrumentFileError(
                f"{path}: scheme {scheme_id!r}: the weight of {dimension} must be more than 0 "
                f"and at most 1, got {weight}"
            )
        weights[dimension] = Decimal(weight)
    # Every dimension the instrument asks about must count: item input requires every item, and
    # an unweighted dimension would be scored for nothing. A different set of dimensions is a
    # different instrument version.
    unweighted = [key for key in instrument.dimension_keys if key not in weights]
    if unweighted:
        raise InstrumentFileError(
            f"{path}: scheme {scheme_id!r} gives no weight to dimension(s) "
            f"{', '.join(unweighted)} of instrument {version!r}"
        )
    total = sum(weights.values(), Decimal(0))
    if total != 1:
        raise InstrumentFileError(
            f"{path}: the weights of scheme {scheme_id!r} sum to {total}, not 1"
        )
    label = _text(path, spec.get("label", scheme_id), f"{where}.label")
    ordered = {key: weights[key] for key in instrument.dimension_keys}
    return Scheme(id=scheme_id, label=label, instrument=instrument, weights=ordered, source=path)
