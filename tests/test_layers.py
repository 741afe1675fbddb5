"""No module imports from a layer above its own (the layers of the package, as data)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "src" / "reanalyse"

#: Lowest first; a module may import its own layer and the layers before it.
LAYERS = (
    ("errors", "io", "_version", "style", "text"),
    ("kernels",),
    ("model",),
    ("rebuild",),
    ("sensitivity",),
    ("claims",),
    ("reviews",),
    ("screens",),
    ("drafting",),
    ("reports",),
    ("runner",),
    ("commands",),
    ("api", "cli", "__main__", "__init__"),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _layer(module: str) -> str:
    """``reanalyse.rebuild.binary`` -> ``rebuild``; ``reanalyse`` -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "reanalyse":
                names = [f"reanalyse.{alias.name}" for alias in node.names]
            yield from ((name, node.lineno) for name in names)
        elif isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)


def test_every_module_belongs_to_a_layer():
    names = {(p.relative_to(PACKAGE).parts[0]).removesuffix(".py")
             for p in PACKAGE.rglob("*.py")}
    assert names <= set(RANK), sorted(names - set(RANK))


def test_no_import_from_a_higher_layer():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = (path.relative_to(PACKAGE).parts[0]).removesuffix(".py")
        for module, line in _imports(path):
            if module != "reanalyse" and not module.startswith("reanalyse."):
                continue
            target = _layer(module)
            if target not in RANK:      # ``from reanalyse import x`` of a name, not a module
                target = "__init__"
            if RANK[target] > RANK[own]:
                upward.append(f"{path.relative_to(PACKAGE)}:{line} imports {module}")
    assert not upward, "\n".join(upward)


def test_relative_imports_are_not_used():
    # the layer check reads absolute imports only
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not any(isinstance(n, ast.ImportFrom) and n.level for n in ast.walk(tree)), path
