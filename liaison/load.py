"""Stage 1: read the YAML data files and Markdown pages, keeping positions.

Mappings and lists are loaded as MarkedDict / MarkedList, which remember the
line and column of every key and value so that later stages can point at the
exact place a mistake was made.

The files arrive in pull requests, so reading them is defensive: only regular
files inside the source folder are read (a link pointing elsewhere is refused),
no larger than a limit, and the YAML may not use aliases, anchors, tags or
deep nesting, which is how a small file can take unbounded time or memory.
"""
from __future__ import annotations

import errno
import re
import stat
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem
from .schema import DATA_FILES, DEFAULT_MAX_FILE_BYTES, SITE

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FRONT_MATTER_FENCE = "---"
# The data nests a few levels deep (a file, a record, an address); nothing needs this many.
MAX_DEPTH = 20


# A key's, value's or item's (line, column), packed into one int: the garbage collector never
# looks at a dict of ints, and an array holds its ints as plain numbers, not objects. As
# tuples, a national officers.yaml's 200,000 positions made it run three more full collections.
_COLUMN_BITS = 32
_COLUMN = (1 << _COLUMN_BITS) - 1


def packed(line, column):
    return line << _COLUMN_BITS | column


def unpacked(position):
    return position >> _COLUMN_BITS, position & _COLUMN


class MarkedDict(dict):
    """A mapping that knows where it (pos: line, column), its keys and its values were written."""

    __slots__ = ("pos", "key_pos", "value_pos")  # key_pos, value_pos: {key: packed position}

    def where(self, key):
        position = self.value_pos.get(key)
        return self.pos if position is None else unpacked(position)

    def where_key(self, key):
        position = self.key_pos.get(key)
        return self.pos if position is None else unpacked(position)


class MarkedList(list):
    """A list that knows where it (pos: line, column) and each of its items were written."""

    __slots__ = ("pos", "item_pos")  # item_pos: an array of packed positions

    def where(self, index):
        return unpacked(self.item_pos[index]) if index < len(self.item_pos) else self.pos

    @classmethod
    def of_one(cls, value, pos):
        """A list of one value written at pos, where a single value was given for a list."""
        made = cls([value])
        made.pos, made.item_pos = pos, positions([packed(*pos)])
        return made


def positions(packed_positions=()):
    return array("q", packed_positions)


def _pos(node, line_offset):
    return (node.start_mark.line + 1 + line_offset, node.start_mark.column + 1)


def _packed_pos(node, line_offset):
    return packed(node.start_mark.line + 1 + line_offset, node.start_mark.column + 1)


class MarkedLoader(_BaseLoader):
    """A safe loader (C-accelerated where available) that records positions."""

    line_offset = 0

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates = []  # (pos, key) of every key written twice in one mapping

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError):
            # e.g. '!!int twelve': report it where it was written, like any other YAML mistake.
            raise yaml.constructor.ConstructorError(
                None, None, "this value cannot be read as the type its tag asks for", node.start_mark) from None


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
        data.key_pos[key] = _packed_pos(key_node, loader.line_offset)
        data.value_pos[key] = _packed_pos(value_node, loader.line_offset)


def _construct_sequence(loader, node):
    data = MarkedList()
    data.pos = _pos(node, loader.line_offset)
    data.item_pos = positions(_packed_pos(item, loader.line_offset) for item in node.value)
    yield data
    data.extend(loader.construct_object(item, deep=True) for item in node.value)


def _or_text(construct):
    """A value that only looks like a number or date (0x_, 2026-02-30) stays text for validation to judge."""
    def construct_or_text(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            return node.value
    return construct_or_text


MarkedLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
MarkedLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
for _tag, _construct in (("int", _BaseLoader.construct_yaml_int), ("float", _BaseLoader.construct_yaml_float),
                         ("bool", _BaseLoader.construct_yaml_bool), ("timestamp", _BaseLoader.construct_yaml_timestamp)):
    MarkedLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _or_text(_construct))


class Refused(yaml.YAMLError):
    """YAML that is valid but not allowed in the data files, with where and why."""

    def __init__(self, mark, problem, hint):
        super().__init__(problem)
        self.problem_mark, self.problem, self.hint = mark, problem, hint


