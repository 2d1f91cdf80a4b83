"""Rule kind → form inputs, and posted form fields → the scoring core's entry dict.

The only place that knows how each rule kind looks on a sheet. It reads a rule's public shape
(`Rule.describe()`), never its private fields, and builds:

- `item_widget(item, entry, slots)`: what the template needs to draw an item's inputs with the
  stored entry filled in (nested for parts and custom slots);
- `entry_from_post(item, data, slots)`: the entry dict (`docs/rubric-format.md`, "Entries") from
  one item's posted form, or None when nothing was given (the entry is then deleted).

It does no validation beyond reading strings: the core checks and explains every value.
Each item has its own form, so field names carry no item prefix; nested rules (parts, slots)
prefix theirs ("p-a-score", "s-I-1-score").
"""

from __future__ import annotations

from decimal import Decimal
from itertools import zip_longest

from kaoping.campaigns.interfaces.params import small_int
from kaoping.scoring.rules.base import fmt

__all__ = ["entry_from_post", "item_widget"]

ROW_KINDS = {"deduction", "major_deduction", "bonus", "ledger"}


def _s(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value)


def _count(text: str):
    # Counts are stored as numbers when they are whole numbers; anything else (including "²"
    # or a thousand digits) goes to the core as typed, so its message names the bad value.
    number = small_int(text)
    return text if number is None else number


# ---------------------------------------------------------------------------------------------
# Rendering


def item_widget(item, entry: dict | None, slots: list[dict] | None = None) -> dict:
    """The inputs of one item, filled with its stored `entry`."""
    entry = entry or {}
    desc = item.rule.describe()
    return {
        "kind": desc["kind"],
        "inputs": _widget(desc, entry, "", item.max_points, item.step, slots),
        "comment": entry.get("comment", ""),
        "na_allowed": item.not_applicable_allowed,
        "na": entry.get("na") is True,
        "falsify_allowed": desc["effect"] in ("points", "bonus"),
        "falsified": entry.get("falsified") is True,
        "item_bonus": item.item_bonus,
        "bonus_count": _s(entry.get("bonus_count")),
    }


def _widget(desc, value, p, max_points, step, slots=None) -> dict:
    kind = desc["kind"]
    value = value if isinstance(value, dict) else {}
    w = {"kind": kind, "prefix": p, "max": _s(max_points), "step": _s(step)}
    if kind == "scale":
        w["value"] = _s(value.get("score"))
    elif kind == "binary":
        met = value.get("met")
        w["value"] = "yes" if met is True else "no" if met is False else ""
    elif kind == "checklist":
        chosen = set(map(str, value.get("criteria") or ()))
        w["options"] = [{**c, "points": _s(c["points"]), "checked": c["code"] in chosen}
                        for c in desc["criteria"]]  # fmt: skip
    elif kind == "parts":
        answers = value.get("parts") or {}
        w["parts"] = [
            {"code": part["code"], "text": part["text"], "points": _s(part["points"]),
             "department": part["department"],
             "inputs": _widget(part["rule"], answers.get(part["code"]), f"{p}p-{part['code']}-",
                               part["points"], step)}
            for part in desc["parts"]
        ]  # fmt: skip
    elif kind == "graded_deduction":
        counts = value.get("counts") or {}
        w["categories"] = [{**c, "unit": _s(c["unit"]), "count": _s(counts.get(c["code"]))}
                           for c in desc["categories"]]  # fmt: skip
        w["reason"] = value.get("reason", "")
    elif kind == "per_occurrence":
        w["unit"], w["value"] = _s(desc["unit"]), _s(value.get("count"))
    elif kind in ("tiered", "qualitative"):
        w["levels"] = [{**lv, "points": _s(lv["points"])} for lv in desc["levels"]]
        w["value"] = _s(value.get("level"))
    elif kind == "veto":
        w["triggered"], w["note"] = value.get("triggered") is True, value.get("note", "")
    elif kind == "custom_slots":
        answers = value.get("slots") or {}
        w["written_by"] = desc["written_by"]
        w["points_each"] = _s(desc["points_each"])
        w["slots"] = [
            {**slot, "inputs": _widget(desc["rule"], answers.get(slot["code"]),
                                       f"{p}s-{slot['code']}-", desc["points_each"], step)}
            for slot in (slots or [])
        ]  # fmt: skip
    elif kind in ROW_KINDS:
        _rows_widget(w, desc, value)
    return w


def _rows_widget(w: dict, desc: dict, value: dict) -> None:
    kind = desc["kind"]
    if kind == "deduction":
        w["unit"] = _s(desc["unit"])
        rows = [{"amount": _s(r.get("amount")), "count": _s(r.get("count")),
                 "reason": r.get("reason", "")} for r in value.get("deductions") or ()]  # fmt: skip
    elif kind == "major_deduction":
        w["min"], w["max"] = _s(desc["min"]), _s(desc["max"])
        rows = [{"amount": _s(r.get("amount")), "note": r.get("note", "")}
                for r in value.get("occurrences") or ()]  # fmt: skip
    elif kind == "bonus":
        w["levels"] = [{**lv, "points": _s(lv["points"])} for lv in desc["levels"]]
        w["modifiers"] = [{**m, "factor": _s(m["factor"])} for m in desc["modifiers"]]
        w["cap"] = _s(desc["cap"])
        rows = [{k: _s(r.get(k)) for k in ("project", "level", "modifier", "points", "note")}
                for r in value.get("events") or ()]  # fmt: skip
    else:  # ledger
        w["events"] = [{**e, "points": _s(e["points"])} for e in desc["events"]]
        w["base"] = _s(desc["base"])
        rows = [{"event": _s(r.get("event")), "count": _s(r.get("count", 1)),
                 "note": r.get("note", "")} for r in value.get("events") or ()]  # fmt: skip
    w["rows"] = rows
    w["blank"] = {}  # the template's empty row, cloned by "add a row"


