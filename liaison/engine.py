"""The one seam for speed: an engine does the stages of pipeline.build() that can be done sooner.

Engine is the reference: every stage as plainly as it can be done, in this process, from
nothing. fast.FastEngine does the same stages sooner (several processes, the preview's
reuse of what did not change) and must give the same site, byte for byte:
tests/test_engine.py builds every fixture project with both and compares the trees.
"""
from __future__ import annotations

from .context import build_context
from .load import load
from .memo import Memo
from .outputs import produce
from .validate import validate
from .write import write_site


class Engine:
    """The plain reference: what each stage does, and nothing more."""

    deferred = False  # whether the last build published the pages before the files that go with them

    def __init__(self):
        self.memo = Memo()  # the build's one cache: Markdown converted, numbers parsed (memo.py)

    def fingerprint(self, source, base_url, today):
        """A fingerprint of every input, kept in the manifest; the reference keeps none."""
        return None

    def unchanged(self, out, key):
        """The last build's result when it was made from exactly these inputs; the reference always builds."""
        return None

    def load(self, source):
        return load(source)

    def validate(self, loaded, today):
        return validate(loaded, today, memo=self.memo)

    def context(self, data, base_url, today, source):
        return build_context(data, base_url, today, source, self.memo)

    def outputs(self, ctx):
        """{path: bytes} of every output (outputs.OUTPUTS)."""
        return produce(ctx)

    def publish(self, out, files, copies, header):
        """Write the site into a new copy beside out and swap it in (write.py)."""
        return write_site(out, files, copies, header=header)
