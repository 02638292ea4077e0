"""No code path that turns data into code: no pickle, no eval/exec, YAML only through safe_load.

Read from the syntax tree, not grepped, so docstrings ("No pickle anywhere") and methods such as
`model.eval()` do not count, and a call spread over lines still does.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "rag").rglob("*.py")) + sorted(ROOT.glob("app.py"))
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "shelve", "marshal", "joblib"}
UNSAFE_BUILTINS = {"eval", "exec", "compile", "__import__"}
UNSAFE_YAML = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all"}


def unsafe_uses(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] in UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNSAFE_MODULES:
            found.append(f"from {node.module} import …")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in UNSAFE_BUILTINS:
                found.append(f"{func.id}(…)")
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                if func.value.id == "yaml" and func.attr in UNSAFE_YAML:
                    found.append(f"yaml.{func.attr}(…)")
                if func.value.id == "torch" and func.attr == "load":
                    found.append("torch.load(…)")  # unpickles
            for keyword in node.keywords:
                if keyword.arg == "allow_pickle" and not (
                    isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                ):
                    found.append("allow_pickle=…")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "pickle":
            found.append(f"pickle.{node.attr}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_pickle_eval_or_unsafe_yaml(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    assert unsafe_uses(tree) == []


def test_the_checker_catches_what_it_looks_for():
    code = """
import pickle
from dill import loads
import yaml, numpy as np
eval("1")
exec("x = 1")
yaml.load(text)
yaml.unsafe_load(text)
np.load(path, allow_pickle=True)
yaml.safe_load(text)  # fine
model.eval()  # fine: a method, not the builtin
np.load(path, allow_pickle=False)  # fine
"""
    assert unsafe_uses(ast.parse(code)) == [
        "import pickle",
        "from dill import …",
        "eval(…)",
        "exec(…)",
        "yaml.load(…)",
        "yaml.unsafe_load(…)",
        "allow_pickle=…",
    ]