def screen(text):
    """Read the YAML as events, refusing what could make composing it unbounded.

    Aliases let a few lines expand to billions of values ("billion laughs"),
    deep nesting exhausts the stack, and tags run constructors that comms staff
    never need. Nobody writing the data needs any of them, so they are refused.
    An anchor (&name) is harmless alone but is refused too, after any alias: a
    value such as '&Co' silently becomes empty otherwise.
    """
    loader = MarkedLoader(text)
    depth, anchor, read_to = 0, None, 0
    try:
        while _next_event_or_deep_nesting(loader, text, depth, read_to):
            event = loader.get_event()
            read_to = event.end_mark.index
            if isinstance(event, yaml.AliasEvent):
                raise Refused(event.start_mark, f"aliases (*{event.anchor}) are not allowed in the data files",
                              "write the value out in full, or put quotes around text that starts with *")
            if anchor is None and getattr(event, "anchor", None) is not None:
                anchor = event
            if getattr(event, "tag", None) is not None:
                tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
                raise Refused(event.start_mark, f"tags such as {tag} are not allowed in the data files",
                              "put quotes around text that starts with !")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _nesting_refused(text, event.start_mark.index)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()
    if anchor is not None:
        raise Refused(anchor.start_mark, f"anchors (&{anchor.anchor}) are not allowed in the data files",
                      "put quotes around text that starts with &")


def _next_event_or_deep_nesting(loader, text, depth, read_to):
    """loader.check_event(), but deep nesting is always refused with this project's message.

    libyaml reads up to 1,024 characters ahead of the last event, and some
    versions give up on nesting deeper than their own limit while doing so
    (in their own words). An error that comes before the next event is
    therefore checked first for brackets that nest past MAX_DEPTH in the
    text read ahead.
    """
    try:
        return loader.check_event()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        end = mark.index + 1 if mark is not None else len(text)
        too_deep = _bracket_past_max_depth(text, read_to, end, depth)
        if too_deep is None:
            raise
        raise _nesting_refused(text, too_deep) from None


# In the text after the last event: a quoted scalar, a comment, or a bracket.
_FLOW_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|(?:^|(?<=\s))#[^\n]*|[\[\]{}]""", re.MULTILINE)


def _bracket_past_max_depth(text, start, end, depth):
    """The index of the first [ or { in text[start:end] that nests past MAX_DEPTH, or None."""
    for token in _FLOW_TOKEN.finditer(text, start, end):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return token.start()
        elif char in "]}":
            depth -= 1
    return None


def _nesting_refused(text, index):
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return Refused(yaml.Mark("<text>", index, line, column, None, None),
                   f"the data is nested more than {MAX_DEPTH} levels deep here",
                   "check the indentation and that every [ and { is closed")


@dataclass
class Document:
    """One loaded file: its data (None if it could not be read) and its text."""

    path: str  # as shown to the user, relative to the source directory
    data: object = None
    body: str = ""  # Markdown body, for content pages
    slug: str = ""  # content pages: the file name without .md
    body_line: int = 1  # content pages: the line the Markdown body starts on
    failed: bool = False  # could not be read or parsed: already reported


@dataclass
class Source:
    root: Path
    files: dict = field(default_factory=dict)  # file name -> Document
    pages: list = field(default_factory=list)  # Documents from content/
    problems: list = field(default_factory=list)


# Characters YAML does not allow anywhere in a file.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# A line whose value opens a quote it does not close, e.g.  name: "Alex
_UNCLOSED_QUOTE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s#"'][^:#]*:\s+|-\s+)(["'])(.*)$""")


def _closing_quote_line(lines, line, col):
    """The line on which the quote opened at (line, col) closes, or None."""
    quote = lines[line][col]
    number, index = line, col + 1
    while number < len(lines):
        text = lines[number]
        while index < len(text):
            char = text[index]
            if quote == '"' and char == "\\":
                index += 2
                continue
            if char == quote:
                if quote == "'" and text[index + 1:index + 2] == "'":
                    index += 2  # '' is an escaped quote inside single quotes
                    continue
                return number
            index += 1
        number, index = number + 1, 0
    return None


