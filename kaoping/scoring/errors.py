"""Errors that carry every problem at once, so a clerk fixes a file or a sheet in one pass."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EntryError", "Problem", "Problems", "RubricError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where (`code`: an item, section or rubric code), what (`kind`), and why."""

    code: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class Problems:
    """An accumulator of problems; rules add to it instead of raising on the first one."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, code: str, kind: str, message: str) -> None:
        self.items.append(Problem(code=code, kind=kind, message=message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


class _ProblemsError(ValueError):
    def __init__(self, problems: list[Problem], *, source: str = "") -> None:
        self.problems = tuple(problems)
        self.source = source
        head = f"{source}: " if source else ""
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{head}{len(self.problems)} 个问题\n{lines}")


class RubricError(_ProblemsError):
    """A rubric file or mapping that does not validate; `problems` lists every issue."""


class EntryError(_ProblemsError):
    """Entries that break the rubric's rules; `problems` lists every issue (never clamped)."""
