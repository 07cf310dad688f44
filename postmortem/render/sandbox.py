"""The sandbox for user templates, with bounds on what one template run may cost.

Jinja's own sandbox stops attribute tricks but not arithmetic: `9 ** (9 ** 9)`,
`'a' * 1500000000`, `'x'.center(2000000000)` or a namespace string doubled in a loop each
ask for gigabytes in a single step. Here every operator, call and filter is checked
before it runs (sizes estimated from its operands), `range()` draws on one budget per
run, and the run has a deadline: on the main thread a timer interrupts even a loop that
calls nothing.
"""

from __future__ import annotations

import functools
import math
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from jinja2 import Environment
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace

from postmortem.limits import TEMPLATE_OUTPUT_CHARS, TEMPLATE_RANGE_ITEMS, TEMPLATE_SECONDS

#: Bits of an integer a template may compute (a 30,000-digit number is no report figure).
MAX_INT_BITS = 100_000
#: Widths and precisions in %-formats and str.format fields: `%2000000000s`, `{:>9999999999}`.
_WIDTH = re.compile(r"%[-#0 +]*(\d*)(?:\.(\d+))?|\{[^{}]*:[^{}\d]*(\d+)(?:\.(\d+))?")


class TemplateLimit(SecurityError):
    """A template went past one of the limits; a SecurityError, so it is reported as one."""


class BoundedSandbox(SandboxedEnvironment):
    """SandboxedEnvironment with operator, call, filter, range and time limits."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = self._range
        self.globals["namespace"] = _BoundedNamespace
        self._deadline = math.inf
        self._range_left = TEMPLATE_RANGE_ITEMS

    def bound_filters(self) -> None:
        """Wrap every filter (call after adding our own) so its arguments are checked."""
        for name, function in list(self.filters.items()):
            self.filters[name] = _checked_filter(self, name, function)

    @contextmanager
    def run(self) -> Iterator[None]:
        """One template run: a fresh budget and deadline, and the timer on the main thread."""
        self._deadline = time.monotonic() + TEMPLATE_SECONDS
        self._range_left = TEMPLATE_RANGE_ITEMS
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = signal.signal(signal.SIGALRM, _out_of_time)
        signal.setitimer(signal.ITIMER_REAL, TEMPLATE_SECONDS)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def tick(self) -> None:
        """Raise TemplateLimit once the run is past its deadline."""
        if time.monotonic() > self._deadline:
            _out_of_time()

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.tick()
        _check_arguments((*args, *kwargs.values()))
        _check_method(_owner(__obj), getattr(__obj, "__name__", ""), args)
        result = super().call(__context, __obj, *args, **kwargs)
        _check_size(result)
        return result

    def _range(self, *args: int) -> range:
        self.tick()
        items = range(*args)
        self._range_left -= len(items)
        if self._range_left < 0:
            raise TemplateLimit(f"range() produced more than {TEMPLATE_RANGE_ITEMS} items")
        return items


class _BoundedNamespace(Namespace):
    """`namespace()` whose values are size-checked: `{% set ns.s = ns.s ~ ns.s %}` doubles."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_size(value)
        Namespace.__setitem__(self, name, value)


def _out_of_time(*_: object) -> None:
    raise TemplateLimit(f"template ran longer than {TEMPLATE_SECONDS:g} s")


def _refuse(what: str) -> None:
    raise TemplateLimit(f"{what} would exceed the template limit of {TEMPLATE_OUTPUT_CHARS} items")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple | dict) else 0


def _check_size(value: Any) -> None:
    if _size(value) > TEMPLATE_OUTPUT_CHARS:
        _refuse("a value")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    ints = isinstance(left, int) and isinstance(right, int)
    if operator == "**" and ints and abs(left) > 1 and right > 0:
        if right * left.bit_length() > MAX_INT_BITS:
            raise TemplateLimit(f"{left} ** {right} is too large a number")
    elif operator == "*" and ints:
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise TemplateLimit("the product is too large a number")
    elif operator == "*":
        count = right if isinstance(right, int) else left if isinstance(left, int) else 0
        if max(_size(left), _size(right)) * count > TEMPLATE_OUTPUT_CHARS:
            _refuse("a repetition")
    elif operator == "+" and _size(left) + _size(right) > TEMPLATE_OUTPUT_CHARS:
        _refuse("a concatenation")
    elif operator == "%" and isinstance(left, str):
        _check_format(left)
        _check_arguments(right if isinstance(right, tuple) else (right,))


def _owner(function: Any) -> Any:
    """The object a method such as `'x'.center` (or the sandbox's `format`) belongs to."""
    return getattr(getattr(function, "__wrapped__", function), "__self__", None)


def _check_arguments(args: tuple[Any, ...]) -> None:
    """Counts and widths (`center(2000000000)`) and the values passed must stay in bounds."""
    for value in args:
        if isinstance(value, int) and abs(value) > TEMPLATE_OUTPUT_CHARS:
            _refuse(f"an argument of {value}")
        _check_size(value)


def _check_method(owner: Any, name: str, args: tuple[Any, ...]) -> None:
    """What a string method would build, estimated before it runs."""
    if not isinstance(owner, str):
        return
    if name in ("format", "format_map"):
        _check_format(owner)
    elif name == "replace" and len(args) >= 2:
        _check_replace(owner, args[0], args[1])
    elif name == "join" and args:
        _check_join(owner, args[0])


def _check_format(text: str) -> None:
    for found in _WIDTH.finditer(text):
        for number in filter(None, found.groups()):
            if len(number) > 9 or int(number) > TEMPLATE_OUTPUT_CHARS:
                _refuse("a width in the format")


def _check_replace(text: str, old: Any, new: Any) -> None:
    if not (isinstance(old, str) and isinstance(new, str) and old):
        return
    if len(text) + text.count(old) * len(new) > TEMPLATE_OUTPUT_CHARS:
        _refuse("a replacement")


def _check_join(separator: Any, items: Any) -> None:
    if isinstance(items, list | tuple) and isinstance(separator, str):
        joined = sum(_size(item) or 24 for item in items) + len(separator) * len(items)
        if joined > TEMPLATE_OUTPUT_CHARS:
            _refuse("a join")


_PASSED = (Context, EvalContext, Environment)  # what pass_context & co. put first


def _checked_filter(env: BoundedSandbox, name: str, function: Callable[..., Any]) -> Any:
    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        env.tick()
        values = [a for a in (*args, *kwargs.values()) if not isinstance(a, _PASSED)]
        value, rest = (values[0], tuple(values[1:])) if values else (None, ())
        _check_arguments(rest)
        if name == "format" and isinstance(value, str):
            _check_format(value)
        elif name == "replace" and len(rest) >= 2:
            _check_replace(str(value), rest[0], rest[1])
        elif name == "join":
            _check_join(rest[0] if rest else "", value)
        result = function(*args, **kwargs)
        _check_size(result)
        return result

    return checked