def _unclosed_quote(lines, mark):
    """(line, col) of a quote opened on an earlier line whose text ran on to the line the parser stopped at.

    A value such as  name: "Alex  swallows the lines after it up to the next quote, and
    the parser complains only there: the mistake is where the quote was opened.
    """
    if mark is None:
        return None
    for number in range(min(mark.line, len(lines)) - 1, -1, -1):
        match = _UNCLOSED_QUOTE.match(lines[number])
        if match and _closing_quote_line(lines, number, match.start(1)) == mark.line:
            return number, match.start(1)
    return None


def yaml_problem(path, error, line_offset=0, text=""):
    """Turn a PyYAML error into one Problem at the place that is actually wrong, in plain English."""
    if isinstance(error, yaml.reader.ReaderError):
        # A control character, such as one pasted from a word processor: find it in the text.
        found = _CONTROL.search(text)
        before = text[:found.start() if found else max(error.position, 0)]
        return Problem(path, before.count("\n") + 1 + line_offset, len(before) - (before.rfind("\n") + 1) + 1,
                       "YAML syntax error: there is an invisible control character here",
                       "delete it: retype the value, or delete the line and type it again")
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    context_mark = getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    lines = text.split("\n")
    hint = ""
    if isinstance(error, Refused):
        return Problem(path, mark.line + 1 + line_offset, mark.column + 1, problem, error.hint)
    if context.startswith("while parsing a flow") and context_mark is not None:
        # PyYAML notices an unclosed [ or { only where the next thing starts: point at the bracket.
        mark = context_mark
        closer = "]" if "sequence" in context else "}"
        problem = f"this {'list' if closer == ']' else 'set of fields'} is not closed"
        hint = f"add '{closer}' at its end, and check for a missing comma"
    elif "tab character" in problem or "\t" in problem:
        problem, hint = "a tab character is not allowed here", "indent with spaces, not tabs"
    elif context.startswith("while scanning a quoted scalar") and context_mark is not None:
        mark = context_mark  # the quote that was never closed
        problem, hint = "this quoted text is not closed", "add the closing quote at its end"
    elif "could not find expected ':'" in problem and context_mark is not None:
        mark = context_mark  # the line without a colon, not the line after it
        problem = "this line needs a colon after the field name"
        hint = "write the field name, a colon and a space, then the value, e.g. 'name: Alex'"
    elif quoted := _unclosed_quote(lines, mark):
        line, col = quoted
        return Problem(path, line + 1 + line_offset, col + 1, "YAML syntax error: this quoted text is not closed",
                       "add the closing quote at its end")
    elif "mapping values are not allowed" in problem:
        problem = "there is a ': ' where it is not expected"
        hint = "check the indentation, or put quotes around a value that contains ': '"
    elif ("expected key" in problem or "expected <block end>" in problem) and mark is not None \
            and _char_at(lines, mark) and lines[mark.line][:mark.column].strip() not in ("", "-"):
        problem = "there is more text after this value"
        hint = "a value that starts with a quote or a bracket must be quoted as a whole, e.g. name: '\"Sam\" Taylor'"
    elif "expected '-' indicator" in problem or "expected key" in problem or "expected <block end>" in problem:
        problem = "this line is not indented like the lines around it"
        hint = "indent every field of a record by the same number of spaces; a new record starts with '- '"
    elif "cannot start any token" in problem and mark is not None:
        char = _char_at(lines, mark)
        problem = f"a value cannot start with '{char}'" if char else "a value cannot start with this character"
        hint = "put quotes around the whole value"
    elif "undefined alias" in problem:
        problem, hint = "a value cannot start with '*'", "put quotes around the whole value"
    elif "unknown escape" in problem:
        problem, hint = "a backslash in double quotes starts an escape code", "use single quotes around the value instead"
    elif "expected comment or line break" in problem and "block scalar" in context:
        problem, hint = "text cannot follow '|' or '>' on the same line", "start the text on the next line, indented"
    elif "expected a single document" in context:
        problem, hint = "a line '---' starts a second document", "delete the line '---'"
    elif "cannot be read as the type" in problem or "could not determine a constructor" in problem:
        problem, hint = "this value has a tag starting with '!' that is not allowed", "delete the tag, or put quotes around the whole value"
    line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1, 1)
    return Problem(path, line, col, f"YAML syntax error: {problem}", hint)


