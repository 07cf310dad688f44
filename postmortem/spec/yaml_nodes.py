"""PyYAML set up for our files: the C loader when present, and errors at the node's line."""

from __future__ import annotations

from typing import Any

import yaml

Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TAG = "tag:yaml.org,2002:"


class Constructor(Loader):  # type: ignore[valid-type,misc]
    """The safe constructor, turning a scalar it cannot read into an error at its line.

    PyYAML raises bare ValueError/KeyError for `2026-02-30`, `!!int abc`, `!!bool maybe`,
    an offset of +24:00 or an integer past Python's digit limit.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, KeyError, OverflowError, TypeError) as exc:
            tag = node.tag.removeprefix(TAG)
            value = str(node.value)[:40] if isinstance(node, yaml.ScalarNode) else node.tag
            reason = str(exc).split(";")[0] if isinstance(exc, ValueError) else "not a valid value"
            if reason.startswith("offset must be"):
                reason = "a UTC offset must lie between -23:59 and +23:59"
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {value!r} as {tag}: {reason}", node.start_mark
            ) from None


def construct_node(node: yaml.Node) -> Any:
    """The Python value of one node, or a ConstructorError at its line."""
    return Constructor("").construct_object(node)
