"""Stage 1: read the YAML data files and Markdown pages, keeping positions.

Mappings and lists are loaded as MarkedDict / MarkedList, which remember the
line and column of every key and value so that later stages can point at the
exact place a mistake was made.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem
from .schema import DATA_FILES

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FRONT_MATTER_FENCE = "---"


class MarkedDict(dict):
    """A mapping that knows where it, its keys and its values were written."""

    __slots__ = ("pos", "key_pos", "value_pos")

    def where(self, key):
        return self.value_pos.get(key, self.pos)

    def where_key(self, key):
        return self.key_pos.get(key, self.pos)


class MarkedList(list):
    """A list that knows where it and each of its items were written."""

    __slots__ = ("pos", "item_pos")

    def where(self, index):
        return self.item_pos[index] if index < len(self.item_pos) else self.pos


def _pos(node, line_offset):
    return (node.start_mark.line + 1 + line_offset, node.start_mark.column + 1)


class MarkedLoader(_BaseLoader):
    """A safe loader (C-accelerated where available) that records positions."""

    line_offset = 0

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates = []  # (pos, key) of every key written twice in one mapping


def _construct_mapping(loader, node):
    data = MarkedDict()
    data.pos = _pos(node, loader.line_offset)
    data.key_pos, data.value_pos = {}, {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a single word or phrase", key_node.start_mark)
        if key in data:
            loader.duplicates.append((_pos(key_node, loader.line_offset), key))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_pos[key] = _pos(key_node, loader.line_offset)
        data.value_pos[key] = _pos(value_node, loader.line_offset)


def _construct_sequence(loader, node):
    data = MarkedList()
    data.pos = _pos(node, loader.line_offset)
    data.item_pos = [_pos(item, loader.line_offset) for item in node.value]
    yield data
    data.extend(loader.construct_object(item, deep=True) for item in node.value)


MarkedLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
MarkedLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


@dataclass
class Document:
    """One loaded file: its data (None if it could not be read) and its text."""

    path: str  # as shown to the user, relative to the source directory
    data: object = None
    body: str = ""  # Markdown body, for content pages
    slug: str = ""  # content pages: the file name without .md
    failed: bool = False  # could not be read or parsed: already reported


@dataclass
class Source:
    root: Path
    files: dict = field(default_factory=dict)  # file name -> Document
    pages: list = field(default_factory=list)  # Documents from content/
    problems: list = field(default_factory=list)


def yaml_problem(path, error, line_offset=0):
    """Turn a PyYAML error into one Problem at the place that is actually wrong."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    hint = ""
    if context.startswith("while parsing a flow") and error.context_mark is not None:
        # PyYAML notices an unclosed [ or { only where the next thing starts: point at the bracket.
        mark = error.context_mark
        closer = "]" if "sequence" in context else "}"
        problem = f"this {'list' if closer == ']' else 'set of fields'} is not closed"
        hint = f"add '{closer}' at its end, and check for a missing comma"
    line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1, 1)
    if hint:
        pass
    elif "tab" in problem or "\t" in problem:
        problem, hint = "a tab character is not allowed here", "indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        hint = "check the indentation, or put quotes around a value that contains ': '"
    elif "could not find expected ':'" in problem:
        hint = "each field needs a colon and a space after its name, e.g. 'name: Alex'"
    elif "found undefined alias" in problem or "found unknown escape" in problem:
        hint = "put quotes around text that starts with * or & or contains a backslash"
    return Problem(path, line, col, f"YAML syntax error: {problem}", hint)


class _Unusual(Exception):
    """The text uses a YAML feature the fast path leaves to the full loader."""


_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}
_KEY_TYPES = (str, int, float, bool, type(None))
_constructor = yaml.constructor.SafeConstructor()


def _implicit_tag(value, resolvers=MarkedLoader.yaml_implicit_resolvers):
    """The tag PyYAML's resolver gives a plain scalar (SafeLoader's rules)."""
    for tag, regexp in resolvers.get(value[0] if value else "", ()):
        if regexp.match(value):
            return tag
    return _STR_TAG


