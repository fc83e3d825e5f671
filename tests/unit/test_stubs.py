"""The .pyi stubs next to the compiled kernels match them: same public functions (and public
methods of classes), parameter names, order and defaults. The modules are compiled with
embedsignature=True and binding, so inspect.signature reads the compiled side."""
import ast
import importlib
import importlib.machinery
import inspect
from pathlib import Path

import pytest

import trainlab._ext

ROOT = Path(__file__).resolve().parents[2]
EXT_DIR = Path(trainlab._ext.__file__).parent


def compiled_modules():
    """Names of the compiled modules installed in trainlab._ext (what a user imports)."""
    suffixes = sorted(importlib.machinery.EXTENSION_SUFFIXES, key=len, reverse=True)
    names = set()
    for path in EXT_DIR.iterdir():
        suffix = next((s for s in suffixes if path.name.endswith(s)), None)
        if suffix:
            names.add(path.name[: -len(suffix)])
    return sorted(names)


def _function_spec(node: ast.FunctionDef):
    """([(parameter, default or Parameter.empty, annotated)], has a return annotation)."""
    args = node.args
    assert not (args.posonlyargs or args.vararg or args.kwonlyargs or args.kwarg), (
        f"{node.name}: the kernels take plain positional-or-keyword parameters")
    defaults = [inspect.Parameter.empty] * (len(args.args) - len(args.defaults))
    defaults += [ast.literal_eval(d) for d in args.defaults]
    params = [(a.arg, d, a.annotation is not None or a.arg == "self")
              for a, d in zip(args.args, defaults)]
    return params, node.returns is not None


def stub_signatures(source: str) -> dict:
    """{function: spec} and {class: {method: spec}} from a stub's text (spec: _function_spec)."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = _function_spec(node)
        elif isinstance(node, ast.ClassDef):
            # Public methods only: a cdef class's __init__ is its __cinit__, not introspectable.
            found[node.name] = {m.name: _function_spec(m) for m in node.body
                                if isinstance(m, ast.FunctionDef) and not m.name.startswith("_")}
    return found


def _public(namespace: dict, module_name: str) -> dict:
    return {name: obj for name, obj in namespace.items()
            if not name.startswith("_") and callable(obj)
            and getattr(obj, "__module__", None) == module_name}


def mismatches(module, stubs: dict, _prefix="") -> list:
    """What differs between the public functions and classes of ``module`` and ``stubs``."""
    public = _public(vars(module), module.__name__)
    problems = [f"{_prefix}{n}: compiled, no stub" for n in sorted(public.keys() - stubs.keys())]
    problems += [f"{_prefix}{n}: stub, not compiled" for n in sorted(stubs.keys() - public.keys())]
    for name in sorted(public.keys() & stubs.keys()):
        obj, stub, where = public[name], stubs[name], _prefix + name
        if inspect.isclass(obj):
            if not isinstance(stub, dict):
                problems.append(f"{where}: a class, stubbed as a function")
            else:
                methods = _Namespace(module.__name__, _public(dict(vars(obj)), module.__name__))
                problems += mismatches(methods, stub, where + ".")
            continue
        if isinstance(stub, dict):
            problems.append(f"{where}: a function, stubbed as a class")
            continue
        params, has_return = stub
        compiled = [(p.name, p.default) for p in inspect.signature(obj).parameters.values()]
        if [(n, d) for n, d, _ in params] != compiled:
            problems.append(f"{where}: stub {[(n, d) for n, d, _ in params]} != compiled {compiled}")
        problems += [f"{where}: parameter {n} has no annotation" for n, _, ann in params if not ann]
        if not has_return:
            problems.append(f"{where}: no return annotation")
    return problems


class _Namespace:
    """A class's public methods seen as a module, so mismatches() can recurse into it."""

    def __init__(self, name, namespace):
        self.__name__ = name
        self.__dict__.update(namespace)


@pytest.mark.parametrize("name", compiled_modules())
def test_stub_matches_compiled_module(name):
    module = importlib.import_module(f"trainlab._ext.{name}")
    stub = Path(module.__file__).with_name(name + ".pyi")
    assert stub.is_file(), f"no stub {stub.name} next to {Path(module.__file__).name}"
    assert mismatches(module, stub_signatures(stub.read_text(encoding="utf-8"))) == []


def test_every_kernel_source_has_a_stub_and_a_module():
    sources = sorted(p.stem for p in (ROOT / "ext").glob("*.pyx"))
    if not sources:
        pytest.skip("no ext/*.pyx next to the tests (tests run without the source tree)")
    stubs = sorted(p.stem for p in (ROOT / "src" / "trainlab" / "_ext").glob("*.pyi"))
    assert stubs == sources
    assert set(sources) <= set(compiled_modules()), "rebuild: pip install -e ."


def test_py_typed_marker_is_installed():
    assert (EXT_DIR.parent / "py.typed").is_file()


def test_mismatches_are_reported():
    """The comparison itself: a renamed parameter, a changed default, a missing annotation, a
    missing and an extra function are each caught."""
    module = importlib.import_module("trainlab._ext._optim")
    good = stub_signatures((EXT_DIR / "_optim.pyi").read_text(encoding="utf-8"))
    assert mismatches(module, good) == []
    bad = dict(good)
    params, ret = bad.pop("sgd_step")
    bad["adam_step"] = ([("p", inspect.Parameter.empty, True)], True)
    bad["sgd_step_typo"] = (params, ret)
    bad["adagrad_step"] = ([(n, 0.5 if n == "weight_decay" else d, a)
                            for n, d, a in bad["adagrad_step"][0]], True)
    bad["rmsprop_step"] = ([(n, d, n != "lr") for n, d, _ in bad["rmsprop_step"][0]], False)
    found = mismatches(module, bad)
    assert {line.split(":")[0] for line in found} == {
        "sgd_step", "sgd_step_typo", "adam_step", "adagrad_step", "rmsprop_step"}
    assert "rmsprop_step: parameter lr has no annotation" in found
    assert "rmsprop_step: no return annotation" in found


def test_class_methods_are_compared():
    class Executor:
        def run(self, x, train=False):
            pass

        def _private(self):
            pass

    Executor.__module__ = Executor.run.__module__ = "fake"
    module = _Namespace("fake", {"Executor": Executor})
    stub = "class Executor:\n    def run(self, x: int, train: bool = False) -> None: ...\n"
    assert mismatches(module, stub_signatures(stub)) == []
    wrong = stub.replace("train: bool = False", "training: bool = False")
    assert [line.split(":")[0] for line in mismatches(module, stub_signatures(wrong))] == ["Executor.run"]
    assert mismatches(module, stub_signatures("def Executor() -> None: ...\n")) == [
        "Executor: a class, stubbed as a function"]