def _char_at(lines, mark):
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


class _Unusual(Exception):
    """The text uses a YAML feature the fast path leaves to the full loader (and to screen())."""


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
    if event.anchor is not None or event.tag is not None:
        raise _Unusual()  # refused by screen(), with its message
    if not event.implicit[0]:
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
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                    raise _Unusual()  # screen() has the message
                mark = event.start_mark
                if kind is _MappingStart:
                    made = MarkedDict()
                    made.key_pos, made.value_pos = {}, {}
                    state = [made, None, None]  # mapping, pending key, its position
                else:
                    made = MarkedList()
                    made.item_pos = positions()
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
            pos = (mark.line + 1 + line_offset) << _COLUMN_BITS | (mark.column + 1)  # packed()
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
                        duplicates.append((unpacked(parent[2]), key))
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
    """Parse YAML text. Returns (data, problems).

    The fast path accepts only what screen() accepts (no alias, anchor or tag,
    nesting within MAX_DEPTH) and gives up on anything else, including every
    error: then screen() and the full loader decide, with their messages."""
    try:
        data, duplicates = _fast_parse(text, line_offset)
    except Exception:  # noqa: BLE001 - anything unusual: the full loader decides
        try:
            screen(text)
            data, duplicates = _full_parse(text, line_offset)
        except yaml.YAMLError as error:
            return None, [yaml_problem(path, error, line_offset, text)]
        except RecursionError:
            return None, [Problem(path, 1 + line_offset, 1, "this file has lists or sets of fields nested too deeply to read",
                                  "check for brackets [ or { that are never closed")]
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as error:
            # PyYAML failing on input it should have reported: still a message, never a traceback.
            return None, [Problem(path, 1 + line_offset, 1,
                                  f"this file could not be read as YAML ({type(error).__name__}: {error})")]
    return data, duplicate_problems(path, duplicates)


def duplicate_problems(path, duplicates):
    return [Problem(path, line, col, f"'{key}' appears twice in this record", "delete one of them: only the last would be used")
            for (line, col), key in duplicates]


def read_text(path, shown, root, limit=DEFAULT_MAX_FILE_BYTES):
    """Read a file of the project as text. Returns (text or None, problems).

    Only a regular file inside the source folder ``root`` is read, whatever
    links lead to it, and only up to ``limit`` bytes.
    """
    def problem(message, hint=""):
        return None, [Problem(shown, 1, 1, message, hint)]
    try:
        real = path.resolve()
        if not inside(real, root):
            return problem("this file is a link to a place outside the project folder, so it is not read",
                           "put the file itself here instead of a link")
        info = real.stat()
        if not stat.S_ISREG(info.st_mode):
            return problem("this is not an ordinary file", "replace it with a text file")
        if info.st_size > limit:
            return problem(too_large(info.st_size, limit), "split it up, or raise max_file_bytes in site.yaml")
        with open(real, "rb") as stream:
            raw = stream.read(limit + 1)
        if len(raw) > limit:  # it grew while being read
            return problem(too_large(len(raw), limit), "split it up, or raise max_file_bytes in site.yaml")
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        return problem(f"this file is not UTF-8 text ({error.reason})", "save it as UTF-8")
    except RuntimeError:  # Path.resolve finding a loop of links (an OSError from Python 3.13)
        return problem("this file is a link that leads round in a loop", "replace the link with the file itself")
    except OSError as error:
        if error.errno == errno.ELOOP:
            return problem("this file is a link that leads round in a loop", "replace the link with the file itself")
        return problem(f"cannot read this file: {error.strerror or error}")


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


def item_starts(text):
    """Where each item of a plain top-level list starts ('- ' at the start of a line), or None
    when the file is anything else (several documents, directives, data before the list)."""
    if re.search(r"^(---|\.\.\.|%)", text, re.MULTILINE):
        return None
    starts = [match.start() for match in _ITEM_START.finditer(text)]
    if not starts or not all(_NOT_DATA.match(line) for line in text[:starts[0]].split("\n")[:-1]):
        return None
    return starts