def _scalar(event):
    if event.anchor is not None or event.tag not in (None, "!"):
        raise _Unusual()
    if event.tag == "!" or not event.implicit[0]:
        return event.value
    tag = _implicit_tag(event.value)
    if tag == _STR_TAG:
        return event.value
    if tag not in _SCALAR_TAGS:
        raise _Unusual()
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    return _constructor.yaml_constructors[tag](_constructor, node)


_ScalarEvent, _MappingStart, _SequenceStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_Ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_RESOLVERS = MarkedLoader.yaml_implicit_resolvers


def _fast_parse(text, line_offset):
    """Build the same MarkedDict/MarkedList tree as MarkedLoader straight from libyaml's events.

    About three times faster, because no node tree is composed first. Anything
    beyond plain mappings, lists and scalars (anchors, aliases, tags, merge keys,
    several documents, any error) raises, and the caller uses the full loader.
    The loop is written for speed: it runs once for each of the 250,000 events
    of a national officers.yaml.
    """
    stack, duplicates, data, documents = [], [], None, 0
    loader = _BaseLoader(text)
    next_event, resolvers = loader.get_event, _RESOLVERS
    try:
        while True:
            event = next_event()
            kind = type(event)
            made = None
            if kind is _ScalarEvent:
                value = event.value
                if event.anchor is not None or event.tag is not None:
                    value = _scalar(event)
                elif event.implicit[0] and (resolvers.get(value[0]) if value else True):
                    value = _scalar(event)  # might be a number, date, yes/no or null: resolve it
            elif kind is _MappingStart or kind is _SequenceStart:
                if event.anchor is not None or event.tag is not None and event.tag != "!":
                    raise _Unusual()
                mark = event.start_mark
                if kind is _MappingStart:
                    made = MarkedDict()
                    made.key_pos, made.value_pos = {}, {}
                    state = [made, None, None]  # mapping, pending key, its position
                else:
                    made = MarkedList()
                    made.item_pos = []
                    state = [made]
                made.pos = (mark.line + 1 + line_offset, mark.column + 1)
                value = made
            elif kind in _Ends:
                stack.pop()
                continue
            elif kind is yaml.StreamEndEvent:
                break
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Unusual()
                continue
            elif kind is yaml.AliasEvent:
                raise _Unusual()
            else:
                continue  # stream start, document end
            mark = event.start_mark
            pos = (mark.line + 1 + line_offset, mark.column + 1)
            if not stack:
                data = value
            else:
                parent = stack[-1]
                container = parent[0]
                if len(parent) == 1:  # a list
                    container.append(value)
                    container.item_pos.append(pos)
                elif parent[2] is None:  # a key
                    if made is not None or not isinstance(value, _KEY_TYPES):
                        raise _Unusual()
                    parent[1], parent[2] = value, pos
                else:
                    key = parent[1]
                    if key in container:
                        duplicates.append((parent[2], key))
                    container[key] = value
                    container.key_pos[key] = parent[2]
                    container.value_pos[key] = pos
                    parent[1] = parent[2] = None
            if made is not None:
                stack.append(state)
    finally:
        loader.dispose()
    return data, duplicates


def _full_parse(text, line_offset):
    loader = MarkedLoader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def parse_yaml(text, path, line_offset=0):
    """Parse YAML text. Returns (data, problems)."""
    try:
        data, duplicates = _fast_parse(text, line_offset)
    except Exception:  # anything unusual, including every error: the full loader decides
        try:
            data, duplicates = _full_parse(text, line_offset)
        except yaml.YAMLError as error:
            return None, [yaml_problem(path, error, line_offset)]
    problems = [Problem(path, line, col, f"'{key}' appears twice in this record", "delete one of them: only the last would be used")
                for (line, col), key in duplicates]
    return data, problems


def read_text(path, shown):
    try:
        return path.read_text(encoding="utf-8"), []
    except UnicodeDecodeError as error:
        return None, [Problem(shown, 1, 1, f"this file is not UTF-8 text ({error.reason})", "save it as UTF-8")]
    except OSError as error:
        return None, [Problem(shown, 1, 1, f"cannot read this file: {error.strerror}")]