# ---------------------------------------------------------------------------------------------
# Reading a posted form


class _Data:
    """A QueryDict (or a dict of lists) read with a prefix, every value stripped."""

    def __init__(self, data, prefix=""):
        self.data, self.p = data, prefix

    def get(self, name: str) -> str:
        values = self.getlist(name)
        return values[-1] if values else ""

    def getlist(self, name: str) -> list[str]:
        getlist = getattr(self.data, "getlist", None)
        raw = getlist(self.p + name) if getlist else self.data.get(self.p + name, [])
        if isinstance(raw, str):
            raw = [raw]
        return [str(v).strip() for v in raw]

    def sub(self, prefix: str) -> _Data:
        return _Data(self.data, self.p + prefix)


def entry_from_post(item, data, slots: list[dict] | None = None) -> dict | None:
    """The entry one item's posted form gives, or None for "no entry" (clear, or all blank)."""
    d = _Data(data)
    if d.get("clear"):
        return None
    if item.not_applicable_allowed and d.get("na"):
        return {"na": True}
    entry = _parse(item.rule.describe(), d, slots) or {}
    if d.get("comment"):
        entry["comment"] = d.get("comment")
    if d.get("falsified"):
        entry["falsified"] = True
    if item.item_bonus is not None and d.get("bonus_count"):
        entry["bonus_count"] = _count(d.get("bonus_count"))
    return entry or None


def _parse(desc: dict, d: _Data, slots=None) -> dict | None:
    kind = desc["kind"]
    if kind == "scale":
        return {"score": d.get("score")} if d.get("score") else None
    if kind == "binary":
        met = d.get("met")
        return {"met": met == "yes"} if met in ("yes", "no") else None
    if kind == "checklist":
        # The marker says the checkboxes were on the form: none ticked is an answer (0 points).
        return {"criteria": d.getlist("criteria")} if d.get("criteria-shown") else None
    if kind == "parts":
        answers = {}
        for part in desc["parts"]:
            sub = _parse(part["rule"], d.sub(f"p-{part['code']}-"))
            if sub is not None:
                answers[part["code"]] = sub
        return {"parts": answers} if answers else None
    if kind == "graded_deduction":
        counts = {c["code"]: _count(d.get(f"count-{c['code']}")) for c in desc["categories"]
                  if d.get(f"count-{c['code']}") not in ("", "0")}  # fmt: skip
        if not counts:
            return None
        return {"counts": counts, **({"reason": d.get("reason")} if d.get("reason") else {})}
    if kind == "per_occurrence":
        return {"count": _count(d.get("count"))} if d.get("count") else None
    if kind in ("tiered", "qualitative"):
        return {"level": d.get("level")} if d.get("level") else None
    if kind == "veto":
        if not d.get("triggered"):
            return None
        return {"triggered": True, **({"note": d.get("note")} if d.get("note") else {})}
    if kind == "custom_slots":
        answers = {}
        for slot in slots or ():
            sub = _parse(desc["rule"], d.sub(f"s-{slot['code']}-"))
            if sub is not None:
                answers[slot["code"]] = sub
        return {"slots": answers} if answers else None
    return _parse_rows(kind, d)


def _rows(d: _Data, *names: str) -> list[dict]:
    """Rows of parallel repeated fields; a row with every field blank is dropped."""
    columns = [d.getlist(n) for n in names]
    rows = []
    for values in zip_longest(*columns, fillvalue=""):
        row = {n: v for n, v in zip(names, values, strict=True) if v}
        if row:
            rows.append(row)
    return rows


def _parse_rows(kind: str, d: _Data) -> dict | None:
    if kind == "deduction":
        rows = []
        for row in _rows(d, "d-amount", "d-count", "d-reason"):
            out = {}
            if "d-count" in row and "d-amount" not in row:
                out["count"] = _count(row["d-count"])
            elif "d-amount" in row:
                out["amount"] = row["d-amount"]
            out["reason"] = row.get("d-reason", "")
            rows.append(out)
        return {"deductions": rows} if rows else None
    if kind == "major_deduction":
        rows = [{"amount": r.get("m-amount", ""), **({"note": r["m-note"]} if "m-note" in r else {})}
                for r in _rows(d, "m-amount", "m-note")]  # fmt: skip
        return {"occurrences": rows} if rows else None
    if kind == "bonus":
        names = ("project", "level", "modifier", "points", "note")
        rows = [{n: r[f"b-{n}"] for n in names if f"b-{n}" in r}
                for r in _rows(d, *(f"b-{n}" for n in names))]  # fmt: skip
        return {"events": rows} if rows else None
    if kind == "ledger":
        rows = []
        for r in _rows(d, "l-event", "l-count", "l-note"):
            if set(r) == {"l-count"} and r["l-count"] == "1":
                continue  # an untouched blank row (its count defaults to 1)
            row = {"event": r.get("l-event", ""), "count": _count(r.get("l-count", "1"))}
            if "l-note" in r:
                row["note"] = r["l-note"]
            rows.append(row)
        return {"events": rows} if rows else None
    return None
