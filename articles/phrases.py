"""Word pairs that a PostgreSQL tsquery needs, so a phrase search can use an index (pure, no ORM).

A phrase (`"public inquiry"` → `'public' <-> 'inquiri'`) is checked by PostgreSQL against the
positions stored in each candidate's search vector: the GIN index only finds the articles holding
both words, and when both are common that is most of them, each read and checked (seconds at
100,000 articles). Migration `articles/0005_phrase_keys` stores and indexes each article's *word
pairs*: every two lexemes at neighbouring positions of its search vector (`'public inquiri'`), hashed.
`required_pairs` reads the tsquery PostgreSQL made of the researcher's words and says which
pairs an article must hold to match it; the search adds that condition, so only the articles
holding the phrase's pairs are read. It is a necessary condition, never a sufficient one: the
tsquery itself still decides, so the results are exactly those of the tsquery alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeGuard

# An AND of ORs multiplies alternatives; past this many, the condition keeps one side only.
MAX_ALTERNATIVES = 16

TOKEN = re.compile(r"\s*(?:(?P<operand>'(?:[^']|'')*'(?::[*A-Da-d]+)?)|(?P<phrase><(?:-|\d+)>)|(?P<op>[!&|()]))")

OPERAND = re.compile(r"'(?P<lexeme>(?:[^']|'')*)'(?::(?P<flags>[*A-Da-d]+))?")

Alternatives = list[frozenset[str]]  # any one of these sets of pairs must all be present
NO_CONDITION: Alternatives = [frozenset()]


@dataclass(frozen=True)
class Operand:
    lexeme: str
    prefix: bool  # 'word':* matches any lexeme starting with it: no pair can be required


@dataclass(frozen=True)
class Node:
    op: str  # "!", "&", "|", or "<N>" (N = 1 for <->)
    children: tuple[Operand | Node, ...]
    distances: tuple[int, ...] = ()  # for a phrase: the distance between each child and the next


def pair_key(first: str, second: str) -> str:
    """A pair as the SQL function `articles_phrase_keys` writes it (before hashing it)."""
    return f"{first} {second}"


def required_pairs(tsquery: str) -> Alternatives:
    """What an article must hold to match `tsquery` (PostgreSQL's text form; the search ORs the
    query as each language of the workspace parses it): a list of alternatives, each a set of pair
    keys; `[frozenset()]` when nothing is required."""
    if not tsquery.strip():
        return NO_CONDITION  # only stop words: the search finds nothing anyway
    return list(dict.fromkeys(necessary(parse(tsquery))))


def necessary(node: Operand | Node) -> Alternatives:
    if isinstance(node, Operand) or node.op == "!":
        return NO_CONDITION
    parts = [necessary(child) for child in node.children]
    if node.op == "|":
        if any(part == NO_CONDITION for part in parts):
            return NO_CONDITION
        return [alternative for part in parts for alternative in part]
    if node.op != "&":  # a phrase needs all its parts, and the pairs of its neighbouring words
        parts.append([frozenset(phrase_pairs(node))])
    return all_of(parts)


def all_of(parts: list[Alternatives]) -> Alternatives:
    combined = NO_CONDITION
    for part in parts:
        product = [a | b for a in combined for b in part]
        # Too many combinations: requiring less is still a necessary condition.
        combined = product if len(product) <= MAX_ALTERNATIVES else min(combined, part, key=len)
    return combined


def phrase_pairs(node: Node) -> set[str]:
    pairs = set()
    for (first, second), distance in zip(pairwise(node.children), node.distances, strict=True):
        if distance == 1 and whole_word(first) and whole_word(second):
            pairs.add(pair_key(first.lexeme, second.lexeme))
    return pairs


def whole_word(node: Operand | Node) -> TypeGuard[Operand]:
    """A prefix ('inquir':*) or a group in parentheses has no single pair."""
    return isinstance(node, Operand) and not node.prefix


# --- Reading PostgreSQL's text form of a tsquery -------------------------------------------
# Priorities as PostgreSQL prints them: | below & below <N> below !; parentheses where needed.


class Reader:
    def __init__(self, text: str):
        self.symbols = tokenize(text)
        self.at = 0

    def peek(self) -> str | None:
        return self.symbols[self.at] if self.at < len(self.symbols) else None

    def take(self) -> str:
        symbol = self.peek()
        if symbol is None:
            raise ValueError("unexpected end of tsquery")
        self.at += 1
        return symbol

    def either(self) -> Operand | Node:
        return self.joined("|", self.both)

    def both(self) -> Operand | Node:
        return self.joined("&", self.phrase)

    def joined(self, operator: str, part) -> Operand | Node:
        """`part`, or several joined by `operator` (one level of priority)."""
        children = [part()]
        while self.peek() == operator:
            self.take()
            children.append(part())
        return children[0] if len(children) == 1 else Node(operator, tuple(children))

    def phrase(self) -> Operand | Node:
        children, distances = [self.unary()], []
        while (symbol := self.peek()) is not None and symbol.startswith("<"):
            self.take()
            distances.append(1 if symbol == "<->" else int(symbol[1:-1]))
            children.append(self.unary())
        if len(children) == 1:
            return children[0]
        return Node("<N>", tuple(children), tuple(distances))

    def unary(self) -> Operand | Node:
        symbol = self.take()
        if symbol == "!":
            return Node("!", (self.unary(),))
        if symbol == "(":
            inside = self.either()
            if self.take() != ")":
                raise ValueError("unbalanced parentheses in tsquery")
            return inside
        if operand := OPERAND.fullmatch(symbol):
            return Operand(operand["lexeme"].replace("''", "'"), prefix="*" in (operand["flags"] or ""))
        raise ValueError(f"unexpected {symbol!r} in tsquery")


def tokenize(text: str) -> list[str]:
    symbols, at = [], 0
    while at < len(text.rstrip()):
        match = TOKEN.match(text, at)
        if match is None:
            raise ValueError(f"cannot read tsquery at {text[at : at + 20]!r}")
        symbols.append(match.group(match.lastgroup or 0))
        at = match.end()
    return symbols


def parse(text: str) -> Operand | Node:
    reader = Reader(text)
    tree = reader.either()
    if reader.peek() is not None:
        raise ValueError("trailing text in tsquery")
    return tree