def parse_cached(text, path, line_offset, cache, is_list=False):
    """parse_yaml, reusing what the last build parsed (the preview's BuildCache).

    A list file is parsed item by item, and only the items whose text changed
    are parsed again: saving one officer's edit re-reads one officer."""
    if cache is None:
        return parse_yaml(text, path, line_offset)
    known = cache.parsed.get((path, line_offset))
    if known is not None and known[0] == text:
        return known[1], known[2]
    parsed = _parse_items(text, path, cache) if is_list else None
    data, problems = parsed if parsed is not None else parse_yaml(text, path, line_offset)
    cache.parsed[(path, line_offset)] = (text, data, problems)
    return data, problems


_ITEM_START = re.compile(r"^-(?=[ \n]|$)", re.MULTILINE)
_NOT_DATA = re.compile(r"^[ \t]*(#.*)?$")


def _parse_items(text, path, cache):
    """A top-level list parsed one item at a time, exactly as parse_yaml would parse it whole.

    Returns None (parse it whole) unless the file is a plain list whose items
    start with '- ' at the start of a line and each item parses by itself with
    the fast path and no problem but duplicate keys: any error, anchor, flow
    collection or quoted text running over an item's end makes some item fail,
    and the whole file is then parsed (and its errors reported) as usual."""
    if re.search(r"^(---|\.\.\.|%)", text, re.MULTILINE):
        return None
    starts = [match.start() for match in _ITEM_START.finditer(text)]
    if not starts or not all(_NOT_DATA.match(line) for line in text[:starts[0]].split("\n")[:-1]):
        return None
    known, fresh = cache.items.get(path, {}), {}
    line = text.count("\n", 0, starts[0])
    items, item_pos, duplicates = MarkedList(), [], []
    for begin, end in zip(starts, starts[1:] + [len(text)]):
        chunk = text[begin:end]
        hit = known.get((line, chunk))
        if hit is None:
            try:
                data, found = _fast_parse(chunk, line)
            except Exception:  # anything unusual: the whole file decides
                return None
            if not isinstance(data, MarkedList) or len(data) != 1:
                return None
            hit = (data[0], data.item_pos[0], found)
        fresh[(line, chunk)] = hit
        items.append(hit[0])
        item_pos.append(hit[1])
        duplicates += hit[2]
        line += chunk.count("\n")
    cache.items[path] = fresh
    items.pos, items.item_pos = (text.count("\n", 0, starts[0]) + 1, 1), item_pos
    return items, [Problem(path, line, col, f"'{key}' appears twice in this record",
                           "delete one of them: only the last would be used") for (line, col), key in duplicates]


def load_data_file(root, name, cache=None):
    path = root / name
    if not path.is_file():
        return Document(name, failed=True), [Problem(name, 1, 1, "this file is missing", f"create {name} in {root}")]
    text, problems = read_text(path, name)
    if text is None:
        return Document(name, failed=True), problems
    is_list = next(schema.is_list for schema in DATA_FILES if schema.file == name)
    data, problems = parse_cached(text, name, 0, cache, is_list)
    return Document(name, data, failed=data is None and bool(problems)), problems


def split_front_matter(text):
    """Split '---\\nfront matter\\n---\\nbody'. Returns (front, body, body_line) or None."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return None


def load_page(path, shown, cache=None):
    text, problems = read_text(path, shown)
    doc = Document(shown, slug=path.stem, failed=True)
    if text is None:
        return doc, problems
    parts = split_front_matter(text)
    if parts is None:
        return doc, [Problem(shown, 1, 1, "the page has no front matter",
                             "start it with a line '---', then title: and description:, then another line '---'")]
    front, doc.body, _ = parts
    doc.data, problems = parse_cached(front, shown, 1, cache)
    doc.failed = doc.data is None and bool(problems)
    return doc, problems


def load(root: Path, cache=None) -> Source:
    """Read everything. cache: the preview's BuildCache, to skip parsing files that did not change.
    (Nothing after this stage changes what it loaded, so sharing it between builds is safe.)"""
    source = Source(root)
    for record in DATA_FILES:
        doc, problems = load_data_file(root, record.file, cache)
        source.files[record.file] = doc
        source.problems += problems
    content = root / "content"
    for path in sorted(content.glob("*.md")) if content.is_dir() else ():
        doc, problems = load_page(path, f"content/{path.name}", cache)
        source.pages.append(doc)
        source.problems += problems
    return source
