"""Stripe's search query language for customers, compiled to a SQL condition.

A query is one or more clauses `field<op>value` joined by AND, OR or a space (AND); AND and OR
cannot be mixed, as in Stripe. A leading `-` negates a clause. Fields: `name`, `email`, `phone`
(`:` exact, `~` substring of at least 3 characters), `metadata["key"]` (`:` exact) and `created`
(`:`, `>`, `>=`, `<`, `<=` against a Unix timestamp). String values are quoted with `"` or `'`;
the unquoted value `null` matches a missing value. Matching ignores case (ASCII), as Stripe's does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from metro_tui.local.stripe.store import Condition

MAX_CLAUSES = 10
MIN_SUBSTRING = 3
EXAMPLE = 'name~"acme" AND email:"billing@acme.com"'

_STRING_FIELDS = {
    "name": "name",
    "email": "email",
    "phone": "json_extract(doc, '$.phone')",
}
_TOKEN = re.compile(
    r"""(?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<op>>=|<=|[:~<>])
      | (?P<punct>[-\[\]])
      | (?P<word>[A-Za-z0-9_.+@]+)""",
    re.VERBOSE,
)


class SearchQueryError(ValueError):
    """A query Stripe would reject; the message says what is wrong and where."""


@dataclass(frozen=True)
class _Token:
    kind: str  # string | op | punct | word
    text: str
    at: int


def compile_customer_query(query: str) -> Condition:
    """The SQL condition matching the customers the query selects."""
    tokens = _tokenize(query)
    if not tokens:
        raise SearchQueryError("the search query is empty")
    parser = _Parser(tokens)
    clauses = [parser.clause()]
    joiners: set[str] = set()
    while not parser.done():
        joiner = parser.joiner()
        joiners.add(joiner)
        clauses.append(parser.clause())
    if len(joiners) > 1:
        raise SearchQueryError("AND and OR cannot be combined in one query")
    if len(clauses) > MAX_CLAUSES:
        raise SearchQueryError(f"a query can have at most {MAX_CLAUSES} clauses")
    glue = " OR " if joiners == {"OR"} else " AND "
    return Condition(
        glue.join(f"({c.sql})" for c in clauses),
        tuple(p for c in clauses for p in c.params),
    )


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    at = 0
    while True:
        while at < len(query) and query[at].isspace():
            at += 1
        if at == len(query):
            return tokens
        match = _TOKEN.match(query, at)
        if match is None or match.lastgroup is None:
            if query[at] in "\"'":
                raise SearchQueryError(f"the string starting at position {at} is not closed")
            raise SearchQueryError(f"unexpected character {query[at]!r} at position {at}")
        tokens.append(_Token(match.lastgroup, match.group(), at))
        at = match.end()


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0

    def done(self) -> bool:
        return self.index >= len(self.tokens)

    def _next(self, expected: str) -> _Token:
        if self.done():
            raise SearchQueryError(f"the query ends where {expected} was expected")
        token = self.tokens[self.index]
        self.index += 1
        return token

    def joiner(self) -> str:
        token = self.tokens[self.index]
        if token.kind == "word" and token.text.upper() in ("AND", "OR"):
            self.index += 1
            return token.text.upper()
        return "AND"  # clauses separated by a space are ANDed

    def clause(self) -> Condition:
        first = self._next("a field")
        negated = first.kind == "punct" and first.text == "-"
        field = self._next("a field") if negated else first
        if field.kind != "word":
            raise SearchQueryError(f"expected a field at position {field.at}, found {field.text!r}")
        key = self._metadata_key() if field.text == "metadata" else None
        op = self._next("an operator such as ':' or '~'")
        if op.kind != "op":
            raise SearchQueryError(f"expected an operator after {field.text!r} at position {op.at}")
        value = self._next("a value")
        condition = _condition(field, key, op, value)
        sql = f"IFNULL(({condition.sql}), 0)"
        return Condition(f"NOT {sql}" if negated else sql, condition.params)

    def _metadata_key(self) -> str:
        opening, key, closing = (self._next('metadata["key"]') for _ in range(3))
        if opening.text != "[" or key.kind != "string" or closing.text != "]":
            raise SearchQueryError(
                f'metadata must be written metadata["key"] (position {opening.at})'
            )
        return _unquote(key.text)


def _condition(field: _Token, key: str | None, op: _Token, value: _Token) -> Condition:
    if value.kind == "word" and value.text == "null":
        if op.text != ":":
            raise SearchQueryError(f"null can only be matched with ':' (position {op.at})")
        return Condition(f"{_column(field, key)} IS NULL", _key_params(key))
    if field.text == "created":
        return _created_condition(op, value)
    if value.kind != "string":
        raise SearchQueryError(
            f'the value for {field.text} must be quoted, e.g. {field.text}:"..." '
            f"(position {value.at})"
        )
    text = _unquote(value.text)
    column = _column(field, key)
    if op.text == ":":
        return Condition(f"lower({column}) = lower(?)", (*_key_params(key), text))
    if op.text == "~" and key is None:
        if len(text) < MIN_SUBSTRING:
            raise SearchQueryError(
                f"a substring search (~) needs at least {MIN_SUBSTRING} characters "
                f"(position {value.at})"
            )
        return Condition(f"instr(lower({column}), lower(?)) > 0", (text,))
    raise SearchQueryError(f"{field.text} does not support the operator {op.text!r}")


def _created_condition(op: _Token, value: _Token) -> Condition:
    if value.kind != "word" or not value.text.isdigit():
        raise SearchQueryError(
            f"created must be compared with a Unix timestamp, e.g. created>1700000000 "
            f"(position {value.at})"
        )
    if op.text == "~":
        raise SearchQueryError("created does not support the operator '~'")
    sql_op = "=" if op.text == ":" else op.text
    return Condition(f"created {sql_op} ?", (int(value.text),))


def _column(field: _Token, key: str | None) -> str:
    if key is not None:
        return "(SELECT value FROM json_each(doc, '$.metadata') WHERE key = ?)"
    if field.text == "created":
        return "created"
    column = _STRING_FIELDS.get(field.text)
    if column is None:
        supported = ", ".join(sorted([*_STRING_FIELDS, "created", "metadata"]))
        raise SearchQueryError(
            f"{field.text!r} is not a search field for customers; use one of: {supported}"
        )
    return column


def _key_params(key: str | None) -> tuple[str, ...]:
    return () if key is None else (key,)


def _unquote(quoted: str) -> str:
    return re.sub(r"\\(.)", r"\1", quoted[1:-1])
