"""Compiled theme templates, kept in memory across the rebuilds of one ``mkdocs serve``.

MkDocs makes a new Jinja environment for the theme on every build, and compiling
Material's templates again is a fifth of a rebuild of the shipped content (measured).
A template is reused only while its source is unchanged (Jinja's checksum) and the
environment compiles the same way (the settings that shape the generated code).
"""

from __future__ import annotations

from types import CodeType
from typing import Any

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket


def _compiler_settings(environment: Environment) -> tuple[Any, ...]:
    return (environment.block_start_string, environment.block_end_string,
            environment.variable_start_string, environment.variable_end_string,
            environment.comment_start_string, environment.comment_end_string,
            environment.line_statement_prefix, environment.line_comment_prefix,
            environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
            environment.keep_trailing_newline, environment.optimized, environment.autoescape,
            tuple(sorted(environment.extensions)))


class CompiledTemplates(BytecodeCache):
    """Code objects by template and compiler settings; code objects are immutable, so shared."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[Any, ...], tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._compiled.get(self._key(bucket))
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._compiled[self._key(bucket)] = (bucket.checksum, bucket.code)

    @staticmethod
    def _key(bucket: Bucket) -> tuple[Any, ...]:
        return (bucket.key, *_compiler_settings(bucket.environment))


THEME_TEMPLATES = CompiledTemplates()
