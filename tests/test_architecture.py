"""Dependencies between the project's apps run one way: streams <- results <- liveblog <- demo.

Run it as a script to print every import that crosses apps:

    .venv/bin/python tests/test_architecture.py
"""

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("streams", "results", "liveblog", "demo")
# What each app may import; the order is the one-way graph.
ALLOWED = {
    "streams": set(),
    "results": {"streams"},
    "liveblog": {"streams", "results"},
    "demo": {"streams", "results", "liveblog"},
}


@dataclass(frozen=True)
class CrossImport:
    source: str  # the importing app
    target: str  # the imported app
    path: str
    line: int
    in_function: bool
    commented: bool  # a comment on the line or the one above says why


def _imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []


def _walk(node: ast.AST, in_function: bool = False):
    for child in ast.iter_child_nodes(node):
        inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        yield child, in_function
        yield from _walk(child, inside)


def cross_imports(root: Path = ROOT) -> list[CrossImport]:
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # migrations name the models they depend on, as Django requires
            source = path.read_text()
            lines = source.splitlines()
            for node, in_function in _walk(ast.parse(source)):
                for module in _imported_modules(node):
                    target = module.split(".")[0]
                    if target in APPS and target != app:
                        nearby = lines[node.lineno - 2 : node.lineno]
                        found.append(
                            CrossImport(
                                source=app,
                                target=target,
                                path=str(path.relative_to(root)),
                                line=node.lineno,
                                in_function=in_function,
                                commented=any("#" in line for line in nearby),
                            )  # fmt: skip
                        )
    return found


def test_every_app_imports_only_the_apps_below_it():
    wrong = [f"{i.path}:{i.line} imports {i.target}" for i in cross_imports() if i.target not in ALLOWED[i.source]]
    assert wrong == []


def test_no_import_across_apps_hides_inside_a_function_without_saying_why():
    hidden = [f"{i.path}:{i.line}" for i in cross_imports() if i.in_function and not i.commented]
    assert hidden == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    (tmp_path / "streams").mkdir()
    (tmp_path / "streams" / "bad.py").write_text("def f():\n    from liveblog.models import Post\n")
    for app in APPS[1:]:
        (tmp_path / app).mkdir()
    [found] = cross_imports(tmp_path)
    assert (found.source, found.target, found.in_function, found.commented) == ("streams", "liveblog", True, False)


if __name__ == "__main__":
    edges = {}
    for item in cross_imports():
        edges.setdefault((item.source, item.target), []).append(item)
    for (source, target), items in sorted(edges.items(), key=lambda edge: (APPS.index(edge[0][0]), edge[0][1])):
        verdict = "ok" if target in ALLOWED[source] else "NOT ALLOWED"
        print(f"{source} -> {target}: {len(items)} import(s), {verdict}")
    wrong = [i for i in cross_imports() if i.target not in ALLOWED[i.source]]
    sys.exit(1 if wrong else 0)
