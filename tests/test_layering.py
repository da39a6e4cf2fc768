"""Which way imports may point, checked by import-linter's contracts in pyproject.toml.

web and api -> services -> models; infra knows no page; services know no
Flask, page, API or infrastructure; models import only SQLAlchemy; nlp
stands alone. The second test proves the check can fail: the same contracts
run on a copy of the tree with forbidden imports added must break.
"""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    # --no-cache: import-linter would otherwise write .import_linter_cache into the tree.
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, env={"PYTHONPATH": str(tree)},
                          capture_output=True, text=True)


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _copy_python(tree: Path) -> None:
    def not_python(folder, names):
        return [n for n in names if not (Path(folder, n).is_dir() or n.endswith(".py"))]

    for package in ("vendorrisk", "models", "nlp"):
        shutil.copytree(ROOT / package, tree / package, ignore=not_python)
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")


def test_a_forbidden_import_breaks_the_contracts(tmp_path):
    _copy_python(tmp_path)
    bad = {
        "vendorrisk/services/vendors.py": "from flask import current_app  # a service reading the request's app",
        "vendorrisk/infra/storage.py": "from vendorrisk.web import views_vendors  # infrastructure knowing a page",
        "vendorrisk/api/routes.py": "from vendorrisk.web.views_reports import bp as reports_bp",
        "models/base.py": "import vendorrisk.services.vendors  # a model calling a service",
        "nlp/__init__.py": "import models  # the extractor tied to the database",
    }
    for path, line in bad.items():
        with open(tmp_path / path, "a") as file:
            file.write(f"\n{line}\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    for contract in ("Pages and the API call services; services call models", "The API imports no page blueprint",
                     "Infrastructure knows no page and no API", "Services know no request, page, API or infrastructure",
                     "Models import only SQLAlchemy", "The extractor stands alone"):
        assert f"{contract} BROKEN" in result.stdout, result.stdout


def test_no_two_modules_share_a_name():
    """A name says which module it is: views_<area> in web/, the service in services/.
    The two shims keep paths stored outside the code (see their docstrings)."""
    shims = {ROOT / "vendorrisk" / "jobs.py", ROOT / "vendorrisk" / "scheduler.py"}
    seen: dict[str, Path] = {}
    for path in sorted((ROOT / "vendorrisk").rglob("*.py")):
        if path.name == "__init__.py" or "migrations" in path.parts or path in shims:
            continue
        assert path.stem not in seen, f"{path.relative_to(ROOT)} and {seen[path.stem].relative_to(ROOT)}"
        seen[path.stem] = path
