"""The one cache of a build: what is worked out once and looked up again after.

An engine owns one (engine.Engine.memo) and hands it to the stages that use it.
A build from scratch starts with an empty one; the preview's engine takes the one
its BuildCache keeps, so a rebuild converts only Markdown it has not seen before,
parses only new phone numbers and hashes the generator's own code once. No module
keeps anything between calls by itself: two builds share what they worked out only
when they share an engine's memo.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .inputs import code_fingerprint
from .markup import markdown_work, render_markdown
from .phones import parse_phone


@dataclass
class Memo:
    html: dict = field(default_factory=dict)  # Markdown text -> safe HTML
    work: dict = field(default_factory=dict)  # Markdown text -> markup.markdown_work()
    phones: dict = field(default_factory=dict)  # a number as written -> Phone, or why it is not one
    code: bytes | None = None  # inputs.code_fingerprint(): fixed while a process runs

    def markdown(self, text):
        """markup.render_markdown(text), converted once. Validation converts every text (and
        finds those that cannot be) before the context asks for them again."""
        html = self.html.get(text)
        if html is None:
            html = self.html[text] = render_markdown(text)
        return html

    def markdown_work(self, text):
        work = self.work.get(text)
        if work is None:
            work = self.work[text] = markdown_work(text)
        return work

    def phone(self, text):
        """phones.parse_phone(text): a third of a national directory's numbers recur (a force's
        101, a shared office line), and phonenumbers takes about 0.1 ms a number."""
        found = self.phones.get(text)
        if found is None:
            try:
                found = parse_phone(text)
            except ValueError as error:
                found = str(error)
            self.phones[text] = found
        if isinstance(found, str):
            raise ValueError(found)
        return found

    def code_fingerprint(self):
        if self.code is None:
            self.code = code_fingerprint()
        return self.code
