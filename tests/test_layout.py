"""The package's shape is a contract too: public names pinned, imports flow one way by stage."""
import ast
from importlib.metadata import entry_points
from pathlib import Path

import gapfinder
from gapfinder.cli import main

PACKAGE = Path(gapfinder.__file__).resolve().parent

# Stages in data-flow order. A module may import its own stage and earlier ones only.
# `write` and `training` are siblings above the core; neither imports the other.
STAGE_RANK = {"": 0, "read": 1, "text": 2, "rulebook": 3, "core": 4, "write": 5, "training": 5,
              "journal": 6, "cluster": 6, "cli": 9, "__main__": 10}


# The public faces: the package itself, re-exporting the core lazily, and the optional
# cluster runners gapfinder.dask / gapfinder.spark over cluster/. They sit above every stage
# (they may import any of them) and no stage imports them.
PUBLIC_FACES = {"gapfinder", "gapfinder.dask", "gapfinder.spark"}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(["gapfinder", *parts])


def stage_of(module: str) -> str:
    parts = module.split(".")[1:]
    if not parts or (len(parts) == 1 and parts[0] not in STAGE_RANK):
        return ""
    return parts[0]


def imports_of(path: Path) -> set[str]:
    """Every gapfinder module a file imports, at top level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("gapfinder"):
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("gapfinder"))
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {m for m in found if m in modules and m != here}


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def test_public_names_are_pinned():
    assert set(gapfinder.__all__) == {"LABELS", "GapfinderError", "InputError", "ModelError",
                                     "RuleError", "analyze", "load", "__version__"}
    for name in gapfinder.__all__:
        assert hasattr(gapfinder, name), name
    assert gapfinder.LABELS == ("resume", "technical", "interview", "industry", "eligibility")
    for error in ("InputError", "ModelError", "RuleError"):
        assert issubclass(getattr(gapfinder, error), (gapfinder.GapfinderError, ValueError))


def test_engine_methods_and_cli_commands_are_pinned():
    from gapfinder.core.engine import Engine

    for method in ("analyze", "analyze_many"):
        assert callable(getattr(Engine, method))
    assert {"classify", "batch", "train", "evaluate"} <= set(main.commands)


def test_spacy_factories_are_registered_by_entry_point():
    names = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert names.get("gapfinder", "").startswith("gapfinder.")
    assert names.get("gapfinder_sentencizer", "").startswith("gapfinder.")


def test_every_stage_package_says_what_it_takes_and_gives():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 80, f"{init.parent.name}/__init__.py needs a docstring"


def test_no_stage_imports_a_later_one():
    wrong = []
    for module, targets in graph().items():
        if module in PUBLIC_FACES:
            continue
        here = stage_of(module)
        for target in targets:
            if target in PUBLIC_FACES - {"gapfinder"}:
                wrong.append(f"{module} imports the public face {target}")
                continue
            there = stage_of(target)
            if there == here or there == "":
                continue
            if STAGE_RANK[there] >= STAGE_RANK[here]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycle():
    edges = graph()
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node, path):
        state[node] = 1
        for nxt in edges.get(node, ()):
            if nxt == "gapfinder" or nxt.rsplit(".", 1)[0] == node:
                continue  # a package's own __init__ / its children are not a cycle
            if state.get(nxt) == 1:
                cycle.extend(path + [nxt])
                return True
            if state.get(nxt) is None and visit(nxt, path + [nxt]):
                return True
        state[node] = 2
        return False

    for start in sorted(edges):
        if state.get(start) is None and visit(start, [start]):
            break
    assert not cycle, " -> ".join(cycle)
