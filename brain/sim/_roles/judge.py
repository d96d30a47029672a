"""The harness brain as judge: a deterministic rubric over the code blocks in the prompt."""

from __future__ import annotations

import ast
import re
from typing import Any

from brain.sim._imports import parse
from brain.sim._request import RequestView

#: Words too common in requirements to say anything about the code.
_STOPWORDS = frozenset(
    "the and that this with from into when then than must should shall will each every "
    "have has are was were been being does done make makes made only also such which what "
    "where there their them they your user users given using used uses able print prints "
    "output outputs return returns value values file files program command commands "
    "the and are for not any all one can its was but out use via per new get set may "
    "anywhere never always".split()
)
_BUG_PATTERNS = (
    (re.compile(r"NotImplementedError"), "high", "body raises NotImplementedError (a stub)"),
    (re.compile(r"^\s*except\s*:"), "medium", "bare except swallows every error"),
    (re.compile(r"#\s*(TODO|FIXME|XXX)\b"), "low", "unfinished work marked in a comment"),
)
#: Share of a requirement's salient words the code must contain: identifiers rarely repeat
#: the spec's prose word for word, so a strict majority under-reads correct code.
_MET_SHARE = 0.4
#: Functions longer than this are hard to review (the 90th percentile of the codebases we admire).
_LONG_FUNCTION = 60


def _salient(requirement: str) -> list[str]:
    words = re.findall(r"[a-z][a-z0-9_]{2,}", requirement.lower().replace("-", " "))
    return list(dict.fromkeys(w for w in words if w not in _STOPWORDS))


def _present(word: str, code: str) -> bool:
    stems = {word, word.rstrip("s"), re.sub(r"(ing|ed|es)$", "", word)}
    return any(len(s) >= 3 and s in code for s in stems)


#: A requirement line of the judge prompt: ``R3. text`` (ids) or ``3. text`` (older prompts).
_REQUIREMENT_LINE = re.compile(r"^\s*R?(\d+)[.)]\s*(.+)$", re.IGNORECASE)


def _asked(view: RequestView) -> list[tuple[str, str]]:
    """(id, text) of every requirement after ``REQUIREMENTS:``; ids read ``R<n>``."""
    lines = view.section("REQUIREMENTS:").splitlines()
    found = [_REQUIREMENT_LINE.match(line) for line in lines]
    return [(f"R{m[1]}", m[2].strip()) for m in found if m]


def _requirement(text: str, code: str) -> dict[str, Any]:
    words = _salient(text)
    found = [w for w in words if _present(w, code)]
    met = bool(words) and len(found) >= _MET_SHARE * len(words)
    missing = [w for w in words if w not in found]
    evidence = f"found {', '.join(found) or 'nothing'}; missing {', '.join(missing) or 'nothing'}"
    return {"requirement": text, "met": met, "evidence": evidence}


def _bugs(blocks: dict[str, str]) -> list[dict[str, Any]]:
    bugs = []
    for path, text in sorted(blocks.items()):
        for number, line in enumerate(text.splitlines(), start=1):
            for pattern, severity, description in _BUG_PATTERNS:
                if pattern.search(line):
                    bugs.append(
                        {
                            "file": path,
                            "line": number,
                            "severity": severity,
                            "description": description,
                        }
                    )
    return bugs


def _functions(blocks: dict[str, str]) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    funcs = []
    for path, text in blocks.items():
        tree = parse(text) if path.endswith(".py") else None
        nodes = ast.walk(tree) if tree else ()
        funcs += [n for n in nodes if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return funcs


def _quality(blocks: dict[str, str], bugs: list[dict[str, Any]]) -> dict[str, Any]:
    funcs = _functions(blocks)
    if not funcs:
        return {"score": 2 if blocks else 1, "reasons": ["no functions to assess"]}
    documented = sum(1 for f in funcs if ast.get_docstring(f)) / len(funcs)
    lengths = [(f.end_lineno or f.lineno) - f.lineno + 1 for f in funcs]
    mean = sum(lengths) / len(lengths)
    # (holds?, reason when it holds, reason when it does not)
    rubric = (
        (
            documented >= 0.6,
            "most functions have docstrings",
            f"only {documented:.0%} of functions have docstrings",
        ),
        (mean <= 20, "functions are short", f"functions average {mean:.0f} lines"),
        (
            max(lengths) <= _LONG_FUNCTION,
            "no overlong function",
            f"a function runs {max(lengths)} lines",
        ),
        (not any(b["severity"] == "high" for b in bugs), "no stub bodies", "stub bodies present"),
    )
    score = 1 + sum(1 for holds, _, _ in rubric if holds)
    reasons = [good if holds else bad for holds, good, bad in rubric]
    return {"score": score, "reasons": reasons}


def _whole_spec(text: str, bugs: list[dict[str, Any]]) -> dict[str, Any]:
    """'Does everything the spec asks' has no words of its own: met when nothing is stubbed."""
    stubs = [f"{b['file']}:{b['line']}" for b in bugs if b["severity"] == "high"]
    evidence = f"stubs at {', '.join(stubs)}" if stubs else "no stub or unfinished body found"
    return {"requirement": text, "met": not stubs, "evidence": evidence}


def judge_report(view: RequestView) -> dict[str, Any]:
    """A JudgeReport: requirements by salient words, bugs by pattern, quality by shape."""
    blocks = view.file_blocks()
    code = "\n".join(blocks.values()).lower()
    bugs = _bugs(blocks)
    requirements = [
        {"id": rid} | (_whole_spec(r, bugs) if "PROJECT SPEC" in r else _requirement(r, code))
        for rid, r in _asked(view)
    ]
    return {
        "requirements": requirements,
        "code_quality": _quality(blocks, bugs),
        "bugs": bugs,
    }
