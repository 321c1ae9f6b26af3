"""Arrows run one way: the core knows no domain, no domain depends on the reports, and no two modules
import each other (directly or round a circle), counting imports inside functions too."""
import ast
from pathlib import Path

ACADEMY = Path(__file__).resolve().parent.parent / "academy"
DOMAINS = {path.name for path in ACADEMY.iterdir() if path.is_dir() and (path / "__init__.py").exists()} - {"core"}


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_core_imports_no_domain_package():
    offenders = {}
    for path in sorted((ACADEMY / "core").rglob("*.py")):
        domains = {module for module in _imported_modules(path)
                   if module.startswith("academy.") and module.split(".")[1] in DOMAINS}
        if domains:
            offenders[path.name] = sorted(domains)
    assert offenders == {}


def test_the_import_walk_sees_imports_inside_functions(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from academy.enrolment.models import Enrolment\n", encoding="utf-8")
    assert _imported_modules(probe) == {"academy.enrolment.models"}


# the reports themselves, the operator's check of every domain's data, and the API, which presents the
# reports to other systems as the reports' own pages do to people
ASSEMBLY = {"reports", "integrity", "api"}


def test_no_other_domain_imports_reports():
    """Reports read every domain; no domain depends on the reports' bookkeeping (the app factory, the
    CLI, the model registry and the integrity check assemble them all)."""
    offenders = sorted(str(path.relative_to(ACADEMY)) for path in ACADEMY.rglob("*.py")
                       if len(path.relative_to(ACADEMY).parts) > 1 and path.relative_to(ACADEMY).parts[0] not in ASSEMBLY
                       and any(module.startswith("academy.reports") for module in _imported_modules(path)))
    assert offenders == []



def _module_graph() -> dict[str, set[str]]:
    modules = {}
    for path in ACADEMY.rglob("*.py"):
        parts = path.relative_to(ACADEMY.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("academy"):
                found |= {f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                          for alias in node.names}
        graph[name] = {module for module in found if module in modules and module != name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while not group or group[-1] != node:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_in_the_package():
    assert _circles(_module_graph()) == []


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_alias_is_shared_by_a_module():
    """An `aliased()` entity works out its columns at first use; two threads doing that at once on one alias
    kept at module level made a request fail ("Did not locate an expression in selectable for attribute 'id'",
    seen in tests/api/test_api_races.py). Aliases are made inside the function that builds the statement."""
    shared = []
    for path in sorted(ACADEMY.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            value = getattr(node, "value", None)
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(value, ast.Call) \
                    and getattr(value.func, "id", getattr(value.func, "attr", None)) == "aliased":
                shared.append(f"{path.relative_to(ACADEMY)}:{node.lineno}")
    assert shared == []