def _parse_items(text, path, cache):
    """A top-level list parsed one item at a time, exactly as parse_yaml would parse it whole.

    Returns None (parse it whole) unless the file is a plain list whose items
    start with '- ' at the start of a line and each item parses by itself with
    the fast path and no problem but duplicate keys: any error, anchor, flow
    collection or quoted text running over an item's end makes some item fail,
    and the whole file is then parsed (and its errors reported) as usual."""
    starts = item_starts(text)
    if starts is None:
        return None
    known, fresh = cache.items.get(path, {}), {}
    line = text.count("\n", 0, starts[0])
    items, item_pos, duplicates = MarkedList(), positions(), []
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
    return items, duplicate_problems(path, duplicates)


def too_large(size, limit):
    return f"this file is {size:,} bytes, more than the limit of {limit:,}"


def file_limit(site_doc):
    """The size limit for files read after site.yaml: its max_file_bytes, if sensible."""
    value = site_doc.data.get("max_file_bytes") if isinstance(site_doc.data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return DEFAULT_MAX_FILE_BYTES  # validation reports a wrong value


def load_data_file(root, name, optional=False, limit=DEFAULT_MAX_FILE_BYTES, cache=None):
    text, unread = read_data_file(root, name, optional, limit)
    return unread if text is None else parse_data_file(name, text, cache)


def read_data_file(root, name, optional=False, limit=DEFAULT_MAX_FILE_BYTES):
    """(text, None), or (None, (Document, problems)) for a file that is absent or cannot be read."""
    path = root / name
    if not path.exists() and not path.is_symlink() and optional:
        return None, (Document(name), [])  # no data: validation finds no records
    if not path.is_file() and not path.is_symlink():  # a link is judged by read_text
        hint = "it is a folder: it should be a file" if path.is_dir() else f"create {name} in {root}"
        return None, (Document(name, failed=True), [Problem(name, 1, 1, "this file is missing", hint)])
    text, problems = read_text(path, name, root, limit)
    return (text, None) if text is not None else (None, (Document(name, failed=True), problems))


def parse_data_file(name, text, cache=None):
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


def load_page(path, shown, root, limit=DEFAULT_MAX_FILE_BYTES, cache=None):
    text, problems = read_text(path, shown, root, limit)
    doc = Document(shown, slug=path.stem, failed=True)
    if text is None:
        return doc, problems
    parts = split_front_matter(text)
    if parts is None:
        return doc, [Problem(shown, 1, 1, "the page has no front matter",
                             "start it with a line '---', then title: and description:, then another line '---'")]
    front, doc.body, doc.body_line = parts
    doc.data, problems = parse_cached(front, shown, 1, cache)
    doc.failed = doc.data is None and bool(problems)
    return doc, problems


PROJECT_FOLDERS = ("assets", "content", "templates")


def inside(path, root):
    return Path(path).resolve().is_relative_to(Path(root).resolve())


def linked_folders(root):
    """The project's folders that are links to somewhere outside it: none of their files is read."""
    return [Problem(f"{name}/", 1, 1, "this folder is a link to a place outside the project folder, so it is not read",
                    "put the folder itself here instead of a link")
            for name in PROJECT_FOLDERS if (root / name).is_dir() and not inside(root / name, root)]


def load(root: Path, cache=None) -> Source:
    """Read everything. cache: the preview's BuildCache, to skip parsing files that did not change.
    (Nothing after this stage changes what it loaded, so sharing it between builds is safe.)"""
    source = Source(root)
    site, source.problems = load_data_file(root, SITE.file, SITE.optional, DEFAULT_MAX_FILE_BYTES, cache)
    source.files[SITE.file] = site
    limit = file_limit(site)  # site.yaml may set the limit for the others
    for schema in DATA_FILES:
        if schema is not SITE:
            doc, problems = load_data_file(root, schema.file, schema.optional, limit, cache)
            source.files[schema.file] = doc
            source.problems += problems
    source.problems += linked_folders(root)
    content = root / "content"
    for path in sorted(content.glob("*.md")) if content.is_dir() and inside(content, root) else ():
        doc, problems = load_page(path, f"content/{path.name}", root, limit, cache)
        source.pages.append(doc)
        source.problems += problems
    return source
